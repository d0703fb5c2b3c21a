//! A throwaway PostgreSQL server for the tests: `initdb` in a temporary
//! folder (as the `postgres` user when we are root, since initdb refuses
//! root), a free port on 127.0.0.1, stopped and removed when dropped. The
//! tests find it in `MEDLEM_TEST_PG`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run_checked, Failure};

/// The variable the tests read the server's address from.
pub const URL_VAR: &str = "MEDLEM_TEST_PG";

/// The superuser of the throwaway server.
pub const USER: &str = "medlem";

/// A running throwaway server.
pub struct Server {
    root: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    pub url: String,
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
/// only, and no waiting for the disk (the data is thrown away).
pub fn server_options(port: u16, socket_dir: &Path) -> String {
    format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        socket_dir.display()
    )
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
        let mut server = Server {
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
                .arg(server_options(port, &data))
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
        let opts = server_options(54321, Path::new("/tmp/x"));
        assert!(opts.contains("-p 54321 "));
        assert!(opts.contains("-k /tmp/x "));
        assert!(opts.contains("listen_addresses=127.0.0.1"));
    }
}
