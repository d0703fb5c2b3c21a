//! `cargo xtask bench`: the register at 100 000 generated members.
//!
//! Prints one figure per line as `name: value unit`.

use std::time::{Duration, Instant};

use medlem_core::demo::{Rng, CITIES, FIRST, LAST};
use std::sync::atomic::AtomicBool;

use medlem_core::backup;
use medlem_core::export::{self, ExportFormat};
use medlem_core::{Kind, Language, ListQuery, OrgInput, Register, SqliteRegister};

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let members: usize = std::env::args()
        .skip_while(|a| a != "--members")
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.sqlite");

    let t = Instant::now();
    {
        let mut r = SqliteRegister::open(&path)?;
        medlem_core::demo::create(&mut r, members)?;
    }
    println!("members: {members} count");
    println!("generate_and_insert: {:.2} s", t.elapsed().as_secs_f64());

    let t = Instant::now();
    let r = SqliteRegister::open(&path)?;
    println!("open_database: {} ms", ms(t.elapsed()));

    // What the window asks for first: the members (not prospects), by name.
    let t = Instant::now();
    r.list(&ListQuery {
        kind: Some(Kind::Member),
        ..Default::default()
    })?;
    println!("first_members_page_cold: {} ms", ms(t.elapsed()));
    let t = Instant::now();
    r.list(&ListQuery {
        kind: Some(Kind::Member),
        ..Default::default()
    })?;
    println!("first_members_page_warm: {} ms", ms(t.elapsed()));

    let t = Instant::now();
    let first = r.list(&ListQuery::default())?;
    println!("first_page_cold: {} ms", ms(t.elapsed()));
    let mut pages: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            r.list(&ListQuery::default()).map(|_| t.elapsed())
        })
        .collect::<Result<_, _>>()?;
    pages.sort();
    println!("first_page_median: {} ms", ms(percentile(&pages, 0.5)));
    assert_eq!(first.total as usize, members);

    // The status filter and its count (each member's status as of today:
    // a change dated later waits for its day).
    let mut status_pages: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            r.list(&ListQuery {
                status: Some(medlem_core::Status::Active),
                kind: Some(Kind::Member),
                ..Default::default()
            })
            .map(|_| t.elapsed())
        })
        .collect::<Result<_, _>>()?;
    status_pages.sort();
    println!(
        "status_filter_page_median: {} ms",
        ms(percentile(&status_pages, 0.5))
    );
    let t = Instant::now();
    r.list(&ListQuery {
        status: Some(medlem_core::Status::Resigned),
        sort: medlem_core::SortKey::Status,
        ..Default::default()
    })?;
    println!("status_filter_sorted_by_status: {} ms", ms(t.elapsed()));

    // 1000 queries of 2-4 letters, as a treasurer types the start of a name or city.
    let mut rng = Rng::new(7);
    let words: Vec<&str> = FIRST
        .iter()
        .chain(LAST)
        .copied()
        .chain(CITIES.iter().map(|c| c.1))
        .collect();
    let mut times = Vec::with_capacity(1000);
    let mut hits = 0i64;
    for _ in 0..1000 {
        let word = words[rng.below(words.len())];
        let len = 2 + rng.below(3);
        let query: String = word.chars().take(len).collect();
        let t = Instant::now();
        let page = r.list(&ListQuery {
            search: query,
            ..Default::default()
        })?;
        times.push(t.elapsed());
        hits += page.total;
    }
    times.sort();
    // The same queries as the window sends them: members only (not prospects).
    let mut rng = Rng::new(7);
    let mut member_times = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let word = words[rng.below(words.len())];
        let len = 2 + rng.below(3);
        let query: String = word.chars().take(len).collect();
        let t = Instant::now();
        r.list(&ListQuery {
            search: query,
            kind: Some(Kind::Member),
            ..Default::default()
        })?;
        member_times.push(t.elapsed());
    }
    member_times.sort();
    println!("search_median: {} ms", ms(percentile(&times, 0.5)));
    println!("search_p95: {} ms", ms(percentile(&times, 0.95)));
    println!(
        "search_max: {} ms",
        ms(*times.last().unwrap_or(&Duration::ZERO))
    );
    println!("search_mean_hits: {} members", hits / 1000);
    println!(
        "search_members_only_median: {} ms",
        ms(percentile(&member_times, 0.5))
    );
    println!(
        "search_members_only_p95: {} ms",
        ms(percentile(&member_times, 0.95))
    );

    r.connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
    let size = std::fs::metadata(&path)?.len();
    println!("file_size: {:.1} MB", size as f64 / 1_000_000.0);

    // Backup (snapshot, encrypt, write, read back, decrypt, check) and restore.
    let t = Instant::now();
    backup::set_passphrase(&r, "bench passphrase", None)?;
    println!("backup_set_passphrase: {:.2} s", t.elapsed().as_secs_f64());
    reset_peak();
    let t = Instant::now();
    let mut steps: Vec<(String, Instant)> = Vec::new();
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |step, _| {
        steps.push((step.to_owned(), Instant::now()))
    })?;
    let end = Instant::now();
    println!("backup_and_verify: {:.2} s", t.elapsed().as_secs_f64());
    for (i, (step, at)) in steps.iter().enumerate() {
        let until = steps.get(i + 1).map(|s| s.1).unwrap_or(end);
        println!("backup_step_{step}: {:.2} s", (until - *at).as_secs_f64());
    }
    println!("backup_and_verify_peak_rss: {} MB", peak_mb());
    println!("backup_size: {:.1} MB", report.bytes as f64 / 1_000_000.0);
    // What the verification's integrity_check costs at this size.
    {
        let c = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )?;
        c.execute_batch("PRAGMA cache_size = -262144; PRAGMA mmap_size = 1073741824;")?;
        for pragma in ["integrity_check", "quick_check"] {
            let t = Instant::now();
            let ok: String = c.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?;
            assert_eq!(ok, "ok");
            println!("sqlite_{pragma}: {:.2} s", t.elapsed().as_secs_f64());
        }
    }
    // Restore on another computer: the passphrase step (scrypt, about a
    // second by design), then the restore itself into an empty folder.
    reset_peak();
    let t = Instant::now();
    let key = backup::register_identity(&r)?;
    let key_name = backup::key_file_name(&backup::fingerprint(&key.to_public()));
    let key_file = std::fs::read(dir.path().join("USB").join(key_name))?;
    let identity = backup::unlock_key_file(&key_file, "bench passphrase".to_owned().into())?;
    println!(
        "restore_passphrase_step: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let passphrase_rss = peak_mb();
    reset_peak();
    let t = Instant::now();
    let restored_path = dir.path().join("restored").join("medlem.sqlite");
    let restored = backup::restore(
        &restored_path,
        &report.file,
        &backup::Unlock::Key(identity.clone()),
        &mut |_, _| {},
    )?;
    println!("restore_fresh: {:.2} s", t.elapsed().as_secs_f64());
    println!("restore_fresh_peak_rss: {} MB", peak_mb());
    println!("restore_passphrase_step_peak_rss: {passphrase_rss} MB");
    assert_eq!(restored.info.members as usize, members);
    // Over an existing register of the same size: a safety copy is kept.
    reset_peak();
    let t = Instant::now();
    let again = backup::restore(
        &restored_path,
        &report.file,
        &backup::Unlock::Key(identity),
        &mut |_, _| {},
    )?;
    println!(
        "restore_over_register_with_safety_copy: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    println!("restore_over_register_peak_rss: {} MB", peak_mb());
    assert!(again.safety_copy.is_some());

    // Export the whole register, then import each file into an empty one.
    let never = AtomicBool::new(false);
    for format in [ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Json] {
        let out = dir.path().join(format!("all.{}", format.extension()));
        let t = Instant::now();
        let done = export::export(
            &r,
            &ListQuery::default(),
            format,
            Language::Sv,
            &out,
            &mut |_| {},
            &never,
        )?;
        println!("export_{format}: {:.2} s", t.elapsed().as_secs_f64());
        println!(
            "export_{format}_size: {:.1} MB",
            std::fs::metadata(&out)?.len() as f64 / 1_000_000.0
        );
        assert_eq!(done.members, members);
        if format == ExportFormat::Json {
            continue;
        }
        let target = dir.path().join(format!("import-{format}.sqlite"));
        let mut fresh = SqliteRegister::open(&target)?;
        fresh.create_org(&OrgInput {
            name: "Bench".into(),
            country: "SE".into(),
            ..Default::default()
        })?;
        let t = Instant::now();
        let preview = medlem_core::import::preview(&fresh, &out, None)?;
        println!(
            "import_{format}_preview: {:.2} s",
            t.elapsed().as_secs_f64()
        );
        assert_eq!((preview.new, preview.problems.len()), (members, 0));
        let t = Instant::now();
        let summary = medlem_core::import::commit(
            &mut fresh,
            &out,
            None,
            &Default::default(),
            &mut |_, _| {},
            &never,
        )?;
        println!("import_{format}_commit: {:.2} s", t.elapsed().as_secs_f64());
        assert_eq!(summary.new, members);
    }

    // 4000 one-page letters into one PDF (the welcome letter, each in the
    // member's language), history recorded.
    {
        let path = dir.path().join("letters.sqlite");
        let mut r = SqliteRegister::open(&path)?;
        medlem_core::demo::create(&mut r, 4000)?;
        let out = dir.path().join("letters.pdf");
        reset_peak();
        let t = Instant::now();
        let done = medlem_core::letters::letters(
            &mut r,
            "welcome",
            &ListQuery::default(),
            &out,
            &mut |_, _| {},
            &never,
            medlem_core::LETTER_KINDS,
        )?;
        println!("letters_4000: {:.2} s", t.elapsed().as_secs_f64());
        println!("letters_4000_peak_rss: {} MB", peak_mb());
        println!(
            "letters_4000_size: {:.1} MB",
            std::fs::metadata(&out)?.len() as f64 / 1_000_000.0
        );
        println!("letters_4000_pages: {} pages", done.pages);
        assert_eq!(done.items, 4000);
    }

    // 4000 invoices as letters into one PDF, each with its Swish QR code.
    {
        use medlem_core::dues::{fees, run, set_payments};
        use medlem_core::types::dues::{FeeRuleInput, PaymentsInput};
        let path = dir.path().join("invoices.sqlite");
        let mut r = SqliteRegister::open(&path)?;
        // 4 860 generated members, of whom 4 002 are billed (the others are
        // honorary, resigned or prospects).
        medlem_core::demo::create(&mut r, 4860)?;
        set_payments(
            &mut r,
            &PaymentsInput {
                bankgiro: Some("5050-1055".into()),
                swish: Some("1231181189".into()),
                ..Default::default()
            },
        )?;
        fees::set_rule(
            &mut r,
            &FeeRuleInput {
                period: "year".into(),
                amount: "1200".into(),
                valid_from: "2020-01-01".into(),
                ..Default::default()
            },
        )?;
        let plan = run::run(
            &mut r,
            &run::RunOptions {
                period: "2031".into(),
                ..Default::default()
            },
        )?;
        let out = dir.path().join("invoices.pdf");
        reset_peak();
        let t = Instant::now();
        let done = medlem_core::dues::letters::print_invoices(
            &mut r,
            &medlem_core::store::dues::InvoiceQuery {
                period: Some("2031".into()),
                ..Default::default()
            },
            &out,
            &mut |_, _| {},
            &never,
        )?;
        println!(
            "invoices_pdf: {:.2} s ({} invoices)",
            t.elapsed().as_secs_f64(),
            done.items
        );
        println!("invoices_pdf_peak_rss: {} MB", peak_mb());
        println!(
            "invoices_pdf_size: {:.1} MB",
            std::fs::metadata(&out)?.len() as f64 / 1_000_000.0
        );
        assert_eq!(done.items, plan.written.len());
        assert!(done.items >= 4000);
    }

    // A meeting in the big register: 10 000 members invited (hand-picked,
    // the slowest way in), 300 replies through the seat logic, and their
    // 10 000 invitation letters as one PDF.
    {
        use medlem_core::meetings::{self, InviteSelection, MeetingInput};
        let mut r = SqliteRegister::open(&path)?;
        let ids: Vec<i64> = {
            let mut stmt = r
                .connection()
                .prepare("SELECT id FROM members WHERE kind = 'member' ORDER BY id LIMIT 10000")?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let m = meetings::create(
            &mut r,
            &MeetingInput {
                kind: "member_meeting".into(),
                title: "Medlemsmöte".into(),
                starts: "2027-03-16 18:00".into(),
                ends: "20:00".into(),
                venue: "Folkets hus".into(),
                agenda: "1. Välkommen\n2. Avtalsrörelsen\n3. Övriga frågor".into(),
                capacity: Some(85),
                ..Default::default()
            },
        )?;
        let selection = InviteSelection {
            member_ids: ids.clone(),
            only_picked: true,
            ..Default::default()
        };
        reset_peak();
        let t = Instant::now();
        let s = meetings::invite(&mut r, m.id, &selection)?;
        println!("meeting_invite_10000: {} ms", ms(t.elapsed()));
        assert_eq!(s.invited, ids.len());
        let mut replies: Vec<Duration> = ids
            .iter()
            .take(300)
            .map(|id| {
                let t = Instant::now();
                meetings::reply(&mut r, m.id, *id, true).map(|_| t.elapsed())
            })
            .collect::<Result<_, _>>()?;
        replies.sort();
        println!(
            "meeting_reply_median_10000_invited: {} ms",
            ms(percentile(&replies, 0.5))
        );
        let t = Instant::now();
        let o = meetings::overview(&r, m.id)?;
        println!("meeting_overview: {} ms", ms(t.elapsed()));
        assert_eq!((o.counts.seats_taken, o.waiting.len()), (85, 215));
        let t = Instant::now();
        let people = meetings::invitees(&r, m.id)?;
        println!("meeting_invitees_10000: {} ms", ms(t.elapsed()));
        assert_eq!(people.len(), ids.len());
        // The window reads the list a page at a time.
        let t = Instant::now();
        let page = meetings::people(
            &r,
            m.id,
            &meetings::PeopleQuery {
                limit: 200,
                ..Default::default()
            },
        )?;
        println!("meeting_people_page_10000: {} ms", ms(t.elapsed()));
        assert_eq!((page.rows.len(), page.found), (200, ids.len()));
        let out = dir.path().join("invitations.pdf");
        reset_peak();
        let t = Instant::now();
        let done = meetings::letters(
            &mut r,
            m.id,
            meetings::MeetingLetters::Invitations,
            &out,
            &mut |_, _| {},
            &never,
        )?;
        println!("meeting_letters_10000: {:.2} s", t.elapsed().as_secs_f64());
        println!("meeting_letters_10000_peak_rss: {} MB", peak_mb());
        println!(
            "meeting_letters_10000_size: {:.1} MB",
            std::fs::metadata(&out)?.len() as f64 / 1_000_000.0
        );
        assert_eq!(done.summary.items, ids.len());
    }

    // A fund with 5 000 applications in every stage: the overview, the
    // list, one application, and an approval that reads all the others.
    {
        use medlem_core::grants::{
            self, ApplicationInput, ApplicationQuery, FundInput, LineInput, StepInput,
        };
        let path = dir.path().join("grants.sqlite");
        let mut r = SqliteRegister::open(&path)?;
        medlem_core::demo::create(&mut r, 6000)?;
        let members: Vec<i64> = {
            let mut stmt = r.connection().prepare(
                "SELECT id FROM members WHERE kind = 'member' AND status = 'active' ORDER BY id",
            )?;
            let rows = stmt.query_map([], |row| row.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let fund = grants::fund_create(
            &mut r,
            &FundInput {
                name: "Initiativpotten".into(),
                period: "2027".into(),
                budget: "100000000".into(),
                cap: "10000".into(),
                ..Default::default()
            },
        )?;
        let t = Instant::now();
        let mut ids = Vec::with_capacity(5000);
        for i in 0..5000usize {
            let v = grants::apply(
                &mut r,
                &ApplicationInput {
                    fund_id: fund.id,
                    applicant_kind: "member".into(),
                    applicant: medlem_core::grants::Applicant {
                        member_id: Some(members[i % members.len()]),
                        ..Default::default()
                    },
                    title: format!("Workshop {i}"),
                    lines: vec![
                        LineInput {
                            item: "Föreläsare".into(),
                            amount: "6000".into(),
                        },
                        LineInput {
                            item: "Lokal".into(),
                            amount: format!("{}", 1000 + i % 3000),
                        },
                    ],
                    ..Default::default()
                },
            )?;
            ids.push(v.application.id);
        }
        println!("grants_apply_5000: {:.2} s", t.elapsed().as_secs_f64());
        for (i, id) in ids.iter().enumerate() {
            let steps: &[&str] = match i % 5 {
                0 => &[],
                1 => &["submit"],
                2 => &["submit", "approve"],
                3 => &["submit", "approve", "pay"],
                _ => &["submit", "reject"],
            };
            for s in steps {
                grants::step(
                    &mut r,
                    *id,
                    &StepInput {
                        step: (*s).into(),
                        amount: "7000".into(),
                        reason: "Nej".into(),
                        ..Default::default()
                    },
                )?;
            }
        }
        let t = Instant::now();
        let o = grants::fund_overview(&r, fund.id)?;
        println!("grants_fund_overview_5000: {} ms", ms(t.elapsed()));
        assert_eq!(o.totals.committed, 1000 * 700_000);
        let t = Instant::now();
        let list = grants::applications(
            &r,
            &ApplicationQuery {
                fund_id: Some(fund.id),
                ..Default::default()
            },
        )?;
        println!("grants_list_5000: {} ms", ms(t.elapsed()));
        assert_eq!(list.len(), 5000);
        let t = Instant::now();
        let open = grants::applications(
            &r,
            &ApplicationQuery {
                fund_id: Some(fund.id),
                stage: Some(grants::workflow::Stage::Submitted),
                ..Default::default()
            },
        )?;
        println!("grants_list_submitted: {} ms", ms(t.elapsed()));
        let t = Instant::now();
        let found = grants::applications(
            &r,
            &ApplicationQuery {
                search: "workshop 4711".into(),
                ..Default::default()
            },
        )?;
        println!("grants_search: {} ms", ms(t.elapsed()));
        assert_eq!(found.len(), 1);
        let t = Instant::now();
        grants::application(&r, ids[17])?;
        println!("grants_application_view: {} ms", ms(t.elapsed()));
        let t = Instant::now();
        grants::step(
            &mut r,
            open[0].id,
            &StepInput {
                step: "approve".into(),
                amount: "7000".into(),
                ..Default::default()
            },
        )?;
        println!("grants_approve_among_5000: {} ms", ms(t.elapsed()));
    }
    dues(&path)?;
    Ok(())
}

/// Dues at the big register: a fee run's preview and the run itself (every
/// member read once, every invoice with its reference and history line in
/// one transaction), then a camt.054 paying a tenth of the invoices read as
/// a dry run and booked, and every invoice of the period read.
fn dues(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    use medlem_core::dues::{fees, pay, run};
    use medlem_core::store::dues::InvoiceQuery;
    use medlem_core::store::Reads;
    use medlem_core::types::dues::FeeRuleInput;
    let mut r = SqliteRegister::open(path)?;
    for (kind, amount) in [("ordinary", "1200"), ("student", "300"), ("retired", "600")] {
        fees::set_rule(
            &mut r,
            &FeeRuleInput {
                membership_type: kind.into(),
                period: "year".into(),
                amount: amount.into(),
                valid_from: "2020-01-01".into(),
                ..Default::default()
            },
        )?;
    }
    let options = run::RunOptions {
        period: "2031".into(),
        ..Default::default()
    };
    reset_peak();
    let t = Instant::now();
    let plan = run::preview(&r, &options)?;
    println!("dues_preview: {:.2} s", t.elapsed().as_secs_f64());
    println!("dues_preview_invoices: {} count", plan.count);
    let t = Instant::now();
    let done = run::run(&mut r, &options)?;
    println!("dues_run: {:.2} s", t.elapsed().as_secs_f64());
    println!("dues_run_peak_rss: {} MB", peak_mb());
    let invoices = done.written;

    // A bank's camt.054 with 100 000 entries, each paying half an invoice
    // by its reference: every invoice once, and the first ones twice (paid
    // in full).
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2031-02-01T08:00:00</CreDtTm></GrpHdr><Ntfctn><Id>1</Id><CreDtTm>2031-02-01T08:00:00</CreDtTm><Acct><Id><IBAN>SE5550000000053271004417</IBAN></Id></Acct>",
    );
    for n in 0..100_000 {
        let i = &invoices[n % invoices.len()];
        let half = i.amount / 2;
        xml.push_str(&format!(
            "<Ntry><NtryRef>{n}</NtryRef><Amt Ccy=\"SEK\">{}.{:02}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2031-02-01</Dt></BookgDt><ValDt><Dt>2031-02-01</Dt></ValDt><AcctSvcrRef>B{n}</AcctSvcrRef><BkTxCd/><NtryDtls><TxDtls><Refs><AcctSvcrRef>T{n}</AcctSvcrRef></Refs><RmtInf><Strd><CdtrRefInf><Ref>{}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>",
            half / 100,
            half % 100,
            i.reference
        ));
    }
    xml.push_str("</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>");
    let t = Instant::now();
    let dry = pay::import(&mut r, xml.as_bytes(), "bench.xml", true)?;
    println!("pay_import_dry_run: {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let booked = pay::import(&mut r, xml.as_bytes(), "bench.xml", false)?;
    println!("pay_import: {:.2} s", t.elapsed().as_secs_f64());
    println!("pay_import_payments: {} count", booked.read);
    println!("pay_import_matched: {} count", booked.matched.len());
    println!("pay_import_review: {} count", booked.review.len());
    assert_eq!(dry.matched.len(), booked.matched.len());

    // The year's vouchers for the accounting program: every invoice and
    // payment, as SIE 4. Another command, as in the CLI: the register is
    // opened again (closing it folded its write-ahead log into the file).
    drop(r);
    let mut r = SqliteRegister::open(path)?;
    let out = path.with_file_name("books.se");
    let input = medlem_core::books::ExportInput {
        format: "sie4".into(),
        from: "2000-01-01".into(),
        to: "2031-12-31".into(),
        all: false,
    };
    let t = Instant::now();
    let done = medlem_core::books::export(&mut r, &input, &out)?;
    println!("books_export_sie: {:.2} s", t.elapsed().as_secs_f64());
    println!("books_export_vouchers: {} count", done.vouchers);
    println!(
        "books_export_size: {:.1} MB",
        std::fs::metadata(&out)?.len() as f64 / 1_000_000.0
    );

    let t = Instant::now();
    let q = InvoiceQuery {
        period: Some("2031".into()),
        ..Default::default()
    };
    println!(
        "dues_show_all: {} ms ({} invoices)",
        ms({
            let n = r.dues().invoices(&q)?.len();
            assert_eq!(n, invoices.len());
            t.elapsed()
        }),
        invoices.len()
    );
    Ok(())
}

/// Resets the process's peak resident size (Linux), so the next figure is
/// the peak of one step.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident size since the last reset, in MB (Linux; 0 elsewhere).
fn peak_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map(|kb| kb / 1024)
        .unwrap_or(0)
}
