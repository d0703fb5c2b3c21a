//! `medlem-cli move --to …`: the register from its file onto an office
//! server (`--to postgres://…`, an empty database), or from the server into
//! a file on this computer (`--to FILE.sqlite`, a new file or an empty
//! register). Everything or nothing: the rows are counted on both sides
//! before the copy is kept.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use medlem_core::store::postgres::moving::Moved;
use medlem_core::{Error, PgRegister, SqliteRegister};

use crate::shared::print_json;
use crate::{open_server, server_address};

/// Says how far the copy is, on a terminal.
fn progress() -> impl FnMut(usize, usize) {
    let shown = std::io::stderr().is_terminal();
    move |done, all| {
        if shown {
            eprint!("\rMoving: {done} of {all} tables");
            if done == all {
                eprintln!();
            }
        }
    }
}

fn report(moved: &Moved, to: &str, json: bool) -> Result<(), Error> {
    if json {
        return print_json(moved);
    }
    println!(
        "Moved the register to {to}: {} members, {} history lines, {} meetings, {} applications, \
         {} invoices, {} payments (every table counted on both sides).",
        moved.rows("members"),
        moved.rows("member_history"),
        moved.rows("meetings"),
        moved.rows("grant_applications"),
        moved.rows("invoices"),
        moved.rows("payments"),
    );
    Ok(())
}

/// The register in `file` onto the office server at `to`.
pub fn from_file(file: &SqliteRegister, to: &str, json: bool) -> Result<(), Error> {
    let Some(url) = server_address(Some(Path::new(to))) else {
        return Err(Error::field("to", medlem_core::FieldCode::InvalidChoice));
    };
    let mut server = open_server(url)?;
    let moved = server.copy_from_file(file, &mut progress(), &AtomicBool::new(false))?;
    report(&moved, server.place(), json)?;
    if !json {
        println!(
            "The file is left as it was. From now on open the register with --db {}",
            url_without_password(url)
        );
    }
    Ok(())
}

/// The register on `server` into the file `to`: a new one, or a register
/// with nothing in it.
pub fn to_file(server: &mut PgRegister, to: &Path, json: bool) -> Result<(), Error> {
    let moved = server.copy_to_path(to, &mut progress(), &AtomicBool::new(false))?;
    report(&moved, &to.display().to_string(), json)
}

/// `url` as it may be shown: without a password.
fn url_without_password(url: &str) -> String {
    let place = PgRegister::place_of(url);
    match url.split_once("://") {
        Some((scheme, _)) if !place.is_empty() => format!("{scheme}://{place}"),
        _ => url.to_owned(),
    }
}
