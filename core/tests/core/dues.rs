//! Dues: periods, the organisation's bank details, fee rules, fee runs with
//! their exceptions and references, cancelling a run.

use chrono::{Datelike, NaiveDate};

use medlem_core::dues::reference::{self, Scheme};
use medlem_core::dues::run::{cancel, preview, run, RunOptions};
use medlem_core::dues::{fees, payments, set_payments};
use medlem_core::store::dues::InvoiceQuery;
use medlem_core::store::Store;
use medlem_core::types::dues::{
    Exception, FeeRuleInput, InvoiceStatus, MemberDues, PaymentsInput, Period, PeriodKind, RunPlan,
};
use medlem_core::{
    dates::today, error::ErrorCode, HistoryKind, MemberInput, OrgInput, PgRegister, Register,
    SqliteRegister, Status,
};

use super::person;

fn next_year() -> i32 {
    today().year() + 1
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
}

/// The organisation "Klubben" in `country`.
fn org_input(country: &str) -> OrgInput {
    OrgInput {
        name: "Klubben".into(),
        country: country.into(),
        ..Default::default()
    }
}

/// A register in memory with [`org_input`]'s organisation.
pub(super) fn org(country: &str) -> SqliteRegister {
    let mut r = SqliteRegister::open_in_memory().expect("open");
    r.create_org(&org_input(country)).expect("org");
    r
}

/// [`org`] on the test server, in a new database.
pub(super) fn pg_org(country: &str) -> PgRegister {
    let mut r = PgRegister::open(&crate::backends::new_database()).expect("open on the server");
    r.create_org(&org_input(country)).expect("org");
    r
}

/// A member of `kind` with an address, born `born` (ISO) if given.
fn add(r: &mut dyn Store, first: &str, kind: &str, born: Option<&str>) -> i64 {
    let mut p: MemberInput = person(first, "Ek");
    p.membership_type = kind.into();
    p.birth_date = born.map(Into::into);
    p.contact.address.address1 = "Storgatan 1".into();
    p.contact.address.postcode = "111 22".into();
    p.contact.address.city = "Stad".into();
    r.create(&p).expect("member").id
}

fn rule(kind: &str, amount: &str) -> FeeRuleInput {
    FeeRuleInput {
        membership_type: kind.into(),
        period: "year".into(),
        amount: amount.into(),
        valid_from: format!("{}-01-01", next_year() - 1),
        ..Default::default()
    }
}

fn options(period: &str) -> RunOptions {
    RunOptions {
        period: period.into(),
        ..Default::default()
    }
}

/// What the plan bills each member (by first name), in kr.
fn billed(r: &dyn Store, plan: &RunPlan) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = plan
        .invoices
        .iter()
        .map(|i| {
            let m = r.get(i.member_id).expect("member");
            (m.contact.first_name, i.amount / 100)
        })
        .collect();
    v.sort();
    v
}

/// The refused fields with their codes.
fn fields(e: &medlem_core::Error) -> Vec<(&str, &str)> {
    e.fields()
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_str()))
        .collect()
}

/// Sets what `member` pays with.
fn pays(
    r: &mut dyn Store,
    member: i64,
    band: Option<&str>,
    payer: Option<i64>,
) -> medlem_core::Result<()> {
    let dues = MemberDues {
        income_band: band.map(Into::into),
        payer_id: payer,
    };
    fees::set_member_dues(r, member, &dues)
}

fn reasons(plan: &RunPlan) -> Vec<(String, Exception)> {
    let mut v: Vec<(String, Exception)> = plan
        .exceptions
        .iter()
        .map(|e| (e.name.split(' ').next().unwrap_or("").to_owned(), e.reason))
        .collect();
    v.sort();
    v
}

#[test]
fn periods_are_read_as_a_treasurer_writes_them() {
    let check = |input: &str, expect: Option<(&str, PeriodKind, &str, &str)>| {
        let got = Period::parse(input).map(|p| (p.name, p.kind, p.start, p.end));
        let expect = expect.map(|(n, k, s, e)| (n.to_owned(), k, day(s), day(e)));
        assert_eq!(got, expect, "{input:?}");
    };
    check(
        "2027",
        Some(("2027", PeriodKind::Year, "2027-01-01", "2027-12-31")),
    );
    check(
        " 2027-h2 ",
        Some(("2027-H2", PeriodKind::HalfYear, "2027-07-01", "2027-12-31")),
    );
    check(
        "2028-Q1",
        Some(("2028-Q1", PeriodKind::Quarter, "2028-01-01", "2028-03-31")),
    );
    check(
        "2028-02",
        Some(("2028-02", PeriodKind::Month, "2028-02-01", "2028-02-29")),
    );
    check("2027-Q5", None);
    check("2027-13", None);
    check("27", None);
    check("", None);
    check("=HYPERLINK(\"x\")", None);
    check("2027-H3", None);
}

// Dues on both stores: the file and the office server.
on_both! {
    @ || org("SE"), || pg_org("SE");

    fn bank_details_are_checked_as_typed_and_kept_written_the_usual_way(r) {
        let p = set_payments(
            r,
            &PaymentsInput {
                bankgiro: Some("50501055".into()),
                swish: Some("1231234567".into()),
                ocr_length_digit: Some(true),
                ..Default::default()
            },
        )
        .expect("saved");
        assert_eq!(p.bankgiro, "5050-1055");
        assert_eq!(p.swish, "123 123 45 67");
        assert!(p.ocr_length_digit);
        assert_eq!(payments(&*r).expect("read"), p);

        // A wrong check digit, a hostile string: refused, nothing changed.
        let e = set_payments(
            r,
            &PaymentsInput {
                bankgiro: Some("5050-1056".into()),
                iban: Some("=HYPERLINK(\"http://x\")".into()),
                swish: Some("".into()),
                ..Default::default()
            },
        )
        .expect_err("refused");
        assert_eq!(e.code(), ErrorCode::Validation);
        assert_eq!(
            fields(&e),
            [("bankgiro", "check_digit"), ("iban", "invalid_bank_number")]
        );
        assert_eq!(payments(&*r).expect("read"), p, "nothing changed");

        // An empty value clears a field.
        let p = set_payments(
            r,
            &PaymentsInput {
                swish: Some(" ".into()),
                ..Default::default()
            },
        )
        .expect("cleared");
        assert_eq!((p.swish.as_str(), p.bankgiro.as_str()), ("", "5050-1055"));
    }

    fn fee_rules_are_checked_and_a_later_first_day_is_next_years_fee(r) {
        let bad = fees::set_rule(
            r,
            &FeeRuleInput {
                membership_type: "pirate".into(),
                period: "decade".into(),
                amount: "=1+1".into(),
                age_under: Some("-3".into()),
                income_band: "<script>\u{7}".into(),
                valid_from: "2027-02-30".into(),
                ..Default::default()
            },
        )
        .expect_err("refused");
        assert_eq!(
            fields(&bad),
            [
                ("membershipType", "invalid_choice"),
                ("period", "invalid_choice"),
                ("amount", "invalid_amount"),
                ("ageUnder", "invalid_number"),
                ("incomeBand", "invalid_character"),
                ("validFrom", "invalid_day"),
            ]
        );
        assert!(r.dues().fee_rules().expect("rules").is_empty());

        add(r, "Olle", "ordinary", None);
        fees::set_rule(r, &rule("ordinary", "1000")).expect("this year's");
        let mut next = rule("ordinary", "1200");
        next.valid_from = format!("{}-01-01", next_year());
        fees::set_rule(r, &next).expect("next year's");
        // The same conditions and day again replace the amount.
        next.amount = "1250".into();
        let kept = fees::set_rule(r, &next).expect("replaced");
        assert_eq!(r.dues().fee_rules().expect("rules").len(), 2);
        assert_eq!(kept.amount, 125_000);

        let this = preview(&*r, &options(&(next_year() - 1).to_string())).expect("this year");
        let that = preview(&*r, &options(&next_year().to_string())).expect("next year");
        assert_eq!(billed(&*r, &this), [("Olle".into(), 1000)]);
        assert_eq!(billed(&*r, &that), [("Olle".into(), 1250)]);
    }

    fn a_run_bills_by_type_age_income_band_branch_and_household(r) {
        let y = next_year();
        let malmo = r.create_branch("Malmö").expect("branch").id;
        let olle = add(r, "Olle", "ordinary", Some("1970-05-01"));
        let stina = add(r, "Stina", "student", Some("2001-05-01"));
        let unga = add(
            r,
            "Unga",
            "ordinary",
            Some(&format!("{}-06-01", y - 15)),
        );
        let lena = add(r, "Lena", "ordinary", Some("1980-01-01"));
        let hedda = add(r, "Hedda", "honorary", None);
        let pia = add(r, "Pia", "retired", None);
        let kalle = add(r, "Kalle", "ordinary", None);
        let barn = add(r, "Barn", "ordinary", None);
        let mut m = r.get(olle).expect("olle");
        let mut input: MemberInput =
            serde_json::from_value(serde_json::to_value(&m).expect("json")).expect("input");
        input.branch_id = Some(malmo);
        input.membership_type = "ordinary".into();
        input.status = "active".into();
        m = r.update(olle, &input).expect("moved");
        assert_eq!(m.branch_id, Some(malmo));
        pays(r, lena, Some("high"), None).expect("band");
        pays(r, barn, None, Some(kalle)).expect("household");
        // Households do not nest: Kalle pays, so nobody pays for him.
        let e = pays(r, kalle, None, Some(barn)).expect_err("nested");
        assert_eq!(e.fields()[0].field, "payerId");

        for (kind, amount) in [("ordinary", "1200"), ("student", "300"), ("", "900")] {
            fees::set_rule(r, &rule(kind, amount)).expect("rule");
        }
        let mut youth = rule("", "100");
        youth.age_under = Some("18".into());
        fees::set_rule(r, &youth).expect("youth");
        let mut band = rule("ordinary", "2400");
        band.income_band = "high".into();
        fees::set_rule(r, &band).expect("band");
        let mut supplement = rule("", "50");
        supplement.branch_id = Some(malmo);
        fees::set_rule(r, &supplement).expect("supplement");
        let mut family = rule("", "1500");
        family.household = true;
        fees::set_rule(r, &family).expect("household");

        let plan = preview(&*r, &options(&y.to_string())).expect("preview");
        assert_eq!(
            billed(&*r, &plan),
            [
                ("Kalle".into(), 1500),
                ("Lena".into(), 2400),
                ("Olle".into(), 1250),
                ("Pia".into(), 900),
                ("Stina".into(), 300),
                ("Unga".into(), 100),
            ]
        );
        assert_eq!(plan.total, (1500 + 2400 + 1250 + 900 + 300 + 100) * 100);
        assert_eq!(
            reasons(&plan),
            [
                ("Barn".into(), Exception::InHousehold),
                ("Hedda".into(), Exception::Honorary),
            ]
        );
        let kalles = plan.invoices.iter().find(|i| i.member_id == kalle);
        assert_eq!(kalles.map(|i| i.household.clone()), Some(vec![barn]));
        let olles = plan.invoices.iter().find(|i| i.member_id == olle);
        let kinds: Vec<(&str, &str, i64)> = olles
            .map(|i| {
                i.lines
                    .iter()
                    .map(|l| (l.kind.as_str(), l.text.as_str(), l.amount))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            kinds,
            [("fee", "ordinary", 120_000), ("supplement", "Malmö", 5_000)]
        );
        let _ = (stina, unga, hedda, pia);
        // A preview writes nothing.
        assert!(r
            .dues()
            .invoices(&InvoiceQuery::default())
            .expect("none")
            .is_empty());
    }

    fn resigned_applicants_joiners_and_the_unreachable_are_shown_before_anything_is_written(r) {
        let y = next_year();
        fees::set_rule(r, &rule("ordinary", "1200")).expect("rule");
        let gone = add(r, "Gone", "ordinary", None);
        r.set_status(gone, Status::Resigned, today())
            .expect("resigned");
        let mut p = person("Waiting", "Ek");
        p.status = "applicant".into();
        p.contact.email = "w@example.org".into();
        let waiting = r.create(&p).expect("applicant").id;
        let mut p = person("Joins", "Ek");
        p.status = "applicant".into();
        p.contact.email = "j@example.org".into();
        let joins = r.create(&p).expect("joins").id;
        r.set_status(joins, Status::Active, day(&format!("{y}-03-15")))
            .expect("admitted in March");
        let nowhere = r.create(&person("Nowhere", "Ek")).expect("no address").id;
        let _ = (waiting, nowhere);

        let plan = preview(&*r, &options(&y.to_string())).expect("preview");
        assert_eq!(
            reasons(&plan),
            [
                ("Gone".into(), Exception::Resigned),
                ("Joins".into(), Exception::JoinedDuring),
                ("Nowhere".into(), Exception::Unreachable),
                ("Waiting".into(), Exception::Applicant),
            ]
        );
        assert_eq!(
            billed(&*r, &plan),
            [("Joins".into(), 1200), ("Nowhere".into(), 1200)]
        );
        // Pro rata: March to December, 10 of 12 months.
        let pro = preview(
            &*r,
            &RunOptions {
                pro_rata: true,
                ..options(&y.to_string())
            },
        )
        .expect("pro rata");
        assert_eq!(
            billed(&*r, &pro),
            [("Joins".into(), 1000), ("Nowhere".into(), 1200)]
        );
        // No rule for students: said, not billed.
        add(r, "Stud", "student", None);
        let plan = preview(&*r, &options(&y.to_string())).expect("preview");
        assert!(reasons(&plan).contains(&("Stud".into(), Exception::NoRule)));
        // A period that is none is refused by name.
        let e = preview(&*r, &options("2027-Q9")).expect_err("no period");
        assert_eq!(
            (e.fields()[0].field.as_str(), e.fields()[0].code.as_str()),
            ("period", "invalid_period")
        );
    }

    fn a_run_whose_preview_changed_is_refused_and_writes_nothing(r) {
        add(r, "Anna", "ordinary", None);
        fees::set_rule(r, &rule("ordinary", "1200")).expect("rule");
        let period = next_year().to_string();
        let seen = preview(&*r, &options(&period)).expect("preview");
        add(r, "Bo", "ordinary", None);
        let e = run(
            r,
            &RunOptions {
                expect_count: Some(seen.count),
                expect_total: Some(seen.total),
                ..options(&period)
            },
        )
        .expect_err("changed");
        assert_eq!(e.code(), ErrorCode::RunChanged);
        assert!(r.dues().runs().expect("runs").is_empty());
        assert!(r
            .dues()
            .invoices(&InvoiceQuery::default())
            .expect("none")
            .is_empty());
    }
}

on_both! {
    @ || org("NO"), || pg_org("NO");

    fn the_account_number_is_checked_by_the_organisations_country(r) {
        let input = |account: &str| PaymentsInput {
            account: Some(account.into()),
            kid: Some("MOD11".into()),
            ..Default::default()
        };
        let p = set_payments(r, &input("86011117947")).expect("saved");
        assert_eq!(p.account, "8601.11.17947");
        let e = set_payments(r, &input("86011117948")).expect_err("refused");
        assert_eq!(e.fields()[0].code.as_str(), "check_digit");
        let e = set_payments(
            r,
            &PaymentsInput {
                kid: Some("mod12".into()),
                ..Default::default()
            },
        )
        .expect_err("refused");
        assert_eq!(e.fields()[0].field, "kid");
    }
}

on_both! {
    new: org, pg_org;

    fn a_run_writes_each_invoice_once_with_a_valid_reference_and_a_history_line(new) {
        for (country, scheme) in [
            (
                "SE",
                Scheme::SeOcr {
                    length_digit: false,
                },
            ),
            ("NO", Scheme::NoKidMod10),
            ("DK", Scheme::DkFik71),
        ] {
            let r = &mut *new(country);
            let a = add(r, "Anna", "ordinary", None);
            let b = add(r, "Bo", "ordinary", None);
            fees::set_rule(r, &rule("ordinary", "1200,50")).expect("rule");
            let period = next_year().to_string();
            let plan = run(r, &options(&period)).expect("run");
            assert_eq!((plan.count, plan.total), (2, 240_100), "{country}");
            assert!(plan.run_id.is_some());
            let invoices = r
                .dues()
                .invoices(&InvoiceQuery::default())
                .expect("invoices");
            assert_eq!(invoices.len(), 2);
            for i in &invoices {
                assert_eq!(
                    reference::check(scheme, &i.reference).as_deref(),
                    Ok(i.reference.as_str()),
                    "{country}"
                );
                assert_eq!(
                    (i.status, i.amount, i.period.as_str()),
                    (InvoiceStatus::Open, 120_050, period.as_str())
                );
                let line = r.history(i.member_id).expect("history");
                assert!(
                    line.iter().any(|h| h.kind == HistoryKind::Invoice
                        && h.field.as_deref() == Some(period.as_str())
                        && h.new_value.as_deref() == Some("open")),
                    "{country}: {line:?}"
                );
            }
            assert_ne!(invoices[0].reference, invoices[1].reference);
            assert_eq!(
                invoices.iter().map(|i| i.member_id).collect::<Vec<_>>(),
                [a, b]
            );

            // Again: nobody is billed twice; the preview says why.
            let again = preview(&*r, &options(&period)).expect("preview");
            assert_eq!(again.count, 0);
            assert_eq!(again.exception_counts.len(), 1);
            assert_eq!(again.exception_counts[0].reason, Exception::AlreadyBilled);
            assert_eq!(again.exception_counts[0].count, 2);
            let e = run(r, &options(&period)).expect_err("nothing to bill");
            assert_eq!(e.code(), ErrorCode::NothingToBill);
            assert_eq!(
                r.dues()
                    .invoices(&InvoiceQuery::default())
                    .expect("same")
                    .len(),
                2
            );

            // A member added since: only they are billed.
            add(r, "Cilla", "ordinary", None);
            let more = run(r, &options(&period)).expect("run");
            assert_eq!(more.count, 1);
            assert_eq!(
                r.dues()
                    .invoices(&InvoiceQuery::default())
                    .expect("three")
                    .len(),
                3
            );
        }
    }
}

on_both!(@ (|| org("SE")), (|| pg_org("SE"));
    fn a_run_is_cancelled_as_a_whole_and_then_the_period_can_be_billed_again(r) {
        let anna = add(r, "Anna", "ordinary", None);
        add(r, "Bo", "ordinary", None);
        fees::set_rule(r, &rule("ordinary", "1200")).expect("rule");
        let period = next_year().to_string();
        let first = run(r, &options(&period))
            .expect("run")
            .run_id
            .expect("id");
        cancel(r, first).expect("cancelled");
        let all = r.dues().invoices(&InvoiceQuery::default()).expect("all");
        assert!(all.iter().all(|i| i.status == InvoiceStatus::Credited));
        let credited = r.history(anna).expect("history");
        assert_eq!(credited[0].kind, HistoryKind::Invoice);
        assert_eq!(credited[0].old_value.as_deref(), Some("open"));
        assert_eq!(credited[0].new_value.as_deref(), Some("credited"));

        let second = run(r, &options(&period)).expect("again");
        assert_eq!(second.count, 2);
        let fresh: Vec<String> = second.written.iter().map(|i| i.reference.clone()).collect();
        assert!(
            all.iter().all(|i| !fresh.contains(&i.reference)),
            "references are never reused"
        );

        // Once anything of a run is paid, it cannot be cancelled as a whole.
        let paid = &second.written[0];
        let part = medlem_core::types::payments::HandPayment {
            member_id: paid.member_id,
            invoice_id: Some(paid.id),
            amount: "500".into(),
            method: "cash".into(),
            ..Default::default()
        };
        medlem_core::dues::pay::add(r, &part).expect("paid in part");
        let e = cancel(r, second.run_id.expect("id")).expect_err("paid");
        assert_eq!(e.code(), ErrorCode::RunHasPayments);
        assert_eq!(e.details().count, Some(1));
        let open = r
            .dues()
            .invoices(&InvoiceQuery {
                status: Some(InvoiceStatus::Open),
                ..Default::default()
            })
            .expect("open");
        assert_eq!(open.len(), 1, "nothing changed");
    }
);
