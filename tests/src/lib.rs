//! The end-to-end harness: starts the real Medlem app under tauri-driver +
//! WebKitWebDriver (on Xvfb when there is no display) and drives its window
//! through `data-testid` selectors, as docs/ui.md lists them.
//!
//! Everything is synchronous for the tests: an [`App`] owns a small tokio
//! runtime and blocks on each WebDriver command. Every wait polls with a
//! deadline ([`timeout`]); nothing sleeps to synchronise.
//!
//! Sessions never overlap: [`App`] holds a process-wide lock while it lives,
//! so tests may run in parallel without fighting over the driver or the display
//! (`cargo xtask test` runs them with `--test-threads=1` anyway).
//!
//! Environment:
//! - `MEDLEM_APP`: the app binary (default `<target>/debug/medlem`).
//! - `MEDLEM_CLI`: the CLI binary (default `<target>/debug/medlem-cli`).
//! - `CARGO_TARGET_DIR`: respected for the defaults and for the output folders
//!   `<target>/e2e-screenshots/` and `<target>/e2e-logs/`.
//! - `DISPLAY`: used when set; otherwise (or with `MEDLEM_E2E_XVFB=1`) one Xvfb
//!   is started per test process and stopped when the process ends.
//! - `TAURI_DRIVER`, `WEBKIT_WEBDRIVER`: override where the drivers are.
//! - `MEDLEM_E2E_TIMEOUT`: seconds for each wait (default 15).
//! - `MEDLEM_E2E_BROWSER_NAME`: the WebDriver `browserName` (default `wry`),
//!   only to try the harness on another WebKitGTK browser such as MiniBrowser.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder};
use serde_json::{json, Value};

pub use tempfile::TempDir;

/// The language the app sees as "the system's": English, so that a test can
/// tell a chosen language apart from the default.
pub const SYSTEM_LANG: &str = "en_US.UTF-8";

// ---------------------------------------------------------------------------
// Paths

/// The workspace root (this crate lives in `<root>/tests`).
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// `CARGO_TARGET_DIR` (relative to the workspace root when relative), else `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace().join(dir),
        _ => workspace().join("target"),
    }
}

fn binary_from_env(var: &str, name: &str, package: &str) -> PathBuf {
    let path = match std::env::var_os(var) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => target_dir()
            .join("debug")
            .join(format!("{name}{}", std::env::consts::EXE_SUFFIX)),
    };
    assert!(
        path.is_file(),
        "{name} not found at {}: run `cargo build -p {package}` first \
         (`cargo xtask test` does), or point {var} at the binary",
        path.display()
    );
    path
}

/// The Medlem app binary: `MEDLEM_APP`, else `<target>/debug/medlem`. Panics with
/// what to do when it is not built: the e2e tests never skip silently.
pub fn medlem_app() -> PathBuf {
    binary_from_env("MEDLEM_APP", "medlem", "medlem")
}

/// The CLI binary: `MEDLEM_CLI`, else `<target>/debug/medlem-cli`.
pub fn medlem_cli() -> PathBuf {
    binary_from_env("MEDLEM_CLI", "medlem-cli", "medlem-cli")
}

/// Where [`App::screenshot`] writes: `<target>/e2e-screenshots/`.
pub fn screenshots_dir() -> PathBuf {
    target_dir().join("e2e-screenshots")
}

/// Where each session's tauri-driver/WebKitWebDriver/app output goes: `<target>/e2e-logs/`.
pub fn logs_dir() -> PathBuf {
    target_dir().join("e2e-logs")
}

/// How long each wait may take: `MEDLEM_E2E_TIMEOUT` seconds, default 15.
pub fn timeout() -> Duration {
    let secs = std::env::var("MEDLEM_E2E_TIMEOUT")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(15);
    Duration::from_secs(secs.max(1))
}

/// Longer deadline for starting processes (cold WebKit start on a busy CI machine).
fn launch_timeout() -> Duration {
    timeout().max(Duration::from_secs(10)) * 6
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let exe = format!("tauri-driver{}", std::env::consts::EXE_SUFFIX);
    if let Some(p) = find_on_path(&exe) {
        return p;
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(p) = cargo_home.map(|h| h.join("bin").join(&exe)) {
        if p.is_file() {
            return p;
        }
    }
    panic!("tauri-driver not found on PATH or in $CARGO_HOME/bin: run `cargo install tauri-driver --locked` (`cargo xtask test` does)");
}

fn native_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("WEBKIT_WEBDRIVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let default = PathBuf::from("/usr/bin/WebKitWebDriver");
    if default.is_file() {
        return default;
    }
    find_on_path("WebKitWebDriver").unwrap_or_else(|| {
        panic!("WebKitWebDriver not found: apt-get install webkit2gtk-driver (`cargo xtask test` does)")
    })
}

// ---------------------------------------------------------------------------
// Display

struct Xvfb {
    display: String,
    // Closing this pipe (when the test process ends, however it ends) makes the
    // wrapper shell stop Xvfb: statics are never dropped, so no Drop could.
    _stdin: ChildStdin,
    _shell: Child,
}

static XVFB: OnceLock<Xvfb> = OnceLock::new();

/// The `DISPLAY` for the app: the inherited one, or our own Xvfb's.
fn display() -> Option<String> {
    let forced = std::env::var("MEDLEM_E2E_XVFB").is_ok_and(|v| v == "1");
    let inherited = std::env::var("DISPLAY").ok().filter(|d| !d.is_empty());
    if inherited.is_some() && !forced {
        return None;
    }
    Some(XVFB.get_or_init(start_xvfb).display.clone())
}

fn start_xvfb() -> Xvfb {
    assert!(
        find_on_path("Xvfb").is_some(),
        "DISPLAY is not set and Xvfb is not installed: apt-get install xvfb xauth (`cargo xtask test` does)"
    );
    fs::create_dir_all(logs_dir()).expect("create the e2e log folder");
    let log = logs_dir().join(format!("xvfb-{}.log", std::process::id()));
    // Xvfb picks a free display and writes its number to fd 1 (-displayfd 1,
    // which is our pipe) once it accepts connections. The shell then waits for
    // its stdin to close — at our exit — and stops Xvfb with SIGTERM.
    let script = r#"
        Xvfb -displayfd 1 -screen 0 1280x800x24 -nolisten tcp </dev/null 2>>"$1" &
        pid=$!
        read -r _ignored
        kill -TERM "$pid" 2>/dev/null
        wait "$pid"
    "#;
    let log_file = File::create(&log).expect("create the Xvfb log");
    let mut shell = Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg("sh")
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log_file)
        .spawn()
        .expect("start Xvfb through sh");
    let stdin = shell.stdin.take().expect("stdin was piped");
    let stdout = shell.stdout.take().expect("stdout was piped");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line);
        // Keep reading so Xvfb never writes into a closed pipe.
        let mut rest = Vec::new();
        let _ = std::io::Read::read_to_end(&mut reader, &mut rest);
    });
    let number = match rx.recv_timeout(launch_timeout()) {
        Ok(line) if line.trim().parse::<u32>().is_ok() => line.trim().to_string(),
        other => panic!(
            "Xvfb did not report a display ({other:?}); its log {}:\n{}",
            log.display(),
            fs::read_to_string(&log).unwrap_or_default()
        ),
    };
    // -displayfd is written when the server listens; the socket is the proof.
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    poll_plain(&format!("X socket {}", socket.display()), || {
        socket.exists()
    });
    Xvfb {
        display: format!(":{number}"),
        _stdin: stdin,
        _shell: shell,
    }
}

/// Polls `ready` every 20 ms until it holds or the launch deadline passes.
fn poll_plain(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + launch_timeout();
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(20));
    }
}

// ---------------------------------------------------------------------------
// Processes

fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    let ports = (
        a.local_addr().expect("local addr").port(),
        b.local_addr().expect("local addr").port(),
    );
    drop((a, b));
    ports
}

fn accepts(port: u16) -> bool {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok()
}

/// SIGTERM, not SIGKILL: tauri-driver then stops WebKitWebDriver itself
/// (SIGKILL leaves WebKitWebDriver orphans behind).
/// (The shell's builtin `kill`: /bin/kill comes with procps, which a minimal
/// image may lack, and std has no way to send a signal.)
fn terminate(pid: u32) {
    let _ = Command::new("sh")
        .args(["-c", "kill -TERM \"$1\"", "sh", &pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

/// Pids of the processes (other than us) with `arg` as one whole argument.
#[cfg(target_os = "linux")]
fn processes_with_arg(arg: &Path) -> Vec<u32> {
    use std::os::unix::ffi::OsStrExt;
    let wanted = arg.as_os_str().as_bytes();
    let me = std::process::id();
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            fs::read(format!("/proc/{pid}/cmdline"))
                .map(|cmd| cmd.split(|&b| b == 0).any(|a| a == wanted))
                .unwrap_or(false)
        })
        .collect()
}

#[cfg(not(target_os = "linux"))]
fn processes_with_arg(_arg: &Path) -> Vec<u32> {
    Vec::new()
}

/// Waits until no process runs with `db` as an argument (the app exits once
/// WebKitWebDriver ends its session); SIGTERMs any left after the deadline.
fn stop_app_processes(db: &Path) {
    let deadline = Instant::now() + timeout();
    loop {
        let left = processes_with_arg(db);
        if left.is_empty() {
            return;
        }
        if Instant::now() > deadline {
            eprintln!("the app (pids {left:?}) did not exit after its session closed; stopping it");
            for pid in left {
                terminate(pid);
            }
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Waits (up to the deadline) until the processes `pids` are gone from the
/// process table, not only exited: the app leaves an in-use note beside the
/// register, which the next start ignores only once its process no longer
/// exists — and an exited process that its parent has not yet reaped still does.
#[cfg(target_os = "linux")]
fn wait_reaped(pids: &[u32]) {
    let deadline = Instant::now() + timeout();
    while pids
        .iter()
        .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
    {
        if Instant::now() > deadline {
            eprintln!("the app's processes {pids:?} were not reaped in time");
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(not(target_os = "linux"))]
fn wait_reaped(_pids: &[u32]) {}

fn test_name() -> String {
    let name = thread::current()
        .name()
        .unwrap_or("main")
        .replace("::", "-");
    sanitize(&name)
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let from = lines.len().saturating_sub(40);
    lines[from..].join("\n")
}

// ---------------------------------------------------------------------------
// The app

static SESSION: Mutex<()> = Mutex::new(());
static LAUNCHES: AtomicUsize = AtomicUsize::new(0);

/// One running app window, driven over WebDriver. Dropping it closes the
/// session and stops the drivers; after a panic it first saves
/// `failure-<test>.png`.
pub struct App {
    rt: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Option<Child>,
    application: PathBuf,
    args: Vec<OsString>,
    db: Option<PathBuf>,
    /// The app's environment beyond the harness's own: set, or removed.
    env: Vec<(String, Option<OsString>)>,
    log: PathBuf,
    /// When the session (and so the app's process) was asked for.
    requested: Instant,
    _session: MutexGuard<'static, ()>,
}

/// What a poll step says: `Ok(Some(v))` done, `Ok(None)` not yet, `Err(why)` not yet, because.
pub type Poll<T> = Result<Option<T>, String>;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// JS helpers shared by the scripts below: visibility and normalised text.
const JS_PRELUDE: &str = r#"
const vis = e => {
  if (!e || !e.isConnected || !e.getClientRects().length) return false;
  const s = getComputedStyle(e);
  return s.visibility !== 'hidden' && s.display !== 'none';
};
const txt = e => {
  const raw = (e instanceof HTMLInputElement || e instanceof HTMLTextAreaElement || e instanceof HTMLSelectElement)
    ? e.value : e.innerText;
  return (raw || '').replace(/\s+/g, ' ').trim();
};
const visible = sel => Array.from(document.querySelectorAll(sel)).filter(vis);
"#;

/// The layout check of [`App::layout_faults`], run in the page after two
/// frames, so that what it measures has been laid out.
const LAYOUT_SCRIPT: &str = r#"
const done = arguments[arguments.length - 1];
const W = window.innerWidth, H = window.innerHeight;
const faults = [];
const name = e => e.dataset && e.dataset.testid ? `[${e.dataset.testid}]`
  : e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim()
    ? '.' + e.className.trim().split(/\s+/).join('.') : '');
const where = e => {
  const p = [];
  for (let x = e; x && x !== document.body && p.length < 4; x = x.parentElement) p.unshift(name(x));
  return p.join(' > ');
};
const shown = e => {
  if (!e.getClientRects().length) return false;
  const s = getComputedStyle(e);
  return s.visibility !== 'hidden' && s.display !== 'none';
};
const hiddenOnPurpose = e => !!e.closest('.visually-hidden, option, [aria-hidden="true"]');
// The ancestors that clip: [element, style, padding box].
const clippers = e => {
  const out = [];
  for (let x = e.parentElement; x && x !== document.documentElement; x = x.parentElement) {
    const s = getComputedStyle(x);
    if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
      const r = x.getBoundingClientRect();
      const bl = parseFloat(s.borderLeftWidth), br = parseFloat(s.borderRightWidth);
      const bt = parseFloat(s.borderTopWidth), bb = parseFloat(s.borderBottomWidth);
      out.push([x, s, { left: r.left + bl, right: r.right - br, top: r.top + bt, bottom: r.bottom - bb }]);
    }
  }
  return out;
};
requestAnimationFrame(() => requestAnimationFrame(() => {
  const se = document.scrollingElement;
  se.scrollTop = 100000; se.scrollLeft = 100000;
  if (se.scrollTop !== 0 || se.scrollLeft !== 0) {
    faults.push(`the document scrolls (to ${se.scrollLeft},${se.scrollTop}); it is ${se.scrollWidth}x${se.scrollHeight} in a ${W}x${H} window`);
  }
  se.scrollTop = 0; se.scrollLeft = 0;
  const all = Array.from(document.body.querySelectorAll('*')).filter(e => shown(e) && !hiddenOnPurpose(e));
  for (const e of all) {
    const s = getComputedStyle(e);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1
        && !(e instanceof HTMLTextAreaElement)) {
      faults.push(`${where(e)} scrolls sideways: ${e.scrollWidth} px of content in ${e.clientWidth}`);
    }
    if ((s.overflowY === 'hidden' && e.scrollTop !== 0) || (s.overflowX === 'hidden' && e.scrollLeft !== 0)) {
      faults.push(`${where(e)} clips but was scrolled (to ${e.scrollLeft},${e.scrollTop}): part of it is out of reach`);
    }
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((e instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'color', 'file', 'hidden'].includes(e.type))
        || e instanceof HTMLSelectElement) {
      // The value or placeholder is one line inside the padding.
      const lh = s.lineHeight === 'normal' ? 1.2 * parseFloat(s.fontSize) : parseFloat(s.lineHeight);
      const inner = e.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
      if (inner < lh - 0.5) {
        faults.push(`${where(e)} has ${inner.toFixed(1)} px for a line of ${lh.toFixed(1)} px: its text is cut at the top or bottom`);
      }
    }
    if (r.right > W + 1 || r.left < -1) {
      // Past the window; fine only when a clipping ancestor inside the window hides it on purpose.
      const cut = clippers(e).find(([, , b]) => b.right <= W + 1 && b.left >= -1);
      if (!cut) faults.push(`${where(e)} reaches past the window: ${Math.round(r.left)}..${Math.round(r.right)} of ${W}`);
    }
    for (const [x, xs, b] of clippers(e).slice(0, 1)) {
      if (xs.textOverflow === 'ellipsis' || xs.overflowX === 'auto' || xs.overflowX === 'scroll') continue;
      if (r.right > b.right + 1 || r.left < b.left - 1) {
        faults.push(`${where(e)} is cut off at the side by ${where(x)}: ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(b.left)}..${Math.round(b.right)}`);
      }
    }
  }
  // What has the focus is not covered (by a sticky panel, a toast).
  const f = document.activeElement;
  if (f && f !== document.body && shown(f)) {
    const r = f.getBoundingClientRect();
    const x = r.left + Math.min(r.width / 2, 12), y = r.top + r.height / 2;
    if (x >= 0 && y >= 0 && x < W && y < H) {
      const top = document.elementFromPoint(x, y);
      if (top && top !== f && !f.contains(top) && !(top.control === f)) {
        faults.push(`${where(f)} has the focus but ${where(top)} covers it`);
      }
    }
  }
  // A toast covers no control that can be seen.
  for (const toast of document.querySelectorAll('[data-testid="toast"]')) {
    const tr = toast.getBoundingClientRect();
    for (const c of document.querySelectorAll('button, input, select, textarea, a[href], [tabindex="0"]')) {
      if (toast.contains(c) || !shown(c) || hiddenOnPurpose(c)) continue;
      let r = c.getBoundingClientRect();
      for (const [, , b] of clippers(c)) {
        r = { left: Math.max(r.left, b.left), right: Math.min(r.right, b.right), top: Math.max(r.top, b.top), bottom: Math.min(r.bottom, b.bottom) };
      }
      if (r.right > r.left && r.bottom > r.top && r.left < tr.right && r.right > tr.left && r.top < tr.bottom && r.bottom > tr.top) {
        faults.push(`the toast "${toast.textContent.slice(0, 40)}" covers ${where(c)}`);
      }
    }
  }
  // Text cut at the top or bottom by a box that clips without scrolling.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    const e = n.parentElement;
    if (!e || !shown(e) || hiddenOnPurpose(e) || e.closest('script, style, textarea, select, svg')) continue;
    const own = getComputedStyle(e);
    range.selectNodeContents(n);
    const rects = Array.from(range.getClientRects());
    const boxes = [];
    {
      const s = own;
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        const r = e.getBoundingClientRect();
        boxes.push([e, s, { top: r.top + parseFloat(s.borderTopWidth), bottom: r.bottom - parseFloat(s.borderBottomWidth) }]);
      }
    }
    for (const c of clippers(e)) boxes.push(c);
    for (const [x, xs, b] of boxes) {
      if (xs.overflowY === 'auto' || xs.overflowY === 'scroll') break;
      // The line's own height: the marks above capitals (Å, Ö) reach into it.
      const lh = own.lineHeight === 'normal' ? 1.2 * parseFloat(own.fontSize) : parseFloat(own.lineHeight);
      const bad = rects.map(t => {
        const pad = Math.max(0, (lh - t.height) / 2);
        return { top: t.top - pad, bottom: t.bottom + pad, width: t.width, height: t.height };
      }).find(t => t.height > 0 && t.width > 0 && (t.top < b.top - 0.5 || t.bottom > b.bottom + 0.5)
        && t.bottom > b.top && t.top < b.bottom);
      if (bad) {
        faults.push(`the text "${n.nodeValue.trim().slice(0, 40)}" in ${where(e)} is cut by ${where(x)}: its box is ${bad.top.toFixed(1)}..${bad.bottom.toFixed(1)}, the clip ${b.top.toFixed(1)}..${b.bottom.toFixed(1)}`);
        break;
      }
    }
  }
  done(faults.slice(0, 40));
}));
"#;

impl App {
    /// Starts the Medlem app (see [`medlem_app`]) on the database `db` (`--db DB`).
    pub fn launch(db: &Path) -> App {
        Self::launch_app(
            &medlem_app(),
            vec!["--db".into(), db.as_os_str().to_owned()],
            Some(db),
        )
    }

    /// Starts `application` with `args` under tauri-driver. `db`, when given, is
    /// how the harness recognises the app's process to make sure it has exited
    /// when the app closes.
    pub fn launch_app(application: &Path, args: Vec<OsString>, db: Option<&Path>) -> App {
        Self::launch_app_with_env(application, args, db, Vec::new())
    }

    /// [`App::launch_app`] with `env` set (`Some`) or removed (`None`) in the
    /// app's environment, for this launch and its restarts.
    pub fn launch_app_with_env(
        application: &Path,
        args: Vec<OsString>,
        db: Option<&Path>,
        env: Vec<(String, Option<OsString>)>,
    ) -> App {
        if !cfg!(target_os = "linux") {
            panic!("the e2e harness drives WebKitWebDriver (under Xvfb): Linux only");
        }
        let session = SESSION.lock().unwrap_or_else(PoisonError::into_inner);
        let display = display();
        let (port, native_port) = free_ports();

        fs::create_dir_all(logs_dir()).expect("create the e2e log folder");
        let n = LAUNCHES.fetch_add(1, Ordering::Relaxed);
        let log = logs_dir().join(format!("{}-{n}.log", test_name()));
        let out = File::create(&log).expect("create the driver log");
        let err = out.try_clone().expect("clone the log handle");

        let mut cmd = Command::new(tauri_driver());
        cmd.arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .arg("--native-driver")
            .arg(native_driver())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            // The app inherits this environment through WebKitWebDriver.
            .env("LANG", SYSTEM_LANG)
            .env("LANGUAGE", "en")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            // `--db` decides; a developer's own MEDLEM_DB must not leak in.
            .env_remove("MEDLEM_DB")
            // An office server's password comes from the address or the
            // window, never from the developer's own settings.
            .env_remove("PGPASSWORD")
            .env("PGPASSFILE", "/nonexistent")
            .env("NO_AT_BRIDGE", "1");
        for (key, value) in &env {
            match value {
                Some(value) => cmd.env(key, value),
                None => cmd.env_remove(key),
            };
        }
        if let Some(display) = &display {
            cmd.env("DISPLAY", display)
                .env("GDK_BACKEND", "x11")
                .env_remove("WAYLAND_DISPLAY");
        }
        let mut driver = cmd.spawn().expect("start tauri-driver");

        // Both ends must listen before a session can be made: tauri-driver's
        // and the WebKitWebDriver behind it.
        let deadline = Instant::now() + launch_timeout();
        while !(accepts(port) && accepts(native_port)) {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!(
                    "tauri-driver exited ({status}) before listening; {}:\n{}",
                    log.display(),
                    log_tail(&log)
                );
            }
            if Instant::now() > deadline {
                terminate(driver.id());
                let _ = driver.wait();
                panic!(
                    "tauri-driver did not listen on {port}/{native_port}; {}:\n{}",
                    log.display(),
                    log_tail(&log)
                );
            }
            thread::sleep(Duration::from_millis(20));
        }

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let args_json: Vec<Value> = args
            .iter()
            .map(|a| Value::String(a.to_string_lossy().into_owned()))
            .collect();
        let mut caps = serde_json::Map::new();
        // Another WebKitGTK browser (MiniBrowser) reports its own name: the
        // override lets the harness itself be tried without the app.
        let browser = std::env::var("MEDLEM_E2E_BROWSER_NAME").unwrap_or_else(|_| "wry".into());
        caps.insert("browserName".into(), json!(browser));
        caps.insert(
            "tauri:options".into(),
            json!({
                "application": application.to_string_lossy(),
                "args": args_json,
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let requested = Instant::now();
        let connected = rt.block_on(async {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            tokio::time::timeout(
                launch_timeout(),
                ClientBuilder::new(connector)
                    .capabilities(caps)
                    .connect(&url),
            )
            .await
        });
        let client = match connected {
            Ok(Ok(client)) => client,
            other => {
                terminate(driver.id());
                let _ = driver.wait();
                if let Some(db) = db {
                    stop_app_processes(db);
                }
                let why = match other {
                    Ok(Err(e)) => e.to_string(),
                    _ => "timed out".to_string(),
                };
                panic!(
                    "could not start {} over WebDriver: {why}; {}:\n{}",
                    application.display(),
                    log.display(),
                    log_tail(&log)
                );
            }
        };
        App {
            rt,
            client: Some(client),
            driver: Some(driver),
            application: application.to_path_buf(),
            args,
            db: db.map(Path::to_path_buf),
            env,
            log,
            requested,
            _session: session,
        }
    }

    /// Closes the window, stops the drivers and waits until the app's process is gone.
    pub fn close(mut self) {
        self.shutdown();
    }

    /// Closes the app and starts it again with the same arguments (same database).
    pub fn restart(mut self) -> App {
        self.shutdown();
        let application = self.application.clone();
        let args = self.args.clone();
        let db = self.db.clone();
        let env = std::mem::take(&mut self.env);
        drop(self);
        App::launch_app_with_env(&application, args, db.as_deref(), env)
    }

    /// The database this app was started on, if any.
    pub fn db(&self) -> Option<&Path> {
        self.db.as_deref()
    }

    /// The log with tauri-driver's, WebKitWebDriver's and the app's output.
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    fn shutdown(&mut self) {
        // The app's processes, while they still show their arguments (an
        // exited process waiting to be reaped shows none).
        let app_pids = self
            .db
            .as_deref()
            .map(processes_with_arg)
            .unwrap_or_default();
        if let Some(client) = self.client.take() {
            let _ = self
                .rt
                .block_on(async { tokio::time::timeout(timeout(), client.close()).await });
        }
        if let Some(mut driver) = self.driver.take() {
            terminate(driver.id());
            let deadline = Instant::now() + timeout();
            loop {
                match driver.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() > deadline => {
                        eprintln!("tauri-driver ignored SIGTERM; killing it");
                        let _ = driver.kill();
                        let _ = driver.wait();
                        break;
                    }
                    Ok(None) => thread::sleep(Duration::from_millis(20)),
                }
            }
        }
        // The next launch on the same database must not meet the old process.
        if let Some(db) = &self.db {
            stop_app_processes(db);
            wait_reaped(&app_pids);
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("the session is open")
    }

    // -- polling -----------------------------------------------------------

    /// Polls `step` until it returns `Ok(Some(_))`, for at most [`timeout`].
    /// `Ok(None)` and `Err(reason)` mean "not yet"; on the deadline it panics
    /// with `what`, the last reason and the test ids visible on the page.
    pub fn poll<T>(&self, what: &str, mut step: impl FnMut(&App) -> Poll<T>) -> T {
        let deadline = Instant::now() + timeout();
        let mut last = String::new();
        loop {
            match step(self) {
                Ok(Some(value)) => return value,
                Ok(None) => {}
                Err(reason) => last = reason,
            }
            if Instant::now() > deadline {
                let seen = self.visible_testids().join(" ");
                panic!(
                    "timed out after {:?} waiting for {what}{}\nvisible test ids: {seen}\nlog: {}",
                    timeout(),
                    if last.is_empty() {
                        String::new()
                    } else {
                        format!(" (last: {last})")
                    },
                    self.log.display()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `check` returns `Some`, and returns it.
    pub fn wait_until<T>(&self, what: &str, mut check: impl FnMut(&App) -> Option<T>) -> T {
        self.poll(what, |app| Ok(check(app)))
    }

    // -- scripts -----------------------------------------------------------

    fn try_execute(&self, script: &str, args: Vec<Value>) -> Result<Value, CmdError> {
        self.rt.block_on(self.client().execute(script, args))
    }

    /// When the app was asked to start: the moment its WebDriver session was
    /// requested, just before WebKitWebDriver starts the app's process.
    pub fn started(&self) -> Instant {
        self.requested
    }

    /// Runs an asynchronous `script` in the page: it ends by calling its last
    /// argument with the result.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Value {
        self.rt
            .block_on(self.client().execute_async(script, args))
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Runs `script` in the page (`arguments[i]` are `args`) and returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.try_execute(script, args)
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// The first visible element with this test id (and text containing `needle`).
    fn find_visible(&self, testid: &str, needle: Option<&str>) -> Poll<Element> {
        self.find_visible_in(None, testid, needle)
    }

    /// [`App::find_visible`] inside `within`: the first visible element with
    /// the test id `within.0` whose text contains `within.1` (e.g. one
    /// member's row of a list).
    fn find_visible_in(
        &self,
        within: Option<(&str, &str)>,
        testid: &str,
        needle: Option<&str>,
    ) -> Poll<Element> {
        let script = format!(
            "{JS_PRELUDE}
             const [outer, outerNeedle, sel, needle] = arguments;
             let scope = document;
             if (outer !== null) {{
               scope = visible(outer).find(e => txt(e).includes(outerNeedle));
               if (!scope) return null;
             }}
             return Array.from(scope.querySelectorAll(sel)).filter(vis)
               .find(e => needle === null || txt(e).includes(needle)) || null;"
        );
        let (outer, outer_needle) = match within {
            Some((testid, needle)) => (Some(by_testid(testid)), Some(needle)),
            None => (None, None),
        };
        let found = self
            .try_execute(
                &script,
                vec![
                    json!(outer),
                    json!(outer_needle),
                    json!(by_testid(testid)),
                    json!(needle),
                ],
            )
            .map_err(|e| e.to_string())?;
        match found.get(ELEMENT_KEY).and_then(Value::as_str) {
            Some(id) => Ok(Some(Element::from_element_id(
                self.client().clone(),
                ElementRef::from(id.to_string()),
            ))),
            None => Ok(None),
        }
    }

    fn try_texts(&self, testid: &str) -> Result<Vec<String>, String> {
        let script = format!(
            "{JS_PRELUDE}
             return visible(arguments[0]).map(txt);"
        );
        let value = self
            .try_execute(&script, vec![json!(by_testid(testid))])
            .map_err(|e| e.to_string())?;
        Ok(strings(&value))
    }

    fn visible_testids(&self) -> Vec<String> {
        let script = format!(
            "{JS_PRELUDE}
             return [...new Set(visible('[data-testid]').map(e => e.dataset.testid))].slice(0, 80);"
        );
        match self.try_execute(&script, vec![]) {
            Ok(Value::Array(ids)) => ids
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Ok(other) => vec![other.to_string()],
            Err(e) => vec![format!("(page unreadable: {e})")],
        }
    }

    /// Navigates the window to `url` (the app loads its own page by itself;
    /// this is for trying the harness on a plain page).
    pub fn goto(&self, url: &str) {
        self.rt
            .block_on(self.client().goto(url))
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    // -- reading -----------------------------------------------------------

    /// Whether an element with this test id is in the document (visible or not).
    pub fn exists(&self, testid: &str) -> bool {
        self.execute(
            "return document.querySelector(arguments[0]) !== null;",
            vec![json!(by_testid(testid))],
        )
        .as_bool()
        .unwrap_or(false)
    }

    /// Whether an element with this test id is visible now.
    pub fn is_visible(&self, testid: &str) -> bool {
        self.count(testid) > 0
    }

    /// How many elements with this test id are visible now.
    pub fn count(&self, testid: &str) -> usize {
        self.all_texts(testid).len()
    }

    /// The texts of all visible elements with this test id, now (whitespace
    /// collapsed; inputs, textareas and selects give their value).
    pub fn all_texts(&self, testid: &str) -> Vec<String> {
        self.try_texts(testid)
            .unwrap_or_else(|e| panic!("could not read {testid}: {e}"))
    }

    /// The text of the first visible element with this test id, once there is one.
    pub fn text(&self, testid: &str) -> String {
        self.poll(&format!("{testid} to be visible"), |app| {
            Ok(app.try_texts(testid)?.into_iter().next())
        })
    }

    /// An attribute of the first visible element with this test id.
    pub fn attr(&self, testid: &str, name: &str) -> Option<String> {
        let script = format!(
            "{JS_PRELUDE}
             const e = visible(arguments[0])[0];
             return e ? e.getAttribute(arguments[1]) : null;"
        );
        self.execute(&script, vec![json!(by_testid(testid)), json!(name)])
            .as_str()
            .map(str::to_string)
    }

    // -- waiting -----------------------------------------------------------

    /// Waits until an element with this test id is visible.
    pub fn wait_visible(&self, testid: &str) {
        self.poll(&format!("{testid} to be visible"), |app| {
            Ok(app.find_visible(testid, None)?.map(|_| ()))
        })
    }

    /// Waits until an element with this test id is visible and has some text:
    /// what a field error looks like.
    pub fn wait_error(&self, testid: &str) -> String {
        self.poll(&format!("{testid} to show an error"), |app| {
            Ok(app.try_texts(testid)?.into_iter().find(|t| !t.is_empty()))
        })
    }

    /// Waits until no element with this test id is visible (absent or hidden).
    pub fn wait_gone(&self, testid: &str) {
        self.poll(&format!("{testid} to disappear"), |app| {
            Ok(app.try_texts(testid)?.is_empty().then_some(()))
        })
    }

    /// Waits until a visible element with this test id has text containing
    /// `needle`, and returns that element's text.
    pub fn wait_text_contains(&self, testid: &str, needle: &str) -> String {
        self.poll(&format!("{testid} to contain {needle:?}"), |app| {
            let texts = app.try_texts(testid)?;
            match texts.iter().find(|t| t.contains(needle)) {
                Some(t) => Ok(Some(t.clone())),
                None => Err(format!("texts now: {texts:?}")),
            }
        })
    }

    /// Waits until the visible elements with this test id have exactly `n` items.
    pub fn wait_count(&self, testid: &str, n: usize) -> Vec<String> {
        self.poll(&format!("exactly {n} visible {testid}"), |app| {
            let texts = app.try_texts(testid)?;
            if texts.len() == n {
                Ok(Some(texts))
            } else {
                Err(format!("{} now: {texts:?}", texts.len()))
            }
        })
    }

    // -- acting ------------------------------------------------------------

    /// Does `act` to the first visible element with this test id (and text
    /// containing `needle`), retrying while the element is stale, covered or
    /// not yet interactable.
    fn act(
        &self,
        what: &str,
        testid: &str,
        needle: Option<&str>,
        act: impl Fn(&App, &Element) -> Result<(), CmdError>,
    ) {
        self.act_in(what, None, testid, needle, act)
    }

    /// [`App::act`] on an element inside `within` (see [`App::find_visible_in`]).
    fn act_in(
        &self,
        what: &str,
        within: Option<(&str, &str)>,
        testid: &str,
        needle: Option<&str>,
        act: impl Fn(&App, &Element) -> Result<(), CmdError>,
    ) {
        self.poll(what, |app| {
            let Some(element) = app.find_visible_in(within, testid, needle)? else {
                return Ok(None);
            };
            // WebKitWebDriver does not scroll an element inside a scrolling
            // pane (the detail side) into view by itself: do what a person's
            // scroll wheel does first.
            let el_json = serde_json::to_value(&element).expect("element reference");
            app.try_execute(
                "arguments[0].scrollIntoView({block: 'nearest', inline: 'nearest'});",
                vec![el_json],
            )
            .map_err(|e| e.to_string())?;
            match act(app, &element) {
                Ok(()) => Ok(Some(())),
                Err(e) if transient(&e) => Err(e.to_string()),
                Err(e) => panic!("{what}: {e}"),
            }
        })
    }

    /// Clicks the first visible element with this test id.
    pub fn click(&self, testid: &str) {
        self.act(&format!("click {testid}"), testid, None, |app, el| {
            app.rt.block_on(el.click())
        })
    }

    /// Clicks the first visible element with this test id whose text contains `needle`
    /// (e.g. the `member-row` of one member).
    pub fn click_containing(&self, testid: &str, needle: &str) {
        self.act(
            &format!("click {testid} containing {needle:?}"),
            testid,
            Some(needle),
            |app, el| app.rt.block_on(el.click()),
        )
    }

    /// Clicks the first visible element with this test id whose text contains
    /// `needle` while a modifier key is held down: `'\u{E008}'` Shift (a
    /// range of rows), `'\u{E009}'` Control (one more row). The key is let go
    /// after the click.
    pub fn click_holding(&self, key: char, testid: &str, needle: &str) {
        use fantoccini::actions::{
            Actions, InputSource, KeyAction, KeyActions, MouseActions, PointerAction,
            MOUSE_BUTTON_LEFT,
        };
        let name = if key == '\u{E008}' { "Shift" } else { "Ctrl" };
        self.act(
            &format!("{name}-click {testid} containing {needle:?}"),
            testid,
            Some(needle),
            |app, el| {
                // One tick each: key down, move, button down, button up, key up.
                let keys = KeyActions::new("keyboard".into())
                    .then(KeyAction::Down { value: key })
                    .pause(Duration::ZERO)
                    .pause(Duration::ZERO)
                    .pause(Duration::ZERO)
                    .then(KeyAction::Up { value: key });
                let mouse = MouseActions::new("mouse".into())
                    .pause(Duration::ZERO)
                    .then(PointerAction::MoveToElement {
                        element: el.clone(),
                        duration: None,
                        x: 0.0,
                        y: 0.0,
                    })
                    .then(PointerAction::Down {
                        button: MOUSE_BUTTON_LEFT,
                    })
                    .then(PointerAction::Up {
                        button: MOUSE_BUTTON_LEFT,
                    })
                    .pause(Duration::ZERO);
                app.rt.block_on(async {
                    let client = app.client();
                    client
                        .perform_actions(Actions::from(keys).and(mouse))
                        .await?;
                    client.release_actions().await
                })
            },
        )
    }

    /// Clicks the first visible element with test id `inner` inside the first
    /// visible element with test id `outer` whose text contains `needle` (e.g.
    /// the `reply-yes` button in one member's `invitee-row`).
    pub fn click_within(&self, outer: &str, needle: &str, inner: &str) {
        self.act_in(
            &format!("click {inner} in the {outer} containing {needle:?}"),
            Some((outer, needle)),
            inner,
            None,
            |app, el| app.rt.block_on(el.click()),
        )
    }

    /// Replaces the value of an input or textarea: clears it, then types `text`
    /// key by key (so the page sees input events as from a keyboard).
    pub fn type_into(&self, testid: &str, text: &str) {
        self.act(&format!("type into {testid}"), testid, None, |app, el| {
            app.rt.block_on(el.clear())?;
            // WebDriver's clear need not fire `input`; a page listening for it
            // (search, live validation) must see the field empty.
            app.rt.block_on(app.client().execute(
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::to_value(el).expect("element reference")],
            ))?;
            if text.is_empty() {
                Ok(())
            } else {
                app.rt.block_on(el.send_keys(text))
            }
        })
    }

    /// Chooses the option with `value` in a `<select>`.
    pub fn select(&self, testid: &str, value: &str) {
        self.act(
            &format!("select {value:?} in {testid}"),
            testid,
            None,
            |app, el| {
                app.rt.block_on(el.select_by_value(value))?;
                let el_json = serde_json::to_value(el).expect("element reference");
                let now = app.rt.block_on(
                    app.client()
                        .execute("return arguments[0].value;", vec![el_json.clone()]),
                )?;
                if now.as_str() != Some(value) {
                    // Some WebKit builds do not select on an option click: do what
                    // the user's choice does, value then input and change events.
                    app.rt.block_on(app.client().execute(
                        "const [s, v] = arguments; s.value = v;
                     s.dispatchEvent(new Event('input', {bubbles: true}));
                     s.dispatchEvent(new Event('change', {bubbles: true}));",
                        vec![el_json, json!(value)],
                    ))?;
                }
                Ok(())
            },
        )
    }

    /// Types `text` into an input or textarea after what it holds (no
    /// clearing): the caret goes to the end when the field gets the focus, and
    /// WebDriver key codes work too (`"\u{E003}"` is Backspace).
    pub fn send_keys(&self, testid: &str, text: &str) {
        self.act(
            &format!("type more into {testid}"),
            testid,
            None,
            |app, el| app.rt.block_on(el.send_keys(text)),
        )
    }

    /// The texts of the SVG `<text>` elements inside the first visible element
    /// with this test id, in document order (SVG has no `innerText`).
    pub fn svg_texts(&self, testid: &str) -> Vec<String> {
        let script = format!(
            "{JS_PRELUDE}
             const e = visible(arguments[0])[0];
             return e ? Array.from(e.querySelectorAll('text')).map(t => t.textContent) : [];"
        );
        strings(&self.execute(&script, vec![json!(by_testid(testid))]))
    }

    /// The label of the chosen option of the first visible `<select>` with this
    /// test id (the texts above give a select's value), or "" when none.
    pub fn selected_text(&self, testid: &str) -> String {
        let script = format!(
            "{JS_PRELUDE}
             const e = visible(arguments[0])[0];
             const o = e && e.selectedOptions ? e.selectedOptions[0] : null;
             return o ? o.textContent.replace(/\\s+/g, ' ').trim() : '';"
        );
        self.execute(&script, vec![json!(by_testid(testid))])
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Presses Enter in the element with this test id.
    pub fn press_enter(&self, testid: &str) {
        self.press(testid, "\u{E007}", "Enter")
    }

    /// Presses Escape in the element with this test id.
    pub fn press_escape(&self, testid: &str) {
        self.press(testid, "\u{E00C}", "Escape")
    }

    /// Presses Ctrl+`key` (as a treasurer's shortcut) in the element with this
    /// test id; the modifier is released afterwards.
    pub fn press_ctrl(&self, testid: &str, key: char) {
        self.press(
            testid,
            &format!("\u{E009}{key}\u{E000}"),
            &format!("Ctrl+{key}"),
        )
    }

    /// The data-testid of the element that has the keyboard focus.
    pub fn focused(&self) -> String {
        self.execute(
            "const a = document.activeElement; return a ? (a.getAttribute('data-testid') || '') : '';",
            vec![],
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    fn press(&self, testid: &str, key: &str, name: &str) {
        self.act(
            &format!("press {name} in {testid}"),
            testid,
            None,
            |app, el| app.rt.block_on(el.send_keys(key)),
        )
    }

    /// Scrolls the first visible element with this test id to the middle of
    /// its scrolling area (for a screenshot that shows it).
    pub fn scroll_into_view(&self, testid: &str) {
        self.wait_visible(testid);
        let script = format!(
            "{JS_PRELUDE}
             const e = visible(arguments[0])[0];
             if (e) e.scrollIntoView({{block: 'center'}});
             return !!e;"
        );
        self.execute(&script, vec![json!(by_testid(testid))]);
    }

    // -- window and layout -------------------------------------------------

    /// Sets the window's outer size and waits until the page has the new
    /// inner width (the window manager may take a moment).
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.rt
            .block_on(self.client().set_window_size(width, height))
            .unwrap_or_else(|e| panic!("cannot size the window to {width}x{height}: {e}"));
        self.poll(&format!("the window to be {width}x{height}"), |app| {
            let inner = app
                .try_execute("return [window.innerWidth, window.innerHeight];", vec![])
                .map_err(|e| e.to_string())?;
            let got = |i: usize| inner.get(i).and_then(Value::as_u64).unwrap_or(0);
            if got(0) == u64::from(width) && got(1) == u64::from(height) {
                Ok(Some(()))
            } else {
                Err(format!("the page is {}x{}", got(0), got(1)))
            }
        });
    }

    /// What is wrong with the layout as shown now, one line per fault (empty
    /// when all is well): the document itself scrolls; something reaches past
    /// the window or past a pane that cuts it off or scrolls sideways; a text
    /// is cut at the top or bottom by a box that clips it.
    pub fn layout_faults(&self) -> Vec<String> {
        let faults = self
            .rt
            .block_on(self.client().execute_async(LAYOUT_SCRIPT, vec![]))
            .unwrap_or_else(|e| panic!("the layout check failed: {e}"));
        strings(&faults)
    }

    // -- pictures ----------------------------------------------------------

    /// Saves a PNG of the window to `<target>/e2e-screenshots/<name>.png`, after
    /// two animation frames (without them WebKit may hand over a stale frame).
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let path = screenshots_dir().join(format!("{}.png", sanitize(name)));
        self.screenshot_to(&path);
        path
    }

    /// Saves a PNG of the window to `path`.
    pub fn screenshot_to(&self, path: &Path) {
        let png = self
            .try_screenshot()
            .unwrap_or_else(|e| panic!("screenshot failed: {e}"));
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("create the screenshot folder");
        }
        let mut file =
            File::create(path).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        file.write_all(&png).expect("write the screenshot");
    }

    fn try_screenshot(&self) -> Result<Vec<u8>, CmdError> {
        let client = self.client();
        let shot = async {
            client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                    vec![],
                )
                .await?;
            client.screenshot().await
        };
        self.rt.block_on(async {
            tokio::time::timeout(timeout(), shot)
                .await
                .unwrap_or_else(|_| Err(CmdError::WaitTimeout))
        })
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if thread::panicking() && self.client.is_some() {
            let path = screenshots_dir().join(format!("failure-{}.png", test_name()));
            if let Ok(png) = self.try_screenshot() {
                let _ = fs::create_dir_all(screenshots_dir());
                if fs::write(&path, png).is_ok() {
                    eprintln!("failure screenshot: {}", path.display());
                }
            }
            eprintln!("driver and app log: {}", self.log.display());
        }
        self.shutdown();
    }
}

fn transient(e: &CmdError) -> bool {
    use fantoccini::error::ErrorStatus as S;
    match e {
        CmdError::Standard(w) => matches!(
            w.error,
            S::StaleElementReference
                | S::ElementNotInteractable
                | S::ElementClickIntercepted
                | S::NoSuchElement
                | S::InvalidElementState
        ),
        _ => false,
    }
}

/// A script's list of strings (anything else in it as "").
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The CSS selector for a `data-testid`.
pub fn by_testid(testid: &str) -> String {
    format!(
        "[data-testid=\"{}\"]",
        testid.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// The number at the start of a text like "312 members" (or "Visar 312 medlemmar").
pub fn first_number(text: &str) -> Option<u64> {
    let digits: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == ' ' || *c == '\u{a0}' || *c == '\u{202f}')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

// ---------------------------------------------------------------------------
// Fixtures

pub mod fixtures {
    use super::*;

    /// A fresh temporary folder and the database path inside it (not created).
    pub fn temp_db() -> (TempDir, PathBuf) {
        let dir = tempfile::Builder::new()
            .prefix("medlem-e2e-")
            .tempdir()
            .expect("create a temp dir");
        let db = dir.path().join("medlem.sqlite");
        (dir, db)
    }

    /// Writes a SQLite file "from a newer Medlem": valid, with a table, and
    /// `PRAGMA user_version = 9999`. Rollback journal (no -wal).
    pub fn newer_database(path: &Path) {
        let conn = rusqlite::Connection::open(path).expect("create the newer database");
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE;
             CREATE TABLE from_the_future (id INTEGER PRIMARY KEY, what TEXT NOT NULL);
             INSERT INTO from_the_future (what) VALUES ('a table this Medlem does not know');
             PRAGMA user_version = 9999;",
        )
        .expect("write the newer database");
        conn.close().expect("close the newer database");
    }

    /// `PRAGMA user_version` of a database, read without writing anything.
    pub fn user_version(path: &Path) -> i64 {
        let conn =
            rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open the database read-only");
        conn.query_row("PRAGMA user_version", [], |row| row.get(0))
            .expect("read user_version")
    }

    /// A database path that cannot be created: its parent is a regular file.
    pub fn unwritable_db_path(dir: &Path) -> PathBuf {
        let file = dir.join("not-a-folder");
        fs::write(&file, b"a plain file where a folder should be\n").expect("write a plain file");
        file.join("medlem.sqlite")
    }

    /// Runs the CLI (`medlem-cli --db DB ARGS`), asserts it succeeded, returns stdout.
    pub fn cli(db: &Path, args: &[&str]) -> String {
        cli_env(db, args, &[])
    }

    /// [`cli`] with extra environment variables (e.g. `MEDLEM_PASSPHRASE` for
    /// `backup --new-passphrase`).
    pub fn cli_env(db: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut cmd = Command::new(medlem_cli());
        cmd.arg("--db")
            .arg(db)
            .args(args)
            .envs(env.iter().copied())
            .env_remove("MEDLEM_DB");
        stdout_of(
            &mut cmd,
            &format!("medlem-cli --db {} {args:?}", db.display()),
        )
    }

    /// Runs `cmd`, asserts that it succeeded (`what` names it in the
    /// failure), and returns what it printed.
    fn stdout_of(cmd: &mut Command, what: &str) -> String {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
        assert!(
            out.status.success(),
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A string of the UI catalog `ui/i18n/<lang>.json`, read at test time.
    /// `key` is a dotted path (`nav.members`): looked up as one flat key first,
    /// then as nested objects.
    pub fn i18n(lang: &str, key: &str) -> String {
        let path = workspace()
            .join("ui")
            .join("i18n")
            .join(format!("{lang}.json"));
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the catalog {}: {e}", path.display()));
        let catalog: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        lookup(&catalog, key).unwrap_or_else(|| {
            let top: Vec<&String> = catalog
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            panic!(
                "{} has no string at {key:?} (top-level keys: {top:?})",
                path.display()
            )
        })
    }

    /// The text of a PDF as `pdftotext -layout` reads it (poppler-utils).
    pub fn pdf_text(path: &Path) -> String {
        let mut cmd = Command::new("pdftotext");
        cmd.arg("-layout").arg(path).arg("-");
        stdout_of(
            &mut cmd,
            &format!("pdftotext {} (poppler-utils)", path.display()),
        )
    }

    pub(crate) fn lookup(catalog: &Value, key: &str) -> Option<String> {
        if let Some(s) = catalog.get(key).and_then(Value::as_str) {
            return Some(s.to_string());
        }
        key.split('.')
            .try_fold(catalog, |node, part| node.get(part))
            .and_then(Value::as_str)
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_lookup_flat_then_nested() {
        let flat = json!({"nav.members": "Medlemmar"});
        let nested = json!({"nav": {"members": "Medlemmar", "n": 1}});
        assert_eq!(
            fixtures::lookup(&flat, "nav.members").as_deref(),
            Some("Medlemmar")
        );
        assert_eq!(
            fixtures::lookup(&nested, "nav.members").as_deref(),
            Some("Medlemmar")
        );
        assert_eq!(fixtures::lookup(&nested, "nav.n"), None);
        assert_eq!(fixtures::lookup(&nested, "nav.settings"), None);
    }

    /// Every string of the window exists in all four languages, with the same
    /// `{placeholders}` (a missing key would show the English text, a missing
    /// placeholder a hole in the sentence).
    #[test]
    fn the_catalogs_have_the_same_keys_and_placeholders() {
        fn placeholders(s: &str) -> std::collections::BTreeSet<String> {
            s.split('{')
                .skip(1)
                .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string()))
                .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .collect()
        }
        let read = |lang: &str| -> serde_json::Map<String, Value> {
            let path = workspace()
                .join("ui")
                .join("i18n")
                .join(format!("{lang}.json"));
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            match serde_json::from_str(&text) {
                Ok(Value::Object(map)) => map,
                other => panic!("{} is not a JSON object: {other:?}", path.display()),
            }
        };
        let en = read("en");
        for lang in ["sv", "da", "nb"] {
            let other = read(lang);
            let missing: Vec<&String> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}.json lacks {missing:?} and has extra {extra:?}"
            );
            for (key, text) in &en {
                let (Some(a), Some(b)) = (text.as_str(), other[key].as_str()) else {
                    panic!("{key} is not a string in en.json or {lang}.json");
                };
                assert_eq!(
                    placeholders(a),
                    placeholders(b),
                    "{key}: the placeholders differ between en.json and {lang}.json"
                );
            }
        }
    }

    #[test]
    fn numbers_in_counts() {
        assert_eq!(first_number("312 members"), Some(312));
        assert_eq!(first_number("1 234 medlemmar"), Some(1234));
        assert_eq!(first_number("Visar 1\u{a0}001 av 2"), Some(1001));
        assert_eq!(first_number("no members"), None);
    }

    /// The letter preview draws with ui/fonts/, the PDF with core/fonts/:
    /// they must be the same files, or the preview's line widths lie.
    #[test]
    fn the_preview_fonts_are_the_pdf_fonts() {
        for name in [
            "LiberationSans-Regular.ttf",
            "LiberationSans-Bold.ttf",
            "LICENSE-OFL.txt",
        ] {
            let ui = fs::read(workspace().join("ui").join("fonts").join(name))
                .unwrap_or_else(|e| panic!("ui/fonts/{name}: {e}"));
            let core = fs::read(workspace().join("core").join("fonts").join(name))
                .unwrap_or_else(|e| panic!("core/fonts/{name}: {e}"));
            assert!(
                ui == core,
                "ui/fonts/{name} differs from core/fonts/{name}: copy it again"
            );
        }
    }

    #[test]
    fn selectors_quote_ids() {
        assert_eq!(by_testid("member-row"), "[data-testid=\"member-row\"]");
        assert_eq!(
            by_testid("error-roles.0.from"),
            "[data-testid=\"error-roles.0.from\"]"
        );
    }

    #[test]
    fn newer_database_fixture_is_readable_and_newer() {
        let (_dir, db) = fixtures::temp_db();
        fixtures::newer_database(&db);
        assert_eq!(fixtures::user_version(&db), 9999);
        assert!(!db.with_extension("sqlite-wal").exists());
    }

    #[test]
    fn unwritable_path_has_a_file_as_parent() {
        let (dir, _) = fixtures::temp_db();
        let db = fixtures::unwritable_db_path(dir.path());
        assert!(db.parent().is_some_and(Path::is_file));
        assert!(fs::create_dir_all(db.parent().unwrap()).is_err());
    }
}
