//! Where this computer's register is, when Medlem is started without
//! `--db`: the file in Medlem's folder (the default), or a register the
//! officer chose in Settings → Register location (a register on the office
//! server, say, after moving it there). One line in
//! `register-location.txt` beside the default register; an address is kept
//! without its password.

use std::path::PathBuf;

use crate::error::Result;

/// The file that says where the register is.
pub fn file() -> Option<PathBuf> {
    let db = crate::store::sqlite::db::default_path()?;
    Some(db.with_file_name("register-location.txt"))
}

/// The register chosen on this computer, if one was (a
/// `postgres://user@host:port/database` address, or a file).
pub fn remembered() -> Option<String> {
    let text = std::fs::read_to_string(file()?).ok()?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    Some(line.to_owned())
}

/// Remembers `address` as where the register is from the next start
/// (without a password in it); `None` goes back to the default file.
pub fn remember(address: Option<&str>) -> Result<()> {
    let Some(file) = file() else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no home folder to remember the register's location in",
        )
        .into());
    };
    match address {
        Some(address) => crate::atomic_file::write_small(
            &file,
            &format!(
                "# Where Medlem opens the register when started without --db.\n{}\n",
                without_password(address)
            ),
        )?,
        None => match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        },
    }
    Ok(())
}

/// Whether `address` is one of a register on an office server that reads
/// (`postgres://…` with a host and database).
pub fn is_server_address(address: &str) -> bool {
    (address.starts_with("postgres://") || address.starts_with("postgresql://"))
        && crate::store::postgres::db::config(address).is_ok()
}

/// `postgres://user:secret@host/db` as `postgres://user@host/db`; anything
/// else as it is.
pub fn without_password(address: &str) -> String {
    let Some((scheme, rest)) = address.split_once("://") else {
        return address.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((login, host)) => {
            let user = login.split_once(':').map_or(login, |(u, _)| u);
            format!("{scheme}://{user}@{host}{path}")
        }
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_remembered_without_its_password() {
        assert_eq!(
            without_password("postgres://kassor:hemligt@db:5433/medlem?sslmode=disable"),
            "postgres://kassor@db:5433/medlem?sslmode=disable"
        );
        assert_eq!(
            without_password("postgres://kassor@db/medlem"),
            "postgres://kassor@db/medlem"
        );
        assert_eq!(
            without_password("/home/k/klubben.sqlite"),
            "/home/k/klubben.sqlite"
        );
    }

    #[test]
    fn only_an_office_servers_address_is_one() {
        assert!(is_server_address("postgres://kassor@db:5433/medlem"));
        assert!(!is_server_address("/home/k/klubben.sqlite"));
        assert!(!is_server_address("postgres://kassor@db:notaport/medlem"));
    }
}
