//! A register on the office server: the address, the password and the
//! server's certificate (shown on the first connection from this computer
//! and trusted once, as `ssh` does a host).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use medlem_core::{Error, PgRegister};

/// A `--db` that names a register on an office server.
pub fn server_address(db: Option<&Path>) -> Option<&str> {
    db.and_then(|p| p.to_str())
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// Opens the register on the office server; the password from the
/// address, PGPASSWORD or ~/.pgpass, else asked for (never echoed). A
/// server this computer has not connected to shows its certificate's
/// fingerprint and, at a terminal, asks whether to trust it.
pub fn open_server(url: &str) -> Result<PgRegister, Error> {
    let asked = match PgRegister::asks_password(url)? && std::io::stdin().is_terminal() {
        true => Some(rpassword::prompt_password(
            "Password for the office server: ",
        )?),
        false => None,
    };
    let open = || match &asked {
        Some(password) => PgRegister::open_with_password(url, password),
        None => PgRegister::open(url),
    };
    match open() {
        Err(Error::ServerCertificateNew { place, fingerprint })
            if std::io::stdin().is_terminal() =>
        {
            eprintln!(
                "This computer has not connected to the office server {place} before.\n\
                 The SHA-256 fingerprint of its certificate is\n  {fingerprint}\n\
                 Compare it with the one whoever runs the server gives you."
            );
            eprint!("Trust this certificate from now on? [y/N] ");
            std::io::stderr().flush()?;
            let mut answer = String::new();
            std::io::stdin().lock().read_line(&mut answer)?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "j" | "ja") {
                return Err(Error::ServerCertificateNew { place, fingerprint });
            }
            PgRegister::trust_certificate(url, &fingerprint)?;
            open()
        }
        other => other,
    }
}

/// `medlem-cli --db postgres://… trust FINGERPRINT`: trusts the server's
/// certificate on this computer from now on, then connects to check it.
pub fn trust(url: &str, fingerprint: &str, json: bool) -> Result<(), Error> {
    let fingerprint = fingerprint.trim().to_ascii_uppercase();
    PgRegister::trust_certificate(url, &fingerprint)?;
    let register = open_server(url)?;
    if json {
        crate::shared::print_json(&serde_json::json!({
            "place": register.place(),
            "fingerprint": fingerprint,
            "encrypted": register.encrypted()?,
        }))?;
    } else {
        println!("Trusted; the register on {} opens.", register.place());
    }
    Ok(())
}

/// What to do about a certificate refused, said after the refusal itself.
pub fn certificate_hint(e: &Error) -> Option<String> {
    match e {
        Error::ServerCertificateNew { fingerprint, .. } => Some(format!(
            "to trust it on this computer: medlem-cli --db ADDRESS trust {fingerprint}"
        )),
        Error::TlsChanged { fingerprint, .. } => Some(format!(
            "once whoever runs the server confirms the new one: medlem-cli --db ADDRESS trust {fingerprint}"
        )),
        _ => None,
    }
}

/// `medlem-cli location`: what Medlem opens when started without `--db`
/// (the window too). `--remember`: the register of `--db` from now on (a
/// server's is connected to first, a file's must exist); `--forget`: the
/// file in Medlem's folder again.
pub fn location(db: Option<&Path>, remember: bool, forget: bool, json: bool) -> Result<(), Error> {
    use medlem_core::location;
    if forget {
        location::remember(None)?;
    } else if remember {
        let Some(db) = db else {
            return Err(Error::field("db", medlem_core::FieldCode::Required));
        };
        match server_address(Some(db)) {
            Some(url) => {
                open_server(url)?;
                location::remember(Some(url))?;
            }
            None => {
                let file = std::fs::canonicalize(db)?;
                if !file.is_file() {
                    let why = format!("{} is not a register file", file.display());
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, why).into());
                }
                location::remember(Some(&file.display().to_string()))?;
            }
        }
    }
    let chosen = location::remembered();
    let opens = chosen
        .clone()
        .or_else(|| medlem_core::db::default_path().map(|p| p.display().to_string()));
    if json {
        crate::shared::print_json(&serde_json::json!({
            "opens": opens,
            "chosen": chosen.is_some(),
        }))?;
    } else {
        println!(
            "Started without --db, Medlem opens {}.",
            opens.as_deref().unwrap_or("nothing (no home folder)")
        );
    }
    Ok(())
}
