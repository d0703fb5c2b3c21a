//! The layout of every area, at the window's default and minimum size, in
//! the four languages: the document itself never scrolls, nothing reaches
//! past the window or is cut off at the side, and no text is clipped at the
//! top or bottom (Å, Ä and Ö keep their marks). The register holds members
//! with long names, a meeting with a waiting list and a fund with an
//! application; each view is checked with [`App::layout_faults`] and saved
//! as `layout-<lang>-<size>-<view>.png`.

use std::fs;

use medlem_e2e::fixtures::cli;
use medlem_e2e::App;

use crate::{register_with, Person};

const PEOPLE: [Person; 4] = [
    ("Åsa", "Öberg", "1", "Storgatan 1", "831 30", "Östersund"),
    (
        "Ärling",
        "Åkesson-Långström",
        "2",
        "Åsgatan 12 B",
        "837 52",
        "Åre",
    ),
    ("Øystein", "Ødegård", "3", "Ørneveien 4", "9008", "Ørland"),
    (
        "Maximiliana Charlotta",
        "von Württemberg-Sønderborg",
        "4",
        "Östra Ringvägen 112",
        "582 24",
        "Östra Frölunda",
    ),
];

/// A register with [`PEOPLE`], a meeting of one seat where two said yes (one
/// waits) and a fund with one application, made through the CLI.
fn full_register() -> (medlem_e2e::TempDir, std::path::PathBuf, App) {
    let (dir, db, app) = register_with(&PEOPLE);
    app.close();
    let id = cli(
        &db,
        &[
            "--json",
            "meeting",
            "create",
            "--kind",
            "member_meeting",
            "--title",
            "Medlemsmöte om arbetsmiljön på Östra verkstaden och Åkerivägens lager",
            "--starts",
            "2031-03-16 18:00",
            "--capacity",
            "1",
            "--venue",
            "Folkets hus, Östersund",
        ],
    );
    let id =
        serde_json::from_str::<serde_json::Value>(&id).expect("meeting JSON")["id"].to_string();
    cli(
        &db,
        &[
            "meeting", "invite", &id, "--member", "1", "--member", "2", "--member", "3",
        ],
    );
    cli(&db, &["meeting", "reply", &id, "--member", "1", "--yes"]);
    cli(&db, &["meeting", "reply", &id, "--member", "2", "--yes"]);
    let fund = cli(
        &db,
        &[
            "--json",
            "fund",
            "create",
            "--name",
            "Initiativpotten Östersund",
            "--year",
            "2031",
            "--budget",
            "25000",
            "--cap",
            "10000",
        ],
    );
    let fund =
        serde_json::from_str::<serde_json::Value>(&fund).expect("fund JSON")["id"].to_string();
    cli(
        &db,
        &[
            "grant",
            "apply",
            "--fund",
            &fund,
            "--member",
            "2",
            "--title",
            "Föreläsning om ärlighet på arbetsplatsen i Åre",
            "--line",
            "Föreläsare=8000",
        ],
    );
    let app = App::launch(&db);
    app.wait_visible("member-list");
    (dir, db, app)
}

/// Asserts that the view now shown has no layout fault, and saves its picture.
fn check(app: &App, faults: &mut Vec<String>, view: &str) {
    let shot = app.screenshot(&format!("layout-{view}"));
    let found = app.layout_faults();
    eprintln!("layout {view}: {} ({} faults)", shot.display(), found.len());
    faults.extend(found.into_iter().map(|f| format!("{view}: {f}")));
}

#[test]
fn no_area_scrolls_away_cuts_off_or_clips_text_in_any_language_or_size() {
    let (dir, _db, app) = full_register();
    let csv = dir.path().join("medlemmar.csv");
    fs::write(
        &csv,
        "Medlemsnr;Förnamn;Efternamn;Gatuadress;Postnummer;Postort;E-post;Telefon;Inträdesdatum\r\n\
         10;Örjan;Ågren;Åvägen 1;831 30;Östersund;orjan@example.se;070-123 45 67;2019-03-01\r\n\
         4;Maximiliana Charlotta;von Württemberg-Sønderborg-Glücksburg;Östra Ringvägen 112 B, lägenhet 1402;582 24;Östra Frölunda;maximiliana.charlotta@example.se;;\r\n",
    )
    .expect("write the CSV");
    let mut faults = Vec::new();
    for lang in ["sv", "da", "nb", "en"] {
        app.click("nav-settings");
        app.select("settings-language", lang);
        app.wait_until(&format!("the window in {lang}"), |app| {
            let l = app.execute("return document.documentElement.lang;", vec![]);
            (l.as_str() == Some(lang)).then_some(())
        });
        for (w, h) in [(1240, 800), (900, 600)] {
            app.set_window_size(w, h);
            let at = |view: &str| format!("{lang}-{w}x{h}-{view}");

            app.click("nav-members");
            app.click_containing("member-row", "Württemberg");
            app.wait_text_contains("detail-name", "Württemberg");
            check(&app, &mut faults, &at("members"));
            app.click("member-new");
            app.wait_visible("member-form");
            check(&app, &mut faults, &at("member-form"));
            app.click("form-cancel");
            app.wait_gone("member-form");
            app.click("member-import");
            app.wait_visible("import-panel");
            app.type_into("import-path", &csv.display().to_string());
            app.click("import-read");
            app.wait_visible("import-mapping");
            app.wait_visible("import-changes");
            check(&app, &mut faults, &at("import"));
            app.scroll_into_view("import-changes");
            check(&app, &mut faults, &at("import-changes"));
            app.click("import-cancel");
            app.wait_gone("import-panel");

            app.click("nav-meetings");
            app.click_containing("meeting-row", "arbetsmiljön");
            app.wait_visible("seat-panel");
            check(&app, &mut faults, &at("meetings"));
            // A long title wraps in the list rather than being cut.
            let title_whole = app.execute(
                "const n = document.querySelector('[data-testid=\"meeting-row\"] .row-name');
                 return n.scrollWidth <= n.clientWidth + 1 && n.scrollHeight <= n.clientHeight + 1;",
                vec![],
            );
            if title_whole != serde_json::Value::Bool(true) {
                faults.push(format!(
                    "{}: the meeting's title is cut in the list",
                    at("meetings")
                ));
            }

            app.click("nav-grants");
            app.click_containing("fund-row", "Initiativpotten");
            app.click_containing("application-row", "ärlighet");
            app.wait_text_contains("application-title", "ärlighet");
            check(&app, &mut faults, &at("grants"));
            app.click("application-new");
            app.wait_visible("application-form");
            check(&app, &mut faults, &at("application-form"));
            let heading_below_overview = app.execute(
                "const h = document.querySelector('[data-testid=\"application-form\"] h3').getBoundingClientRect();
                 const o = document.querySelector('[data-testid=\"fund-overview\"]').getBoundingClientRect();
                 return h.top >= o.bottom || h.bottom <= o.top;",
                vec![],
            );
            if heading_below_overview != serde_json::Value::Bool(true) {
                faults.push(format!(
                    "{}: the form's heading is under the fund's overview",
                    at("application-form")
                ));
            }
            app.click("form-cancel");
            app.wait_gone("application-form");

            for area in ["dues", "letters", "backup", "settings"] {
                app.click(&format!("nav-{area}"));
                let shown = if area == "settings" {
                    "settings".to_owned()
                } else {
                    format!("{area}-area")
                };
                app.wait_visible(&shown);
                check(&app, &mut faults, &at(area));
                if area == "dues" {
                    app.click("dues-tab-books");
                    app.wait_visible("accounts-form");
                    check(&app, &mut faults, &at("dues-books"));
                    app.click("dues-tab-invoices");
                    app.wait_visible("dues-run-form");
                }
            }
            // The statutes' boxes side by side start at the same height,
            // however their labels wrap.
            app.scroll_into_view("statutes");
            app.wait_visible("statutes-min");
            check(&app, &mut faults, &at("statutes"));
            let misaligned = app.execute(
                "const boxes = ['min', 'max', 'quorum-count', 'quorum-percent'].map((n) =>
                   document.querySelector(`[data-testid=\"statutes-${n}\"]`));
                 const rows = boxes.map((b) => b.closest('.field').getBoundingClientRect().top);
                 const tops = boxes.map((b) => b.getBoundingClientRect().top);
                 const out = [];
                 for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++)
                   if (Math.abs(rows[i] - rows[j]) < 1 && Math.abs(tops[i] - tops[j]) > 1) out.push(`${i + 1} and ${j + 1}`);
                 return out.join(', ');",
                vec![],
            );
            if misaligned.as_str() != Some("") {
                faults.push(format!(
                    "{}: the statutes' boxes {misaligned} are not level",
                    at("settings")
                ));
            }
        }
    }
    assert!(faults.is_empty(), "layout faults:\n{}", faults.join("\n"));
}
