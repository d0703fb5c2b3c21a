//! A panic inside a command answers `internal` and leaves the register
//! open and whole.

use medlem_app::state::AppState;
use medlem_core::store::Store;
use medlem_core::{OrgInput, Register};

use crate::temp_db;

#[test]
fn a_panic_in_a_command_answers_internal_and_the_register_works_on() {
    let (_dir, db) = temp_db();
    let state = AppState::open(db.clone());
    state
        .with_file(|r| {
            r.create_org(&OrgInput {
                name: "Fackklubben Verkstaden".into(),
                country: "SE".into(),
                ..Default::default()
            })
        })
        .unwrap();

    // Inside a unit of work: the panic rolls it back.
    let e = state
        .with(|r: &mut dyn Store| -> medlem_core::Result<()> {
            let work = r.begin()?;
            work.put_setting("halfway", "written")?;
            panic!("a bug in the middle of a write");
        })
        .unwrap_err();
    assert_eq!(e.code.as_str(), "internal");
    assert!(
        e.message.contains("a bug in the middle of a write"),
        "{}",
        e.message
    );
    let kept = state.with(|r| r.setting("halfway")).unwrap();
    assert_eq!(kept, None, "nothing was saved halfway");
    assert_eq!(
        state.with_file(|r| r.org()).unwrap().unwrap().name,
        "Fackklubben Verkstaden"
    );

    // During a restore (the register closed): it is open again afterwards.
    let e = state
        .swap(|_| -> medlem_core::Result<()> { panic!("a bug while restoring") })
        .unwrap_err();
    assert_eq!(e.code.as_str(), "internal");
    assert!(
        state.startup_error().is_none(),
        "the register is open again"
    );
    assert_eq!(
        state.with_file(|r| r.org()).unwrap().unwrap().name,
        "Fackklubben Verkstaden"
    );
}
