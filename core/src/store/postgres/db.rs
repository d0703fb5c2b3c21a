//! Connecting to the office server and migrating its database.
//!
//! Migrations are append-only and numbered, as the file's are; the table
//! `medlem_schema` holds the number of the last one applied. They run in one
//! transaction, under an advisory lock, so two officers opening a new
//! database at once migrate it once. A database from a newer Medlem, or one
//! that holds someone else's tables, is refused before anything is written.

use std::path::PathBuf;
use std::str::FromStr;

use postgres::error::SqlState;
use postgres::{Client, Config};

use super::tls::{self, Refusal, Trust};
use crate::error::{Error, Result};

/// The migrations, in order. Never edit or remove one: append.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_register.sql"),
    include_str!("migrations/0002_letters.sql"),
    include_str!("migrations/0003_grants.sql"),
    include_str!("migrations/0004_meetings.sql"),
    include_str!("migrations/0005_dues.sql"),
    include_str!("migrations/0006_history_writer.sql"),
];

/// The schema version this build writes on the server.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Any number, the same in every Medlem: the lock migrations take.
const MIGRATION_LOCK: i64 = 0x6d65_646c_656d;

/// Where a register on a server is: `user@host:port/database`, never the
/// password.
pub fn place(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

/// A register's address on a server: what the client connects with, and
/// how the server's certificate is trusted (see `tls.rs`).
#[derive(Clone)]
pub struct Address {
    pub config: Config,
    pub trust: Trust,
}

impl Address {
    /// The server's certificate trusted as remembered in `file` (a test's,
    /// or another user's), not this computer's own list or an authority;
    /// nothing for an address without TLS.
    pub fn remembered_in(mut self, file: PathBuf) -> Address {
        if let Some(server) = server(&self.config).filter(|_| self.trust != Trust::Off) {
            self.trust = Trust::Remembered {
                file,
                server,
                prefer: false,
            };
            self.config.ssl_mode(postgres::config::SslMode::Require);
        }
        self
    }
}

/// `host:port` of the first host, `None` for a Unix socket.
fn server(config: &Config) -> Option<String> {
    let port = config.get_ports().first().copied().unwrap_or(5432);
    match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => Some(format!("{h}:{port}")),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => None,
        None => Some(format!("localhost:{port}")),
    }
}

/// Reads a `postgres://user@host:port/database` address; the password comes
/// from the address, else `PGPASSWORD`, else `~/.pgpass`. TLS as the
/// address's `sslmode` and `sslrootcert` say (on by default).
pub fn config(url: &str) -> Result<Address> {
    let (url, wish) = tls::split(url);
    let mut config = Config::from_str(&url).map_err(|_| Error::ServerUnreachable {
        place: url.split('@').next_back().unwrap_or_default().to_owned(),
    })?;
    if config.get_user().is_none() {
        config.user(&whoever());
    }
    if config.get_dbname().is_none() {
        let user = config.get_user().unwrap_or_default().to_owned();
        config.dbname(&user);
    }
    if config.get_password().is_none() {
        if let Some(p) = std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
            config.password(p);
        } else if let Some(p) = pgpass(&config) {
            config.password(p);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    config.application_name("Medlem");
    let (trust, mode) = wish.trust(server(&config), tls::known_servers_file());
    config.ssl_mode(mode);
    Ok(Address { config, trust })
}

fn whoever() -> String {
    std::env::var("PGUSER")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "postgres".into())
}

/// The password `~/.pgpass` (or `PGPASSFILE`) gives for this server, user
/// and database: the first line whose fields match, `*` matching anything.
fn pgpass(config: &Config) -> Option<String> {
    let file = std::env::var_os("PGPASSFILE")
        .map(std::path::PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".pgpass")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let place = place(config);
    let (user, rest) = place.split_once('@')?;
    let (host_port, db) = rest.split_once('/')?;
    let (host, port) = host_port.rsplit_once(':')?;
    pgpass_lookup(&text, host, port, db, user)
}

/// The matching line of a `.pgpass` text (`host:port:database:user:password`,
/// `\:` and `\\` escaped), its password.
pub fn pgpass_lookup(text: &str, host: &str, port: &str, db: &str, user: &str) -> Option<String> {
    for line in text.lines() {
        if line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        if fields.len() != 5 {
            continue;
        }
        let fits = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if fits(&fields[0], host)
            && fits(&fields[1], port)
            && fits(&fields[2], db)
            && fits(&fields[3], user)
        {
            return fields.pop();
        }
    }
    None
}

/// Connects and brings the database's schema up to date.
pub fn open(address: &Address) -> Result<Client> {
    let mut client = reconnect(address)?;
    migrate(&mut client, &place(&address.config))?;
    Ok(client)
}

/// Connects again to a database that was opened (and migrated) before.
pub fn reconnect(address: &Address) -> Result<Client> {
    let (tls, refusal) = tls::connector(&address.trust)?;
    let place = place(&address.config);
    address.config.connect(tls).map_err(|e| {
        let refused = refusal.lock().unwrap_or_else(|e| e.into_inner()).take();
        match refused {
            Some(Refusal::New(fingerprint)) => Error::ServerCertificateNew { place, fingerprint },
            Some(Refusal::Changed(fingerprint)) => Error::TlsChanged { place, fingerprint },
            Some(Refusal::Untrusted) => Error::TlsUntrusted { place },
            None => connect_error(&place, e),
        }
    })
}

/// Remembers `fingerprint` as the certificate of the server at `address`,
/// as the officer said (nothing for an address without remembered
/// certificates).
pub fn trust(address: &Address, fingerprint: &str) -> Result<()> {
    match &address.trust {
        Trust::Remembered { file, server, .. } => tls::remember(file, server, fingerprint),
        _ => Ok(()),
    }
}

/// What a failed connection means to the officer.
fn connect_error(place: &str, e: postgres::Error) -> Error {
    let place = place.to_owned();
    let said = format!("{e:?}");
    match e.code() {
        Some(c) if *c == SqlState::INVALID_PASSWORD => Error::ServerLogin { place },
        Some(c) if *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
            Error::ServerLogin { place }
        }
        // The client's own refusal to go on without one (in its Debug: the
        // message is in the error's source).
        _ if said.contains("password missing") => Error::ServerLogin { place },
        // Asked for TLS, the server answered that it has none.
        _ if said.contains("server does not support TLS") => Error::ServerNoTls { place },
        _ => Error::ServerUnreachable { place },
    }
}

fn migrate(client: &mut Client, place: &str) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    let ours: bool = tx
        .query_one("SELECT to_regclass('medlem_schema') IS NOT NULL", &[])?
        .get(0);
    let found: i64 = if ours {
        tx.query_one("SELECT version FROM medlem_schema", &[])?
            .get(0)
    } else {
        let tables: i64 = tx
            .query_one(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
                &[],
            )?
            .get(0);
        if tables > 0 {
            return Err(Error::ServerNotMedlem {
                place: place.into(),
                tables,
            });
        }
        tx.batch_execute(
            "CREATE TABLE medlem_schema (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL); \
             INSERT INTO medlem_schema VALUES (1, 0)",
        )?;
        0
    };
    if found > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            path: place.into(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.batch_execute(sql)?;
    }
    if found < SCHEMA_VERSION {
        tx.execute("UPDATE medlem_schema SET version = $1", &[&SCHEMA_VERSION])?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pgpass_takes_the_first_line_that_fits_with_wildcards_and_escapes() {
        let text = "# office\n\
                    other:5432:*:kassor:nej\n\
                    db.kontor:*:medlem:kassor:hemligt\\:ord\n\
                    *:*:*:*:sist\n";
        assert_eq!(
            pgpass_lookup(text, "db.kontor", "5433", "medlem", "kassor").as_deref(),
            Some("hemligt:ord")
        );
        assert_eq!(
            pgpass_lookup(text, "annan", "5432", "x", "y").as_deref(),
            Some("sist")
        );
        assert_eq!(pgpass_lookup("a:b:c\n", "a", "b", "c", "d"), None);
    }

    #[test]
    fn the_place_names_user_host_port_and_database_but_never_the_password() {
        let c = config("postgres://kassor:hemligt@db.kontor:5433/medlem").unwrap();
        assert_eq!(place(&c.config), "kassor@db.kontor:5433/medlem");
        assert!(!place(&c.config).contains("hemligt"));
    }
}
