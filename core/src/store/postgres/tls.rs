//! The office server's connection is encrypted (TLS) by default.
//!
//! An office server's certificate is usually its own (self-signed), so
//! Medlem trusts it the way `ssh` trusts a host: the first connection to a
//! `host:port` is refused with the certificate's fingerprint
//! (`server_certificate_new`), the officer says yes once, and this computer
//! remembers it (`known-servers.txt` in Medlem's folder); a later
//! connection that shows another certificate is refused (`tls_changed`)
//! before the password is sent. An office whose IT signs its servers'
//! certificates gives Medlem the authority instead (`sslrootcert=` in the
//! address, or `PGSSLROOTCERT`, as for `psql`): then the certificate must
//! be signed by it (and, unless `sslmode=verify-ca`, name the host).
//! `sslmode=disable` in the address turns TLS off; a Unix socket has none.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use postgres::config::SslMode;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{Error, Result};

/// How the server's certificate is trusted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// No TLS: the address said `sslmode=disable`, or the server is on a
    /// Unix socket of this computer.
    Off,
    /// The certificate this computer was told to trust for `server`
    /// (`host:port`), remembered in `file`. `prefer`: a server without TLS
    /// is spoken to in the clear (`sslmode=prefer`, asked for by name).
    Remembered {
        file: PathBuf,
        server: String,
        prefer: bool,
    },
    /// A certificate signed by the authority in `root`, naming the host
    /// unless `any_name` (`sslmode=verify-ca`).
    Authority { root: PathBuf, any_name: bool },
}

/// What the address asks of TLS: `sslmode` and `sslrootcert`, taken out of
/// the address (the client knows neither verify mode nor `sslrootcert`),
/// with `PGSSLMODE` and `PGSSLROOTCERT` as defaults, as for `psql`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Wish {
    pub mode: Option<String>,
    pub root: Option<PathBuf>,
}

/// Splits the TLS parameters off `url`: the address the client reads, and
/// what was asked of TLS.
pub fn split(url: &str) -> (String, Wish) {
    let mut wish = Wish::default();
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_owned(), wish.with_defaults());
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = form_urlencoded::parse(pair.as_bytes())
            .next()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .unwrap_or_default();
        match key.as_str() {
            "sslmode" => wish.mode = Some(value),
            "sslrootcert" => wish.root = Some(PathBuf::from(value)),
            _ => kept.push(pair),
        }
    }
    let url = match kept.is_empty() {
        true => base.to_owned(),
        false => format!("{base}?{}", kept.join("&")),
    };
    (url, wish.with_defaults())
}

impl Wish {
    fn with_defaults(mut self) -> Wish {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if self.mode.is_none() {
            self.mode = env("PGSSLMODE");
        }
        if self.root.is_none() {
            self.root = env("PGSSLROOTCERT").map(PathBuf::from);
        }
        self
    }

    /// The trust for a server at `server` (`host:port`, `None` for a Unix
    /// socket) and the client's mode for it; `known` is where remembered
    /// certificates are kept.
    pub fn trust(&self, server: Option<String>, known: Option<PathBuf>) -> (Trust, SslMode) {
        let mode = self.mode.as_deref().unwrap_or("");
        let Some(server) = server.filter(|_| mode != "disable") else {
            return (Trust::Off, SslMode::Disable);
        };
        if let Some(root) = &self.root {
            let any_name = matches!(mode, "verify-ca" | "require");
            let trust = Trust::Authority {
                root: root.clone(),
                any_name,
            };
            return (trust, SslMode::Require);
        }
        let prefer = matches!(mode, "prefer" | "allow");
        let trust = match known {
            Some(file) => Trust::Remembered {
                file,
                server,
                prefer,
            },
            // No home folder to remember in: nothing can be trusted.
            None => Trust::Authority {
                root: PathBuf::new(),
                any_name: false,
            },
        };
        let ssl = match prefer {
            true => SslMode::Prefer,
            false => SslMode::Require,
        };
        (trust, ssl)
    }
}

/// Where this computer remembers the servers' certificates: beside the
/// default register, in Medlem's per-user folder.
pub fn known_servers_file() -> Option<PathBuf> {
    let db = crate::store::sqlite::db::default_path()?;
    Some(db.with_file_name("known-servers.txt"))
}

/// A certificate's fingerprint as people compare it: SHA-256, in pairs of
/// capital hex digits with colons.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The fingerprint remembered for `server` in `text` (lines of
/// `host:port FINGERPRINT`; `#` starts a comment).
pub fn remembered(text: &str, server: &str) -> Option<String> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .find(|(s, _)| *s == server)
        .map(|(_, f)| f.trim().to_owned())
}

/// Remembers `fingerprint` for `server` in `file`, in place of what was
/// remembered for it before; written whole, then moved into place.
pub fn remember(file: &Path, server: &str, fingerprint: &str) -> Result<()> {
    let old = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e.into()),
    };
    let mut text = String::new();
    if old.is_empty() {
        text.push_str(
            "# The office servers this computer trusts: host:port and the SHA-256\n\
             # fingerprint of the server's certificate. Written by Medlem.\n",
        );
    }
    for line in old.lines() {
        if line.split_once(' ').map(|(s, _)| s) != Some(server) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(&format!("{server} {fingerprint}\n"));
    Ok(crate::atomic_file::write_small(file, &text)?)
}

/// What the handshake found wrong with the certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not remembered yet: the server's fingerprint, for the officer.
    New(String),
    /// Another certificate than the remembered one: the one shown now.
    Changed(String),
    /// Not signed by the authority given, or not for this host.
    Untrusted,
}

/// The client's TLS for `trust`, and where its verifier tells why it
/// refused a certificate.
pub fn connector(trust: &Trust) -> Result<(MakeRustlsConnect, Arc<Mutex<Option<Refusal>>>)> {
    // ring's provider has no post-quantum key exchange (aws-lc-rs's has,
    // but wants cmake and nasm for the Windows build); the server's
    // PostgreSQL offers none either.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let refusal = Arc::new(Mutex::new(None));
    let check = match trust {
        // Never asked: the client does not start TLS.
        Trust::Off => Check::Pinned(None),
        Trust::Remembered { file, server, .. } => Check::Pinned(
            std::fs::read_to_string(file)
                .ok()
                .and_then(|text| remembered(&text, server)),
        ),
        Trust::Authority { root, any_name } => {
            let mut roots = rustls::RootCertStore::empty();
            if let Ok(certs) = CertificateDer::pem_file_iter(root) {
                roots.add_parsable_certificates(certs.flatten());
            }
            let inner = WebPkiServerVerifier::builder_with_provider(roots.into(), provider.clone())
                .build()
                .ok();
            Check::Signed {
                inner,
                any_name: *any_name,
            }
        }
    };
    let verifier = Arc::new(Verifier {
        check,
        refusal: refusal.clone(),
        provider: provider.clone(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Store(Box::new(e)))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok((MakeRustlsConnect::new(config), refusal))
}

/// Which certificate is trusted.
#[derive(Debug)]
enum Check {
    /// The one remembered for the server (its fingerprint), if any.
    Pinned(Option<String>),
    /// One signed by the authority given (none when it could not be read),
    /// naming the host unless `any_name`.
    Signed {
        inner: Option<Arc<WebPkiServerVerifier>>,
        any_name: bool,
    },
}

/// Checks the server's certificate as [`Check`] says, and the handshake's
/// signatures with the provider's algorithms.
#[derive(Debug)]
struct Verifier {
    check: Check,
    refusal: Arc<Mutex<Option<Refusal>>>,
    provider: Arc<CryptoProvider>,
}

impl Verifier {
    fn refuse(&self, why: Refusal) -> rustls::Error {
        *self.refusal.lock().unwrap_or_else(|e| e.into_inner()) = Some(why);
        rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure)
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match &self.check {
            Check::Pinned(known) => {
                let shown = fingerprint(end_entity);
                match known {
                    Some(known) if *known == shown => Ok(ServerCertVerified::assertion()),
                    Some(_) => Err(self.refuse(Refusal::Changed(shown))),
                    None => Err(self.refuse(Refusal::New(shown))),
                }
            }
            Check::Signed { inner: None, .. } => Err(self.refuse(Refusal::Untrusted)),
            Check::Signed {
                inner: Some(inner),
                any_name,
            } => match inner.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ) {
                Ok(v) => Ok(v),
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::NotValidForName
                    | CertificateError::NotValidForNameContext { .. },
                )) if *any_name => Ok(ServerCertVerified::assertion()),
                Err(_) => Err(self.refuse(Refusal::Untrusted)),
            },
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_parameters_leave_the_address_and_the_rest_stays() {
        let (url, wish) =
            split("postgres://k@db:5433/m?sslmode=verify-full&connect_timeout=5&sslrootcert=%2Fetc%2Fca.pem");
        assert_eq!(url, "postgres://k@db:5433/m?connect_timeout=5");
        assert_eq!(wish.mode.as_deref(), Some("verify-full"));
        assert_eq!(wish.root, Some(PathBuf::from("/etc/ca.pem")));
    }

    #[test]
    fn tls_is_on_unless_disabled_or_on_a_socket_and_a_root_means_signed() {
        let known = Some(PathBuf::from("/k"));
        let wish = |mode: Option<&str>, root: Option<&str>| Wish {
            mode: mode.map(str::to_owned),
            root: root.map(PathBuf::from),
        };
        let server = || Some("db:5432".to_owned());
        let (trust, mode) = wish(None, None).trust(server(), known.clone());
        assert!(matches!(trust, Trust::Remembered { prefer: false, .. }));
        assert_eq!(mode, SslMode::Require);
        let (trust, mode) = wish(Some("disable"), None).trust(server(), known.clone());
        assert_eq!((trust, mode), (Trust::Off, SslMode::Disable));
        let (trust, mode) = wish(None, None).trust(None, known.clone());
        assert_eq!((trust, mode), (Trust::Off, SslMode::Disable));
        let (trust, mode) = wish(Some("prefer"), None).trust(server(), known.clone());
        assert!(matches!(trust, Trust::Remembered { prefer: true, .. }));
        assert_eq!(mode, SslMode::Prefer);
        let (trust, _) = wish(None, Some("/ca")).trust(server(), known.clone());
        assert!(matches!(
            trust,
            Trust::Authority {
                any_name: false,
                ..
            }
        ));
        let (trust, _) = wish(Some("verify-ca"), Some("/ca")).trust(server(), known);
        assert!(matches!(trust, Trust::Authority { any_name: true, .. }));
    }

    #[test]
    fn a_remembered_certificate_is_replaced_for_its_server_and_others_stay() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/known-servers.txt");
        remember(&file, "a:5432", "AA").unwrap();
        remember(&file, "b:5432", "BB").unwrap();
        remember(&file, "a:5432", "CC").unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(remembered(&text, "a:5432").as_deref(), Some("CC"));
        assert_eq!(remembered(&text, "b:5432").as_deref(), Some("BB"));
        assert_eq!(remembered(&text, "c:5432"), None);
        assert_eq!(text.matches("a:5432").count(), 1);
    }

    #[test]
    fn a_fingerprint_is_sha256_in_colon_separated_capital_pairs() {
        let f = fingerprint(b"abc");
        assert_eq!(f.len(), 32 * 3 - 1);
        assert!(f.starts_with("BA:78:16:BF"));
    }
}
