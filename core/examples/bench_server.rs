//! `cargo xtask bench`, the office server's half: the member register at
//! 100 000 generated members in a PostgreSQL database over loopback, the
//! same figures as the file's (`bench.rs`) where the server has the area.
//!
//! `MEDLEM_BENCH_PG` is a server address on which the bench may create
//! databases (xtask starts a throwaway server for it). Prints one figure
//! per line as `name: value unit`, each name starting with `server_`.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use medlem_core::demo::{Rng, CITIES, FIRST, LAST};
use medlem_core::export::{self, ExportFormat};
use medlem_core::{Kind, Language, ListQuery, OrgInput, PgRegister, Register};

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// A new database on the server; its address.
fn database(server: &str, name: &str) -> Result<String, Box<dyn std::error::Error>> {
    let mut admin = postgres::Client::connect(server, postgres::NoTls)?;
    // Each on its own: neither may run inside a transaction.
    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))?;
    admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let (base, _) = server
        .rsplit_once('/')
        .ok_or("no database in the address")?;
    Ok(format!("{base}/{name}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = std::env::var("MEDLEM_BENCH_PG")
        .map_err(|_| "MEDLEM_BENCH_PG is not set (cargo xtask bench starts a server)")?;
    let members: usize = std::env::args()
        .skip_while(|a| a != "--members")
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(100_000);
    let never = AtomicBool::new(false);
    let dir = tempfile::tempdir()?;
    let url = database(&server, "medlem_bench")?;

    let t = Instant::now();
    {
        let mut r = PgRegister::open(&url)?;
        medlem_core::demo::create(&mut r, members)?;
    }
    println!("server_members: {members} count");
    println!(
        "server_generate_and_insert: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let r = PgRegister::open(&url)?;
    println!("server_open: {} ms", ms(t.elapsed()));

    let t = Instant::now();
    let first = r.list(&ListQuery {
        kind: Some(Kind::Member),
        ..Default::default()
    })?;
    println!("server_first_members_page_cold: {} ms", ms(t.elapsed()));
    let mut pages: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            r.list(&ListQuery {
                kind: Some(Kind::Member),
                ..Default::default()
            })
            .map(|_| t.elapsed())
        })
        .collect::<Result<_, _>>()?;
    pages.sort();
    println!(
        "server_first_members_page_median: {} ms",
        ms(percentile(&pages, 0.5))
    );
    assert!(first.total > 0);

    // The same 1000 queries as the file's bench: 2-4 letters of a name or city.
    let mut rng = Rng::new(7);
    let words: Vec<&str> = FIRST
        .iter()
        .chain(LAST)
        .copied()
        .chain(CITIES.iter().map(|c| c.1))
        .collect();
    let mut times = Vec::with_capacity(1000);
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
        times.push(t.elapsed());
    }
    times.sort();
    println!("server_search_median: {} ms", ms(percentile(&times, 0.5)));
    println!("server_search_p95: {} ms", ms(percentile(&times, 0.95)));

    // Export, then import into an empty server database.
    let out = dir.path().join("alla.csv");
    let t = Instant::now();
    export::export(
        &r,
        &ListQuery::default(),
        ExportFormat::Csv,
        Language::Sv,
        &out,
        &mut |_| {},
        &never,
    )?;
    println!("server_export_csv: {:.2} s", t.elapsed().as_secs_f64());
    let mut fresh = PgRegister::open(&database(&server, "medlem_bench_import")?)?;
    fresh.create_org(&OrgInput {
        name: "Bench".into(),
        country: "SE".into(),
        ..Default::default()
    })?;
    let t = Instant::now();
    let summary = medlem_core::import::commit(
        &mut fresh,
        &out,
        None,
        &Default::default(),
        &mut |_, _| {},
        &never,
    )?;
    println!(
        "server_import_csv_commit: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(summary.new, members);

    // The same members imported into a file, moved onto an empty server
    // database, and back into a new file.
    let mut file = medlem_core::open(&dir.path().join("klubben.sqlite"))?;
    file.create_org(&OrgInput {
        name: "Bench".into(),
        country: "SE".into(),
        ..Default::default()
    })?;
    medlem_core::import::commit(
        &mut file,
        &out,
        None,
        &Default::default(),
        &mut |_, _| {},
        &never,
    )?;
    let mut office = PgRegister::open(&database(&server, "medlem_bench_move")?)?;
    let t = Instant::now();
    let moved = office.copy_from_file(&file, &mut |_, _| {}, &never)?;
    println!("server_move_from_file: {:.2} s", t.elapsed().as_secs_f64());
    assert_eq!(moved.rows("members"), members as i64);
    let copy = medlem_core::open(&dir.path().join("kopia.sqlite"))?;
    let t = Instant::now();
    let back = office.copy_to_file(&copy, &mut |_, _| {}, &never)?;
    println!("server_move_to_file: {:.2} s", t.elapsed().as_secs_f64());
    assert_eq!(back, moved);

    // A fee run over the moved register: every member read once, every
    // invoice with its reference and history line, in one unit of work.
    {
        use medlem_core::dues::{fees, run};
        use medlem_core::types::dues::FeeRuleInput;
        fees::set_rule(
            &mut office,
            &FeeRuleInput {
                period: "year".into(),
                amount: "1200".into(),
                valid_from: "2020-01-01".into(),
                ..Default::default()
            },
        )?;
        let t = Instant::now();
        let done = run::run(
            &mut office,
            &run::RunOptions {
                period: "2031".into(),
                ..Default::default()
            },
        )?;
        println!("server_dues_run: {:.2} s", t.elapsed().as_secs_f64());
        println!("server_dues_run_invoices: {} count", done.written.len());
    }

    // 4000 one-page letters, history recorded on the server.
    let mut four = PgRegister::open(&database(&server, "medlem_bench_letters")?)?;
    medlem_core::demo::create(&mut four, 4000)?;
    let pdf = dir.path().join("letters.pdf");
    let t = Instant::now();
    let done = medlem_core::letters::letters(
        &mut four,
        "welcome",
        &ListQuery::default(),
        &pdf,
        &mut |_, _| {},
        &never,
        medlem_core::LETTER_KINDS,
    )?;
    println!("server_letters_4000: {:.2} s", t.elapsed().as_secs_f64());
    assert_eq!(done.items, 4000);

    officers(&url)?;
    Ok(())
}

/// 8 officers on the 100 000-member register at once for 30 s, each on
/// their own connection: searches, pages, and saves of members opened a
/// moment before (two officers may open the same one: the later save is
/// refused as `member_changed`). No update is lost when every save that
/// succeeded shows in the versions: the members' versions grew by exactly
/// the number of successful saves.
fn officers(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    use std::sync::{Arc, Barrier};
    const OFFICERS: usize = 8;
    let seconds: u64 = std::env::var("MEDLEM_BENCH_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    // Saves go to the first 200 members, so officers do meet.
    let r = PgRegister::open(url)?;
    let ids = r.list_ids(&ListQuery::default())?;
    let ids: Arc<Vec<i64>> = Arc::new(ids.into_iter().take(200).collect());
    let versions = |r: &PgRegister| -> Result<i64, medlem_core::Error> {
        ids.iter().map(|id| r.get(*id).map(|m| m.version)).sum()
    };
    let before = versions(&r)?;
    let start = Arc::new(Barrier::new(OFFICERS));
    let threads: Vec<_> = (0..OFFICERS)
        .map(|n| {
            let (url, ids, start) = (url.to_owned(), ids.clone(), start.clone());
            std::thread::spawn(move || -> Result<(u64, u64, u64, u64), String> {
                let mut r = PgRegister::open(&url).map_err(|e| e.to_string())?;
                let mut rng = Rng::new(100 + n as u64);
                let (mut reads, mut saved, mut stale, mut other) = (0u64, 0u64, 0u64, 0u64);
                start.wait();
                let until = Instant::now() + Duration::from_secs(seconds);
                while Instant::now() < until {
                    let roll = rng.below(10);
                    if roll < 6 {
                        let word = FIRST[rng.below(FIRST.len())];
                        let search: String = word.chars().take(3).collect();
                        match r.list(&ListQuery {
                            search,
                            ..Default::default()
                        }) {
                            Ok(_) => reads += 1,
                            Err(_) => other += 1,
                        }
                        continue;
                    }
                    let id = ids[rng.below(ids.len())];
                    let Ok(m) = r.get(id) else {
                        other += 1;
                        continue;
                    };
                    let input = medlem_core::MemberInput {
                        number: m.number.clone(),
                        kind: m.kind.to_string(),
                        contact: m.contact.clone(),
                        language: m.language.to_string(),
                        membership_type: m.membership_type.to_string(),
                        notes: format!("officer {n} save {saved}"),
                        version: Some(m.version),
                        ..Default::default()
                    };
                    match r.update(id, &input) {
                        Ok(_) => saved += 1,
                        Err(e) if e.code() == "member_changed" => stale += 1,
                        Err(_) => other += 1,
                    }
                }
                Ok((reads, saved, stale, other))
            })
        })
        .collect();
    let (mut reads, mut saved, mut stale, mut other) = (0, 0, 0, 0);
    for t in threads {
        let (a, b, c, d) = t.join().map_err(|_| "an officer's thread panicked")??;
        reads += a;
        saved += b;
        stale += c;
        other += d;
    }
    let grown = versions(&r)? - before;
    println!("server_officers: {OFFICERS} count, {seconds} s");
    println!("server_officers_reads: {reads} count");
    println!("server_officers_saves: {saved} count");
    println!("server_officers_stale_refused: {stale} count");
    println!("server_officers_other_errors: {other} count");
    println!(
        "server_officers_lost_updates: {} count",
        saved as i64 - grown
    );
    Ok(())
}
