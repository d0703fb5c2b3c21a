//! `cargo xtask run|test|bench|screenshot` — the two commands a fresh machine needs.
//!
//! Deliberately std-only: it installs what the rest of the workspace needs
//! (apt packages on Debian/Ubuntu, tauri-driver), so it must build before any of that.

mod deps;
mod fuzz;
mod installer;
mod pg;
mod summary;
mod windows;

use std::env;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};
use std::time::Instant;

use deps::Need;
use summary::Totals;

const USAGE: &str = "\
usage: cargo xtask <command> [args]

commands:
  run [-- ARGS]          build and start the app (ARGS go to the app, e.g. --db PATH)
  test [--dry-run]       fmt, clippy, unit/command tests, the end-to-end tests, then
                         the core's and the CLI's tests and the installer under Wine
                         (--dry-run: only say what would be installed and run)
  bench [--core|--window] [--members N]
                         the core's figures at 100 000 members (cargo run
                         --release -p medlem-core --example bench), then the
                         window's over WebDriver (release build, Xvfb)
  dist windows [--check] the Windows installer, cross-built here with mingw-w64
                         and makensis: target/dist/Medlem_<version>_x64-setup.exe
                         (--check: then installed, used and uninstalled under Wine)
  screenshot [--out P]   a screenshot of the Members area for the README
                         (default docs/screenshot.png)
  fuzz [--seconds N] [TARGET...]
                         build the cargo-fuzz targets of fuzz/ (nightly; installs
                         cargo-fuzz) and run each for N seconds (default 60);
                         fails naming the input of a crash. --seeds: write the
                         seed corpora fuzz/corpus/<target> again

On Debian/Ubuntu, run/test/screenshot first install what is missing
(apt: libwebkit2gtk-4.1-dev; for test/screenshot also xvfb xauth webkit2gtk-driver age,
and `cargo install tauri-driver --locked`).";

/// A step failed: what to say, and the exit code to leave with.
#[derive(Debug)]
pub struct Failure {
    msg: String,
    code: u8,
}

impl Failure {
    fn new(msg: impl Into<String>, code: u8) -> Self {
        Failure {
            msg: msg.into(),
            code,
        }
    }
}

fn main() -> ExitCode {
    let mut args: Vec<String> = env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let command = args.remove(0);
    let rest = strip_separator(args);
    let result = match command.as_str() {
        "run" => cmd_run(&rest),
        "test" => cmd_test(&rest),
        "bench" => cmd_bench(&rest),
        "dist" => windows::dist(&rest),
        "screenshot" => cmd_screenshot(&rest),
        "fuzz" => fuzz::run(&rest),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(Failure::new(
            format!("unknown command `{other}`\n\n{USAGE}"),
            2,
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("xtask: {}", failure.msg);
            ExitCode::from(failure.code.max(1))
        }
    }
}

/// `cargo xtask run -- --db x` and `cargo xtask run --db x` mean the same.
fn strip_separator(mut args: Vec<String>) -> Vec<String> {
    if args.first().map(String::as_str) == Some("--") {
        args.remove(0);
    }
    args
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

/// The cargo that runs us (so the same toolchain builds everything).
pub fn cargo() -> Command {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    Command::new(cargo)
}

/// A cargo command run from the workspace root.
pub fn cargo_in_root() -> Command {
    let mut cmd = cargo();
    cmd.current_dir(root());
    cmd
}

/// Prints a step header, flushed so it lands before the child's output.
pub fn header(title: &str) {
    println!("\n==> {title}");
    let _ = std::io::stdout().flush();
}

fn exit_code(status: ExitStatus) -> u8 {
    match status.code() {
        Some(code) if (1..=255).contains(&code) => code as u8,
        _ => 1,
    }
}

/// Runs `cmd` with inherited stdio; a non-zero exit is a Failure naming `what`.
pub fn run_checked(cmd: &mut Command, what: &str) -> Result<(), Failure> {
    let status = cmd
        .status()
        .map_err(|e| Failure::new(format!("could not start `{what}`: {e}"), 1))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(
            format!("`{what}` failed ({status})"),
            exit_code(status),
        ))
    }
}

fn cmd_run(rest: &[String]) -> Result<(), Failure> {
    deps::ensure(Need::Build, false)?;
    header("cargo run -p medlem");
    // The user's working directory is kept, so a relative `--db` means what they expect.
    let mut cmd = cargo();
    cmd.arg("run")
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .args(["-p", "medlem", "--"])
        .args(rest);
    run_checked(&mut cmd, "cargo run -p medlem")
}

fn cmd_bench(rest: &[String]) -> Result<(), Failure> {
    // `--core` or `--window` runs only that half; anything else (`--members N`)
    // goes to both.
    let core_only = rest.iter().any(|a| a == "--core");
    let window_only = rest.iter().any(|a| a == "--window");
    let args: Vec<&String> = rest
        .iter()
        .filter(|a| *a != "--core" && *a != "--window")
        .collect();
    if !window_only {
        header("the core: cargo run --release -p medlem-core --example bench");
        let mut cmd = cargo_in_root();
        cmd.args([
            "run",
            "--release",
            "-p",
            "medlem-core",
            "--example",
            "bench",
            "--",
        ])
        .args(&args);
        run_checked(
            &mut cmd,
            "cargo run --release -p medlem-core --example bench",
        )?;
        // The same register on the office server, side by side: a
        // throwaway PostgreSQL server over loopback.
        if cfg!(target_os = "linux") {
            deps::ensure(Need::Test, false)?;
            header("the office server: cargo run --release -p medlem-core --example bench_server");
            let server = pg::Server::start()?;
            let mut cmd = cargo_in_root();
            cmd.args([
                "run",
                "--release",
                "-p",
                "medlem-core",
                "--example",
                "bench_server",
                "--",
            ])
            .args(&args)
            .env("MEDLEM_BENCH_PG", &server.url)
            .env(pg::ROOT_CERT_VAR, &server.root_cert);
            run_checked(
                &mut cmd,
                "cargo run --release -p medlem-core --example bench_server",
            )?;
        }
    }
    if core_only {
        return Ok(());
    }
    if !cfg!(target_os = "linux") {
        return Err(Failure::new(
            "the window bench drives the window over WebDriver under Xvfb, on Linux",
            1,
        ));
    }
    deps::ensure(Need::Test, false)?;
    header("the window: cargo build --release -p medlem -p medlem-cli");
    run_checked(
        cargo_in_root().args(["build", "--release", "-p", "medlem", "-p", "medlem-cli"]),
        "cargo build --release -p medlem -p medlem-cli",
    )?;
    header("the window over WebDriver: medlem-window-bench");
    let bins = target_dir()?.join("release");
    let exe = env::consts::EXE_SUFFIX;
    run_checked(
        cargo_in_root()
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "medlem-e2e",
                "--bin",
                "medlem-window-bench",
                "--",
            ])
            .args(&args)
            .env("MEDLEM_APP", bins.join(format!("medlem{exe}")))
            .env("MEDLEM_CLI", bins.join(format!("medlem-cli{exe}"))),
        "medlem-window-bench",
    )
}

/// One step of `cargo xtask test`.
struct Step {
    title: &'static str,
    args: &'static [&'static str],
    /// Parse libtest's result lines out of its stdout.
    counts: bool,
    /// Only runs where the WebDriver e2e tests can run.
    e2e: bool,
    /// Cross-built for Windows and run under Wine (Linux only).
    wine: bool,
    /// Then the Windows installer is written and tested under Wine.
    installer: bool,
}

/// The release workflow, checked by actionlint (installed by `deps`).
fn check_workflows(dry_run: bool) -> Result<(), Failure> {
    let dir = root().join(".github/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", dir.display()), 1))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    files.sort();
    let mut cmd = Command::new(deps::actionlint_path()?);
    cmd.args(&files).current_dir(root());
    if dry_run {
        println!("    would run: actionlint {}", files.len());
        return Ok(());
    }
    run_checked(&mut cmd, "actionlint .github/workflows")
}

const TEST_STEPS: &[Step] = &[
    Step {
        title: "format",
        args: &["fmt", "--all", "--", "--check"],
        counts: false,
        e2e: false,
        wine: false,
        installer: false,
    },
    Step {
        title: "clippy",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        counts: false,
        e2e: false,
        wine: false,
        installer: false,
    },
    Step {
        // This also builds target/debug/medlem and medlem-cli, which the e2e
        // tests drive: a separate `cargo build` would compile tauri a second
        // time without the dev-dependency features.
        title: "unit, integration and command tests",
        args: &["test", "--workspace", "--exclude", "medlem-e2e"],
        counts: true,
        e2e: false,
        wine: false,
        installer: false,
    },
    Step {
        title: "end-to-end tests (tauri-driver + WebKitWebDriver)",
        args: &["test", "-p", "medlem-e2e", "--", "--test-threads=1"],
        counts: true,
        e2e: true,
        wine: false,
        installer: false,
    },
    Step {
        // The core and the CLI on Windows semantics (paths, files, the
        // console): their tests cross-built with mingw-w64, run by Wine.
        title: "Windows: core and CLI tests under Wine",
        args: &[
            "test",
            "--no-fail-fast",
            "--target",
            windows::TARGET,
            "-p",
            "medlem-core",
            "-p",
            "medlem-cli",
        ],
        counts: true,
        e2e: false,
        wine: true,
        installer: false,
    },
    Step {
        // The app cross-built too (what the Windows build ships), its
        // installer written, installed silently, used and uninstalled.
        title: "Windows: the installer, installed and uninstalled under Wine",
        args: &[
            "build",
            "--target",
            windows::TARGET,
            "-p",
            "medlem",
            "-p",
            "medlem-cli",
        ],
        counts: false,
        e2e: false,
        wine: true,
        installer: true,
    },
];

/// The Windows steps' cargo commands as builds alone: a test step's with
/// `--no-run`.
fn prebuilds() -> Vec<Vec<&'static str>> {
    TEST_STEPS
        .iter()
        .filter(|s| s.wine)
        .map(|s| {
            let mut args = s.args.to_vec();
            if args[0] == "test" {
                args.push("--no-run");
            }
            args
        })
        .collect()
}

fn cmd_test(rest: &[String]) -> Result<(), Failure> {
    let dry_run = match rest {
        [] => false,
        [flag] if flag == "--dry-run" => true,
        _ => {
            return Err(Failure::new(
                format!("`cargo xtask test` takes only --dry-run (got {rest:?})"),
                2,
            ))
        }
    };
    deps::ensure(Need::Test, dry_run)?;
    let e2e_here = cfg!(target_os = "linux");
    if e2e_here {
        header("the release workflow: actionlint .github/workflows");
        check_workflows(dry_run)?;
    }
    // The store's behaviour suite runs on a PostgreSQL server too: a
    // throwaway one, stopped when the tests end.
    let server = if dry_run {
        None
    } else {
        header("a throwaway PostgreSQL server for the tests");
        let server = pg::Server::start()?;
        println!(
            "    {}",
            server.url.split('@').next_back().unwrap_or_default()
        );
        Some(server)
    };
    // The Windows steps' builds start now, beside the Linux steps.
    let mut prebuild = if e2e_here && !dry_run {
        Some(windows::prebuild(&prebuilds())?)
    } else {
        None
    };
    let mut totals = Totals::default();
    let started = Instant::now();
    let count = TEST_STEPS.len();
    let mut outcome = Ok(());
    for (i, step) in TEST_STEPS.iter().enumerate() {
        let shown = format!("cargo {}", step.args.join(" "));
        if (step.e2e || step.wine) && !e2e_here {
            header(&format!(
                "[{}/{count}] {}: skipped (it runs on Linux)",
                i + 1,
                step.title
            ));
            continue;
        }
        header(&format!("[{}/{count}] {}: {shown}", i + 1, step.title));
        if step.wine {
            if let Some(early) = prebuild.take() {
                let waited = Instant::now();
                early.wait();
                println!("    (waited {})", elapsed(waited));
            }
        }
        let step_started = Instant::now();
        let mut cmd = if step.wine && !dry_run {
            windows::wine_cargo()?
        } else {
            cargo_in_root()
        };
        cmd.args(step.args);
        // A test run builds once: incremental caches would only take disk.
        cmd.env("CARGO_INCREMENTAL", "0");
        if let Some(server) = &server {
            cmd.env(pg::URL_VAR, &server.url);
            // Under Wine a path is a Windows one: `/` is drive Z:.
            let root = match step.wine {
                true => pg::wine_path(&server.root_cert),
                false => server.root_cert.display().to_string(),
            };
            cmd.env(pg::ROOT_CERT_VAR, root);
        }
        if step.e2e {
            let bins = target_dir()?.join("debug");
            let exe = env::consts::EXE_SUFFIX;
            cmd.env("MEDLEM_APP", bins.join(format!("medlem{exe}")));
            cmd.env("MEDLEM_CLI", bins.join(format!("medlem-cli{exe}")));
        }
        if dry_run {
            for (key, value) in cmd.get_envs() {
                let value = value.map(|v| v.to_string_lossy()).unwrap_or_default();
                println!("    with {}={value}", key.to_string_lossy());
            }
            continue;
        }
        let status = if step.counts {
            summary::run_streaming(&mut cmd, &mut totals)
        } else {
            cmd.status()
        }
        .map_err(|e| Failure::new(format!("could not start `{shown}`: {e}"), 1))?;
        let status_ok = status.success();
        if status_ok && step.installer {
            if let Err(failure) = windows::test_installer(&mut totals) {
                println!("    ({})", elapsed(step_started));
                outcome = Err(failure);
                break;
            }
        }
        println!("    ({})", elapsed(step_started));
        if !status_ok {
            if step.e2e {
                let target = target_dir()?;
                println!(
                    "    screenshots: {}\n    driver and app logs: {}",
                    target.join("e2e-screenshots").display(),
                    target.join("e2e-logs").display()
                );
            }
            outcome = Err(Failure::new(
                format!("step {}/{count} `{shown}` failed ({status})", i + 1),
                exit_code(status),
            ));
            break;
        }
    }
    if dry_run {
        return outcome;
    }
    println!("\nall steps: {}", elapsed(started));
    if totals.results > 0 || outcome.is_ok() {
        println!("{}", totals.line());
    }
    outcome
}

fn cmd_screenshot(rest: &[String]) -> Result<(), Failure> {
    let mut out = root().join("docs").join("screenshot.png");
    let mut args = rest.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => {
                let value = args
                    .next()
                    .ok_or_else(|| Failure::new("--out needs a path", 2))?;
                out = absolute(Path::new(value))?;
            }
            other => {
                if let Some(value) = other.strip_prefix("--out=") {
                    out = absolute(Path::new(value))?;
                } else {
                    return Err(Failure::new(
                        format!("unknown screenshot argument `{other}`"),
                        2,
                    ));
                }
            }
        }
    }
    if !cfg!(target_os = "linux") {
        return Err(Failure::new(
            "screenshots are taken over WebDriver under Xvfb, on Linux",
            1,
        ));
    }
    deps::ensure(Need::Test, false)?;
    header("build the app and the CLI: cargo build -p medlem -p medlem-cli");
    run_checked(
        cargo_in_root().args(["build", "-p", "medlem", "-p", "medlem-cli"]),
        "cargo build -p medlem -p medlem-cli",
    )?;
    header(&format!("screenshot -> {}", out.display()));
    let bins = target_dir()?.join("debug");
    let exe = env::consts::EXE_SUFFIX;
    run_checked(
        cargo_in_root()
            .args([
                "run",
                "--quiet",
                "-p",
                "medlem-e2e",
                "--bin",
                "medlem-screenshot",
                "--",
                "--out",
            ])
            .arg(&out)
            .env("MEDLEM_APP", bins.join(format!("medlem{exe}")))
            .env("MEDLEM_CLI", bins.join(format!("medlem-cli{exe}"))),
        "medlem-screenshot",
    )
}

fn absolute(path: &Path) -> Result<PathBuf, Failure> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    env::current_dir()
        .map(|cwd| cwd.join(path))
        .map_err(|e| Failure::new(format!("no current directory: {e}"), 1))
}

/// The target directory as cargo sees it (CARGO_TARGET_DIR, config, or `<root>/target`).
pub fn target_dir() -> Result<PathBuf, Failure> {
    let out = cargo_in_root()
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .output()
        .map_err(|e| Failure::new(format!("could not run cargo metadata: {e}"), 1))?;
    if !out.status.success() {
        return Err(Failure::new(
            format!(
                "cargo metadata failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
            1,
        ));
    }
    json_string_field(&String::from_utf8_lossy(&out.stdout), "target_directory")
        .map(PathBuf::from)
        .ok_or_else(|| Failure::new("cargo metadata has no target_directory", 1))
}

/// The value of the first `"key":"..."` in a JSON text (enough for cargo metadata;
/// keeps xtask free of dependencies).
fn json_string_field(json: &str, key: &str) -> Option<String> {
    let pattern = format!("\"{key}\":\"");
    let start = json.find(&pattern)? + pattern.len();
    let mut value = String::new();
    let mut chars = json[start..].chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

fn elapsed(since: Instant) -> String {
    let secs = since.elapsed().as_secs();
    if secs >= 60 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{secs}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_optional() {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(strip_separator(v(&["--", "--db", "x"])), v(&["--db", "x"]));
        assert_eq!(strip_separator(v(&["--db", "x"])), v(&["--db", "x"]));
        assert_eq!(strip_separator(v(&[])), v(&[]));
        assert_eq!(strip_separator(v(&["a", "--", "b"])), v(&["a", "--", "b"]));
    }

    #[test]
    fn reads_target_directory_from_metadata() {
        let json = r#"{"packages":[],"target_directory":"C:\\work\\main\\target","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some(r"C:\work\main\target")
        );
        let json = r#"{"target_directory":"/tmp/t\u00e4rget","x":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/tmp/tärget")
        );
        assert_eq!(json_string_field("{}", "target_directory"), None);
    }

    #[test]
    fn test_steps_keep_their_order() {
        let order: Vec<&str> = TEST_STEPS.iter().map(|s| s.args[0]).collect();
        assert_eq!(order, ["fmt", "clippy", "test", "test", "test", "build"]);
        let e2e = &TEST_STEPS[3];
        assert!(
            e2e.e2e && e2e.args.contains(&"medlem-e2e") && e2e.args.contains(&"--test-threads=1")
        );
        let (wine_tests, installer) = (&TEST_STEPS[4], &TEST_STEPS[5]);
        assert!(wine_tests.wine && wine_tests.args.contains(&windows::TARGET));
        assert!(!wine_tests.installer);
        // The installer holds the app and the CLI built for Windows.
        assert!(installer.wine && installer.installer);
        assert!(installer.args.contains(&windows::TARGET));
        assert!(installer.args.contains(&"medlem") && installer.args.contains(&"medlem-cli"));
        let unit = &TEST_STEPS[2];
        assert!(unit.args.contains(&"--exclude") && unit.args.contains(&"medlem-e2e"));
    }

    #[test]
    fn the_windows_builds_beside_the_steps_are_the_windows_steps_without_running() {
        let early = prebuilds();
        assert_eq!(early.len(), 2);
        assert_eq!(early[0][0], "test");
        assert_eq!(early[0].last(), Some(&"--no-run"));
        assert_eq!(&early[0][..early[0].len() - 1], TEST_STEPS[4].args);
        assert_eq!(early[1], TEST_STEPS[5].args);
    }
}
