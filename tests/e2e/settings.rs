//! Settings: the language choice.
//!
//! The expected words come from the UI's own catalogs (ui/i18n/*.json, key
//! `nav.members`), read at test time. The app runs with an English system
//! locale (see `medlem_e2e::SYSTEM_LANG`), so Swedish can only come from the choice.

use medlem_e2e::fixtures::i18n;

use crate::app_with_org;

#[test]
fn language_choice_applies_at_once_and_survives_a_restart() {
    let sv = i18n("sv", "nav.members");
    let en = i18n("en", "nav.members");
    assert_ne!(sv, en, "the catalogs should differ");

    let (_dir, _db, app) = app_with_org();
    app.wait_text_contains("nav-members", &en);
    app.click("nav-settings");
    app.wait_visible("settings-language");

    app.select("settings-language", "sv");
    app.wait_text_contains("nav-members", &sv);
    app.screenshot("settings-swedish");

    app.select("settings-language", "en");
    app.wait_text_contains("nav-members", &en);

    app.select("settings-language", "sv");
    app.wait_text_contains("nav-members", &sv);

    let app = app.restart();
    app.wait_text_contains("nav-members", &sv);
    app.click("nav-settings");
    app.wait_visible("settings-language");
    assert_eq!(app.text("settings-language"), "sv");
    app.close();
}
