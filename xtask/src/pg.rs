//! A throwaway PostgreSQL server for the tests: `initdb` in a temporary
//! folder (as the `postgres` user when we are root, since initdb refuses
//! root), a free port on 127.0.0.1, stopped and removed when dropped. The
//! tests find it in `MEDLEM_TEST_PG`. It speaks TLS, as an office server
//! should: a certificate authority and the server's certificate signed by
//! it are made with the `openssl` program, and the tests trust that
//! authority through `PGSSLROOTCERT` (as `psql` would).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run_checked, Failure};

/// The variable the tests read the server's address from.
pub const URL_VAR: &str = "MEDLEM_TEST_PG";

/// The superuser of the throwaway server.
pub const USER: &str = "medlem";

/// The variable that names the certificate authority the server's
/// certificate is signed by.
pub const ROOT_CERT_VAR: &str = "PGSSLROOTCERT";

/// A running throwaway server.
pub struct Server {
    root: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    pub url: String,
    /// The authority that signed the server's certificate (`ca.crt`).
    pub root_cert: PathBuf,
}

/// The newest PostgreSQL's programs under `lib` (Debian's
/// `/usr/lib/postgresql/<version>/bin`), given the versions found there.
pub fn newest_bin(lib: &Path, versions: &[String]) -> Option<PathBuf> {
    versions
        .iter()
        .filter_map(|v| v.parse::<u32>().ok().map(|n| (n, v)))
        .max()
        .map(|(_, v)| lib.join(v).join("bin"))
}

/// The options the server starts with: its port and socket folder, loopback
/// only, TLS with the certificate and key in `certs`, and no waiting for
/// the disk (the data is thrown away).
pub fn server_options(port: u16, socket_dir: &Path, certs: &Path) -> String {
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 \
         -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
        socket_dir.display(),
        certs.join("server.crt").display(),
        certs.join("server.key").display(),
    )
}

/// The `openssl` runs that make a certificate authority (`ca.crt`) and the
/// server's key and certificate for 127.0.0.1 signed by it, in `dir`
/// (elliptic-curve keys: made at once).
pub fn certificate_commands(dir: &Path) -> Vec<Vec<String>> {
    let at = |name: &str| dir.join(name).display().to_string();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut ca = vec!["req".to_owned(), "-x509".into()];
    ca.extend(ec.iter().map(|s| s.to_string()));
    ca.extend([
        "-days".into(),
        "30".into(),
        "-subj".into(),
        "/CN=Medlem test authority".into(),
        "-keyout".into(),
        at("ca.key"),
        "-out".into(),
        at("ca.crt"),
    ]);
    let mut request = vec!["req".to_owned()];
    request.extend(ec.iter().map(|s| s.to_string()));
    request.extend([
        "-subj".into(),
        "/CN=127.0.0.1".into(),
        "-keyout".into(),
        at("server.key"),
        "-out".into(),
        at("server.csr"),
    ]);
    let sign = [
        "x509",
        "-req",
        "-days",
        "30",
        "-in",
        &at("server.csr"),
        "-CA",
        &at("ca.crt"),
        "-CAkey",
        &at("ca.key"),
        "-CAcreateserial",
        "-extfile",
        &at("server.ext"),
        "-out",
        &at("server.crt"),
    ];
    vec![ca, request, sign.iter().map(|s| s.to_string()).collect()]
}

/// What the server's certificate says of itself beyond its name.
const SERVER_EXTENSIONS: &str = "basicConstraints=CA:FALSE\n\
    keyUsage=digitalSignature\n\
    extendedKeyUsage=serverAuth\n\
    subjectAltName=IP:127.0.0.1,DNS:localhost\n";

/// `path` as a program under Wine sees it: `Z:` and backslashes.
pub fn wine_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

fn make_certificates(dir: &Path) -> Result<(), Failure> {
    std::fs::write(dir.join("server.ext"), SERVER_EXTENSIONS)
        .map_err(|e| Failure::new(format!("cannot write in {}: {e}", dir.display()), 1))?;
    for argv in certificate_commands(dir) {
        run_checked(
            Command::new("openssl")
                .args(&argv)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
            "openssl (the test server's certificates)",
        )?;
    }
    // The server refuses a key others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let only_owner = std::fs::Permissions::from_mode(0o600);
        std::fs::set_permissions(dir.join("server.key"), only_owner)
            .map_err(|e| Failure::new(format!("cannot protect the server's key: {e}"), 1))?;
    }
    Ok(())
}

fn bin_dir() -> Result<PathBuf, Failure> {
    let lib = Path::new("/usr/lib/postgresql");
    let versions: Vec<String> = std::fs::read_dir(lib)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    newest_bin(lib, &versions)
        .filter(|b| b.join("initdb").is_file())
        .ok_or_else(|| {
            Failure::new(
                "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)",
                1,
            )
        })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> Result<u16, Failure> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Failure::new(format!("no free port on 127.0.0.1: {e}"), 1))
}

impl Server {
    /// Makes and starts a new server.
    pub fn start() -> Result<Server, Failure> {
        let bin = bin_dir()?;
        let as_postgres = is_root();
        let root = std::env::temp_dir().join(format!("medlem-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .map_err(|e| Failure::new(format!("cannot make {}: {e}", root.display()), 1))?;
        let password = format!("test-{}", std::process::id());
        let pwfile = root.join("pw");
        std::fs::write(&pwfile, &password)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", pwfile.display()), 1))?;
        let data = root.join("data");
        make_certificates(&root)?;
        let mut server = Server {
            root_cert: root.join("ca.crt"),
            root,
            bin,
            as_postgres,
            url: String::new(),
        };
        if as_postgres {
            // The folder and the password file are the postgres user's.
            run_checked(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(&server.root),
                "chown (the test server's folder)",
            )?;
        }
        let port = free_port()?;
        run_checked(
            server
                .command("initdb")
                .arg("-D")
                .arg(&data)
                .args([
                    "-U",
                    USER,
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                ])
                .args(["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
                .arg(format!("--pwfile={}", pwfile.display()))
                .stdout(std::process::Stdio::null()),
            "initdb (the test server)",
        )?;
        run_checked(
            server
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .arg("-o")
                .arg(server_options(port, &data, &server.root))
                .arg("-l")
                .arg(server.root.join("log"))
                .args(["-w", "start"])
                .stdout(std::process::Stdio::null()),
            "pg_ctl start (the test server)",
        )?;
        server.url = format!("postgres://{USER}:{password}@127.0.0.1:{port}/postgres");
        Ok(server)
    }

    /// One of the server's programs, run as the postgres user when we are
    /// root.
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(path);
            cmd
        } else {
            Command::new(path)
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.url.is_empty() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(self.root.join("data"))
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_version_is_taken_by_number_not_by_name() {
        let lib = Path::new("/usr/lib/postgresql");
        let found = newest_bin(lib, &["9".into(), "15".into(), "notes".into(), "13".into()]);
        assert_eq!(found, Some(lib.join("15/bin")));
        assert_eq!(newest_bin(lib, &[]), None);
    }

    #[test]
    fn the_server_listens_on_loopback_only_at_its_port() {
        let opts = server_options(54321, Path::new("/tmp/x"), Path::new("/tmp/c"));
        assert!(opts.contains("-p 54321 "));
        assert!(opts.contains("-k /tmp/x "));
        assert!(opts.contains("listen_addresses=127.0.0.1"));
        assert!(opts.contains("ssl=on"));
        assert!(opts.contains("ssl_key_file=/tmp/c/server.key"));
    }

    #[test]
    fn the_server_certificate_is_signed_by_the_authority_the_tests_trust() {
        let runs = certificate_commands(Path::new("/c"));
        assert_eq!(runs.len(), 3);
        assert!(runs[0].contains(&"/c/ca.crt".to_owned()));
        let sign = &runs[2];
        let after = |flag: &str| sign[sign.iter().position(|a| a == flag).unwrap() + 1].clone();
        assert_eq!(after("-CA"), "/c/ca.crt");
        assert_eq!(after("-out"), "/c/server.crt");
        assert!(SERVER_EXTENSIONS.contains("IP:127.0.0.1"));
        assert_eq!(
            wine_path(Path::new("/tmp/pg/ca.crt")),
            "Z:\\tmp\\pg\\ca.crt"
        );
    }
}
