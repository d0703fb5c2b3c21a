//! A bank file's dry run: what it says is exactly what reading the file
//! books, and it books nothing.

use medlem_core::dues::pay;
use medlem_core::types::dues::InvoiceStatus;
use medlem_core::types::payments::Payment;

use super::dues::{org, pg_org};
use super::payments::{billed_org, invoice};

/// A camt.054 with message id `id` for the organisation's account, one
/// entry per (the bank's transaction id, amount in öre, structured
/// reference).
pub(super) fn camt(id: &str, entries: &[(&str, i64, &str)]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\">\
         <BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>",
    );
    xml.push_str(id);
    xml.push_str(
        "</MsgId><CreDtTm>2027-02-01T08:00:00</CreDtTm></GrpHdr><Ntfctn><Id>1</Id>\
         <Acct><Id><IBAN>SE5550000000053271004417</IBAN></Id></Acct>",
    );
    for (n, (id, amount, reference)) in entries.iter().enumerate() {
        xml.push_str(&format!(
            "<Ntry><NtryRef>{n}</NtryRef><Amt Ccy=\"SEK\">{}.{:02}</Amt>\
             <CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2027-02-01</Dt></BookgDt>\
             <ValDt><Dt>2027-02-01</Dt></ValDt><BkTxCd/><NtryDtls><TxDtls>\
             <Refs><AcctSvcrRef>{id}</AcctSvcrRef></Refs><RmtInf><Strd><CdtrRefInf>\
             <Ref>{reference}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>",
            amount / 100,
            amount % 100
        ));
    }
    xml.push_str("</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>");
    xml.into_bytes()
}

/// The payments without their ids (a dry run has none).
fn without_ids(mut payments: Vec<Payment>) -> Vec<Payment> {
    for p in &mut payments {
        p.id = 0;
    }
    payments
}

on_both! {
    @ || org("SE"), || pg_org("SE");

    fn a_dry_run_says_exactly_what_reading_the_file_books(r) {
        let invoices = billed_org(r);
        let (a, b) = (&invoices[0], &invoices[1]);
        let half = a.amount / 2;
        let file = camt(
            "DRY-1",
            &[
                ("T1", half, &a.reference),
                // The rest of Anna's invoice: paid.
                ("T2", a.amount - half, &a.reference),
                // The same transaction id again in the same file: the bank's
                // second payment (the file keeps them apart), more than is owed.
                ("T1", half, &a.reference),
                // More on an invoice this file has paid.
                ("T3", 10_000, &a.reference),
                // Bo pays 250 kr too much: credit.
                ("T4", b.amount + 25_000, &b.reference),
                // A reference with a wrong check digit, nobody's name.
                ("T5", 5_000, "1000018"),
            ],
        );

        let history = r.history(a.member_id).expect("history");
        let dry = pay::import(r, &file, "dry.xml", true).expect("dry run");
        assert!(dry.dry_run);
        assert!(pay::list(&*r, &Default::default()).expect("list").is_empty());
        assert_eq!(invoice(&*r, a.id).status, InvoiceStatus::Open);
        assert_eq!(invoice(&*r, a.id).paid, 0);
        assert_eq!(r.history(a.member_id).expect("history"), history);

        let booked = pay::import(r, &file, "dry.xml", false).expect("booked");
        assert_eq!(
            (dry.read, dry.already_read, dry.total),
            (booked.read, booked.already_read, booked.total)
        );
        assert_eq!((booked.matched.len(), booked.review.len()), (5, 1));
        assert_eq!(
            without_ids(dry.matched),
            without_ids(booked.matched.clone())
        );
        assert_eq!(without_ids(dry.review), without_ids(booked.review));
        assert_eq!(invoice(&*r, a.id).status, InvoiceStatus::Paid);
        assert_eq!(invoice(&*r, b.id).status, InvoiceStatus::Paid);
        let bo = booked
            .matched
            .iter()
            .find(|p| p.amount == b.amount + 25_000)
            .expect("Bo's payment");
        assert_eq!(bo.credit, 25_000);

        // A later file that holds one of these transactions again: the dry
        // run counts it as read before, as the booking does.
        let again = camt(
            "DRY-2",
            &[("T2", 100, &a.reference), ("T6", 100, &b.reference)],
        );
        let dry = pay::import(r, &again, "again.xml", true).expect("dry run");
        let booked = pay::import(r, &again, "again.xml", false).expect("booked");
        assert_eq!((dry.already_read, booked.already_read), (1, 1));
        assert_eq!(without_ids(dry.matched), without_ids(booked.matched));
        assert_eq!(without_ids(dry.review), without_ids(booked.review));
    }
}
