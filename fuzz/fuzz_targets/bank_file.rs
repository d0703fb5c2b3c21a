//! The bank's files of payments received: any bytes as a camt.054/053,
//! BgMax or Nets OCR giro file (`dues::bankfile::read`), then read against a
//! small billed register as a dry run (`dues::pay::import`: the account
//! check, matching by reference and by text). Never a panic, whatever the
//! bytes; a file that reads has positive amounts and distinct keys, and
//! every payment in it is matched, waiting or read before — none lost.

#![no_main]

use std::cell::RefCell;
use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use medlem_core::dues::{bankfile, pay};
use medlem_core::SqliteRegister;

thread_local! {
    /// A Swedish register with three members billed for 2030 (invoices
    /// 1-3, references 1000017, 1000025, 1000033), no bank details kept (so
    /// every account is the organisation's). A dry run writes nothing.
    static REGISTER: RefCell<SqliteRegister> = RefCell::new(medlem_fuzz::billed_register());
}

fuzz_target!(init: medlem_fuzz::init("bank_file"), |data: &[u8]| {
    if let Ok(statement) = bankfile::read(data) {
        let mut keys = HashSet::new();
        for line in &statement.lines {
            assert!(line.amount > 0, "an amount that is not positive: {line:?}");
            assert!(keys.insert(line.key.clone()), "a key twice: {}", line.key);
        }
    }
    REGISTER.with(|r| {
        let mut reg = r.borrow_mut();
        if let Ok(report) = pay::import(&mut *reg, data, "fuzz", true) {
            assert_eq!(
                report.matched.len() + report.review.len() + report.already_read,
                report.read,
                "a payment lost"
            );
        }
    });
});
