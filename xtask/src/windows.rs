//! Windows, from this Debian machine: `cargo xtask dist windows` cross-builds
//! the app and the CLI with mingw-w64 and writes the installer with Debian's
//! makensis (installer/windows/medlem.nsi); the Windows test steps run the
//! core's and the CLI's tests, cross-built, under Wine, and install, use and
//! uninstall the installer there (installer.rs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::deps::{self, Need};
use crate::installer;
use crate::summary::Totals;
use crate::{cargo_in_root, header, root, run_checked, target_dir, Failure};

/// The Rust target of the Windows build (mingw-w64: it links on Linux).
pub const TARGET: &str = "x86_64-pc-windows-gnu";

/// What the installer holds, from the cross-build's release folder.
pub const SHIPPED: &[&str] = &["medlem.exe", "medlem-cli.exe", "WebView2Loader.dll"];

/// The installer's file name for `version`.
pub fn installer_name(version: &str) -> String {
    format!("Medlem_{version}_x64-setup.exe")
}

/// The app's version, from `src-tauri/tauri.conf.json` (`"version": "…"`).
pub fn version_of(conf: &str) -> Option<String> {
    conf.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("\"version\":"))
        .map(|v| v.trim().trim_end_matches(',').trim_matches('"').to_owned())
        .filter(|v| !v.is_empty())
}

/// The environment that runs Windows test binaries under Wine in `prefix`:
/// cargo's runner, a quiet Wine, no Mono or Gecko prompts, and the
/// `ProcessPrng` shim before Wine's own bcryptprimitives.
pub fn wine_env(prefix: &Path) -> Vec<(String, String)> {
    let runner = format!(
        "CARGO_TARGET_{}_RUNNER",
        TARGET.to_uppercase().replace('-', "_")
    );
    vec![
        (runner, "wine".into()),
        ("WINEPREFIX".into(), prefix.display().to_string()),
        ("WINEDEBUG".into(), "-all".into()),
        (
            "WINEDLLOVERRIDES".into(),
            "mscoree,mshtml=;bcryptprimitives=n,b".into(),
        ),
        // A 64-bit prefix, for the 64-bit test binaries.
        ("WINEARCH".into(), "win64".into()),
    ]
}

/// `cargo xtask dist windows [--check]`: the installer in `target/dist/`
/// (with `--check`, then installed, used and uninstalled under Wine).
pub fn dist(rest: &[String]) -> Result<(), Failure> {
    let check = match rest {
        [what] if what == "windows" => false,
        [what, flag] if what == "windows" && flag == "--check" => true,
        _ => {
            return Err(Failure::new(
                format!("`cargo xtask dist` takes one platform: windows [--check] (got {rest:?})"),
                2,
            ))
        }
    };
    // The test packages hold the Windows ones and Wine.
    deps::ensure(if check { Need::Test } else { Need::Windows }, false)?;
    header(&format!(
        "cargo build --release --target {TARGET} -p medlem -p medlem-cli"
    ));
    run_checked(
        cargo_in_root().args([
            "build",
            "--release",
            "--target",
            TARGET,
            "-p",
            "medlem",
            "-p",
            "medlem-cli",
        ]),
        "the Windows build",
    )?;
    let built = target_dir()?.join(TARGET).join("release");
    let (out, version) = write_installer(&built, &target_dir()?.join("dist"), Compression::Small)?;
    println!("    installer: {}", out.display());
    if check {
        installer::test(&out, &version, &mut Totals::default())?;
    }
    Ok(())
}

/// How makensis packs the files.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compression {
    /// The script's own (solid LZMA): for what is shipped.
    Small,
    /// zlib: a quarter of the time, for the test installer.
    Fast,
}

/// Writes the installer of the files in `built` into `out_dir`; returns its
/// path and the version it installs.
fn write_installer(
    built: &Path,
    out_dir: &Path,
    packing: Compression,
) -> Result<(PathBuf, String), Failure> {
    for file in SHIPPED {
        if !built.join(file).is_file() {
            return Err(Failure::new(
                format!("{} was not built", built.join(file).display()),
                1,
            ));
        }
    }
    let version = app_version()?;
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Failure::new(format!("cannot make {}: {e}", out_dir.display()), 1))?;
    let out = out_dir.join(installer_name(&version));
    header(&format!("makensis -> {}", out.display()));
    let mut makensis = Command::new("makensis");
    makensis.arg("-V2");
    if packing == Compression::Fast {
        makensis.arg("-DCOMPRESSOR=zlib");
    }
    run_checked(
        makensis
            .arg(format!("-DVERSION={version}"))
            .arg(format!("-DSOURCE={}", built.display()))
            .arg(format!(
                "-DICON={}",
                root().join("icons/icon.ico").display()
            ))
            .arg(format!("-DOUTFILE={}", out.display()))
            .arg(root().join("installer/windows/medlem.nsi")),
        "makensis",
    )?;
    Ok((out, version))
}

/// The app's version, from `src-tauri/tauri.conf.json`.
fn app_version() -> Result<String, Failure> {
    let conf = std::fs::read_to_string(root().join("src-tauri/tauri.conf.json"))
        .map_err(|e| Failure::new(format!("cannot read tauri.conf.json: {e}"), 1))?;
    version_of(&conf).ok_or_else(|| Failure::new("tauri.conf.json has no version", 1))
}

/// The installer test of `cargo xtask test`, after its step has cross-built
/// the app and the CLI (debug): the installer written from them, then
/// installed, used and uninstalled under Wine.
pub fn test_installer(totals: &mut Totals) -> Result<(), Failure> {
    let built = cross_dir()?.join(TARGET).join("debug");
    let (out, version) = write_installer(&built, &built.join("installer"), Compression::Fast)?;
    installer::test(&out, &version, totals)
}

/// A Wine prefix under `target/wine` with the `ProcessPrng` shim in its
/// system32: made once, kept between runs.
pub fn wine_prefix() -> Result<PathBuf, Failure> {
    let prefix = target_dir()?.join("wine");
    let system32 = prefix.join("drive_c/windows/system32");
    let shim = system32.join("bcryptprimitives.dll");
    if !system32.is_dir() {
        header(&format!("a Wine prefix in {}", prefix.display()));
        std::fs::create_dir_all(&prefix)
            .map_err(|e| Failure::new(format!("cannot make {}: {e}", prefix.display()), 1))?;
        run_checked(
            Command::new("wineboot")
                .arg("--init")
                .envs(wine_env(&prefix)),
            "wineboot --init",
        )?;
    }
    let source = root().join("installer/windows/wine");
    let newer = |a: &Path, b: &Path| -> bool {
        let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        match (m(a), m(b)) {
            (Some(a), Some(b)) => a > b,
            _ => true,
        }
    };
    if !shim.is_file() || newer(&source.join("bcryptprimitives.c"), &shim) {
        run_checked(
            Command::new("x86_64-w64-mingw32-gcc")
                .args(["-shared", "-O2", "-o"])
                .arg(&shim)
                .arg(source.join("bcryptprimitives.c"))
                .arg(source.join("bcryptprimitives.def")),
            "the ProcessPrng shim (mingw gcc)",
        )?;
    }
    Ok(prefix)
}

/// Where `cargo xtask test` builds for Windows: a target directory of its
/// own, so that it can compile while the Linux steps use theirs (cargo locks
/// a target directory while it builds in it).
pub fn cross_dir() -> Result<PathBuf, Failure> {
    Ok(target_dir()?.join("windows"))
}

/// The environment of the test run's Windows builds: their own target
/// directory, Wine as the runner, no debug information (the Windows builds
/// link in about half the time, and a test binary is some 60 MB instead of
/// 600).
fn cross_env() -> Result<Vec<(String, String)>, Failure> {
    let mut env = wine_env(&target_dir()?.join("wine"));
    env.push((
        "CARGO_TARGET_DIR".into(),
        cross_dir()?.display().to_string(),
    ));
    env.push(("CARGO_PROFILE_DEV_DEBUG".into(), "0".into()));
    Ok(env)
}

/// A cargo command whose Windows binaries Wine runs (the prefix made first).
pub fn wine_cargo() -> Result<Command, Failure> {
    wine_prefix()?;
    let mut cmd = cargo_in_root();
    cmd.envs(cross_env()?);
    Ok(cmd)
}

/// The Windows builds of `cargo xtask test`, started at its beginning beside
/// the Linux steps at the lowest priority (`nice -n 19`): they take the
/// core the Linux steps leave idle (the end-to-end tests mostly wait on the
/// window), and the Windows steps then find them built. Each is one of those
/// steps' cargo commands with `--no-run`/as is, with the same environment;
/// their output goes to a log, and a failure is left for the step to show.
pub struct Prebuild {
    thread: Option<std::thread::JoinHandle<bool>>,
    /// The process id of the build running now: killed when the test run
    /// ends before it.
    running: std::sync::Arc<std::sync::Mutex<Option<u32>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    log: PathBuf,
}

pub fn prebuild(commands: &[Vec<&str>]) -> Result<Prebuild, Failure> {
    use std::sync::atomic::Ordering;
    let dir = cross_dir()?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Failure::new(format!("cannot make {}: {e}", dir.display()), 1))?;
    let log = dir.join("prebuild.log");
    let out = std::fs::File::create(&log)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", log.display()), 1))?;
    let env = cross_env()?;
    let cargo = crate::cargo().get_program().to_owned();
    let commands: Vec<Vec<String>> = commands
        .iter()
        .map(|c| c.iter().map(|a| a.to_string()).collect())
        .collect();
    let running = std::sync::Arc::new(std::sync::Mutex::new(None));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (now, stopped) = (running.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        commands.iter().all(|args| {
            let (Ok(stdout), Ok(stderr)) = (out.try_clone(), out.try_clone()) else {
                return false;
            };
            let mut slot = now.lock().unwrap_or_else(|e| e.into_inner());
            if stopped.load(Ordering::SeqCst) {
                return false;
            }
            let child = Command::new("nice")
                .args(["-n", "19"])
                .arg(&cargo)
                .args(args)
                .current_dir(crate::root())
                .envs(env.iter().map(|(k, v)| (k, v)))
                .env("CARGO_INCREMENTAL", "0")
                .stdin(std::process::Stdio::null())
                .stdout(stdout)
                .stderr(stderr)
                .spawn();
            let Ok(mut child) = child else {
                return false;
            };
            *slot = Some(child.id());
            drop(slot);
            let ok = child.wait().is_ok_and(|s| s.success());
            *now.lock().unwrap_or_else(|e| e.into_inner()) = None;
            ok
        })
    });
    Ok(Prebuild {
        thread: Some(thread),
        running,
        stop,
        log,
    })
}

impl Drop for Prebuild {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(pid) = *self.running.lock().unwrap_or_else(|e| e.into_inner()) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Prebuild {
    /// Waits for the builds and says how they went.
    pub fn wait(mut self) {
        let ok = self
            .thread
            .take()
            .is_some_and(|t| t.join().unwrap_or(false));
        let how = if ok {
            "done"
        } else {
            "not done, the step builds and says why"
        };
        println!(
            "    the Windows build beside the steps: {how} ({})",
            self.log.display()
        );
    }
}
