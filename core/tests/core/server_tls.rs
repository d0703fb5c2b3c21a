//! The connection to the office server is encrypted, and its certificate
//! trusted the way `ssh` trusts a host: shown on the first connection,
//! remembered once the officer says yes, and refused when it changes —
//! each time before anything is sent or written.

use std::io::{Read, Write};
use std::net::TcpListener;

use medlem_core::store::postgres::db;
use medlem_core::*;

use crate::backends::new_database;

/// Whether the database at `url` holds Medlem's tables (the test server's
/// own connection, not the register's).
fn migrated(url: &str) -> bool {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).expect("connect as admin");
    admin
        .query_one("SELECT to_regclass('medlem_schema') IS NOT NULL", &[])
        .expect("look for the schema")
        .get(0)
}

#[test]
fn the_register_on_the_test_server_is_reached_over_tls() {
    // The tests trust the test server's authority (PGSSLROOTCERT, set by
    // `cargo xtask test`): the certificate is checked, the link encrypted.
    let r = PgRegister::open(&new_database()).expect("open over TLS");
    assert!(r.encrypted().unwrap(), "the connection is encrypted");
}

#[test]
fn the_first_connection_shows_the_certificate_and_nothing_opens_until_it_is_trusted() {
    let url = new_database();
    let dir = tempfile::tempdir().unwrap();
    let known = dir.path().join("known-servers.txt");
    let address = || db::config(&url).unwrap().remembered_in(known.clone());

    let Err(Error::ServerCertificateNew { place, fingerprint }) = PgRegister::connect(address())
    else {
        panic!("the first connection is refused until the certificate is trusted");
    };
    assert!(place.contains("127.0.0.1"), "{place}");
    assert_eq!(fingerprint.len(), 95, "SHA-256 in pairs: {fingerprint}");
    assert!(
        !migrated(&url),
        "nothing was written before the certificate was trusted"
    );
    assert!(
        !known.exists(),
        "nothing remembered before the officer says yes"
    );

    db::trust(&address(), &fingerprint).unwrap();
    let r = PgRegister::connect(address()).expect("a trusted certificate opens");
    assert!(r.encrypted().unwrap());
    assert!(migrated(&url));
    drop(r);

    // Another certificate than the remembered one: refused, nothing sent.
    let text = std::fs::read_to_string(&known).unwrap();
    let text = text.replace(&fingerprint, &format!("{}00", "00:".repeat(31)));
    std::fs::write(&known, &text).unwrap();
    match PgRegister::connect(address()) {
        Err(Error::TlsChanged {
            fingerprint: shown, ..
        }) => assert_eq!(shown, fingerprint),
        Err(e) => panic!("refused as changed, not: {e:?}"),
        Ok(_) => panic!("a changed certificate is refused"),
    }
    assert_eq!(
        std::fs::read_to_string(&known).unwrap(),
        text,
        "the file stays as it was"
    );

    // The officer trusts the new one (their IT renewed it): it opens.
    db::trust(&address(), &fingerprint).unwrap();
    assert!(PgRegister::connect(address()).is_ok());
}

#[test]
fn a_certificate_the_authority_did_not_sign_is_refused_before_anything_is_written() {
    let url = new_database();
    let dir = tempfile::tempdir().unwrap();
    // An authority that signed nothing of the server's (no certificate in it).
    let root = dir.path().join("other-ca.crt");
    std::fs::write(
        &root,
        "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let with_root = format!(
        "{url}{separator}sslrootcert={}",
        form_path(&root.display().to_string())
    );
    match PgRegister::open(&with_root) {
        Err(Error::TlsUntrusted { place }) => assert!(place.contains("127.0.0.1")),
        Err(e) => panic!("refused as untrusted, not: {e:?}"),
        Ok(_) => panic!("a certificate not signed by the authority given is refused"),
    }
    assert!(!migrated(&url));
}

/// `path` as an address's parameter value.
fn form_path(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_server_without_tls_is_refused_unless_the_address_turns_tls_off() {
    // A server that answers Medlem's request for TLS with "no".
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let answering = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        let mut request = [0u8; 8];
        socket.read_exact(&mut request).unwrap();
        socket.write_all(b"N").unwrap();
        request
    });
    let url = format!("postgres://kassor:hemligt@127.0.0.1:{port}/medlem?sslmode=require");
    match PgRegister::open(&url) {
        Err(Error::ServerNoTls { place }) => {
            assert_eq!(place, format!("kassor@127.0.0.1:{port}/medlem"));
        }
        Err(e) => panic!("refused as without TLS, not: {e:?}"),
        Ok(_) => panic!("a server without TLS is refused"),
    }
    // What Medlem sent first was the request for TLS (80877103), nothing
    // else: no user name, no password.
    let request = answering.join().unwrap();
    assert_eq!(&request[4..], &80_877_103u32.to_be_bytes());

    // The same server with TLS turned off in the address: Medlem speaks in
    // the clear (to the test server, which has no register here).
    let plain = new_database();
    let separator = if plain.contains('?') { '&' } else { '?' };
    let r =
        PgRegister::open(&format!("{plain}{separator}sslmode=disable")).expect("open in the clear");
    assert!(!r.encrypted().unwrap());
}
