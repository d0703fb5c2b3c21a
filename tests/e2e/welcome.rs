//! The first start: the welcome form and the demo register.

use medlem_e2e::fixtures::{cli, i18n, temp_db};
use medlem_e2e::{first_number, App};

use crate::{member_count, ORG};

#[test]
fn first_start_creates_the_organisation() {
    let (_dir, db) = temp_db();
    let app = App::launch(&db);
    app.wait_visible("welcome");
    assert!(
        !app.is_visible("sidebar"),
        "no shell before there is an organisation"
    );
    app.screenshot("welcome");

    // The currency follows the country.
    for (country, currency) in [("DK", "DKK"), ("NO", "NOK"), ("SE", "SEK")] {
        app.select("org-country", country);
        app.wait_text_contains("org-currency", currency);
    }

    // An empty name is refused next to the field, and nothing is created.
    app.type_into("org-name", "");
    app.click("org-create");
    app.wait_error("error-name");
    assert!(app.is_visible("welcome"));
    assert!(!app.is_visible("org-title"));
    let app = app.restart();
    app.wait_visible("welcome");
    assert!(
        !app.is_visible("org-title"),
        "the refused form wrote an organisation"
    );

    app.type_into("org-name", ORG);
    app.select("org-country", "SE");
    app.wait_text_contains("org-currency", "SEK");
    app.click("org-create");
    app.wait_text_contains("org-title", ORG);
    assert_eq!(app.text("org-title"), ORG);
    app.wait_visible("member-list");
    app.wait_gone("welcome");
    app.wait_visible("sidebar");
    app.screenshot("members-empty");

    // It is the organisation of this database from now on.
    let app = app.restart();
    app.wait_text_contains("org-title", ORG);
    app.wait_visible("member-list");
    assert!(!app.is_visible("welcome"));
    app.close();
}

#[test]
fn demo_register_has_hundreds_of_members() {
    let (_dir, db) = temp_db();
    let app = App::launch(&db);
    app.click("demo-open");
    app.wait_text_contains("org-title", "Demoföreningen");
    let count = app.wait_until("member-count above 100", |app| {
        app.all_texts("member-count")
            .first()
            .and_then(|t| first_number(t))
            .filter(|&n| n > 100)
    });
    assert_eq!(member_count(&app), count);
    app.wait_until("member rows", |app| {
        (app.count("member-row") > 10).then_some(())
    });
    app.screenshot("demo-register");
    app.close();
}

/// A computer without a Nordic locale starts in English: the language is
/// chosen on the welcome screen, before the organisation exists, and what
/// was typed stays. After a restart the window is still in that language,
/// and Grants shows the only fund without being asked.
#[test]
fn the_language_is_chosen_on_the_welcome_screen_and_the_only_fund_is_shown() {
    let (_dir, db) = temp_db();
    let app = App::launch(&db);
    app.wait_visible("welcome");
    app.type_into("org-name", ORG);
    app.select("welcome-language", "sv");
    app.wait_text_contains("welcome", &i18n("sv", "welcome.title"));
    assert_eq!(app.text("org-name"), ORG, "the typed name stays");
    assert_eq!(app.selected_text("org-country"), i18n("sv", "country.SE"));
    app.screenshot("welcome-in-swedish");
    app.click("org-create");
    app.wait_text_contains("org-title", ORG);
    assert_eq!(app.text("nav-members"), i18n("sv", "nav.members"));

    cli(
        &db,
        &[
            "fund",
            "create",
            "--name",
            "Initiativpotten",
            "--year",
            "2031",
            "--budget",
            "25000",
        ],
    );
    let app = app.restart();
    app.wait_text_contains("nav-members", &i18n("sv", "nav.members"));
    app.click("nav-grants");
    app.wait_text_contains("fund-title", "Initiativpotten");
    app.wait_visible("fund-overview");
}
