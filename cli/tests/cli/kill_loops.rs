//! Kill loops (issue 13, "Nothing lost, nothing hangs").
//!
//! The real binary imports 100 000 rows, backs up, restores and prints
//! letters, and is killed with SIGKILL at a random moment of that work. After
//! each kill the register passes `integrity_check` and holds exactly the
//! state before or after the interrupted operation (member count, a checksum
//! of the members, branches and workplaces, the history count), never one in
//! between. Then the CLI starts once more (opening the register sweeps what
//! a crash left) and nothing is left outside the register's folder but what
//! belongs there: the temporary folder, home folder and working folder the
//! child was given stay empty, a backup is absent or whole and verifies, a
//! PDF is absent or whole, and no unfinished `.part` file remains anywhere.
//!
//! Where a kill lands: a complete run first times the lines the command
//! prints as its steps end (a run that finishes before its kill times the
//! next ones). A kill aims at a moment of that run, waits for the last line
//! before it and then for the rest of the time (ending early if the child
//! exits), so a busy machine shifts it only within one step. Of twenty
//! kills, nine aim anywhere, two at once (before the work starts), six in
//! the last fifth of the run, where the work is committed, renamed into
//! place or swapped in, and three at the very end (as it commits, or after
//! the child has finished).
//! The moments come from a seeded generator: the seed is printed, and
//! `MEDLEM_KILL_SEED=<seed>` replays the same fractions of the run.
//! `--nocapture` shows every kill and the tally.

// Unix only: a kill is told from an exit by its signal (SIGKILL), and qpdf
// (a Linux program a test under Wine cannot start) checks the PDFs.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

const PASSPHRASE: &str = "korrekt häst batteri häftklammer";
const SIGKILL: i32 = 9;

// ---------------------------------------------------------------------------
// The seed and the generator.

fn seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        let seed = match std::env::var("MEDLEM_KILL_SEED") {
            Ok(s) => s.trim().parse().expect("MEDLEM_KILL_SEED is a number"),
            Err(_) => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64),
        };
        println!("kill loops: seed {seed} (replay with MEDLEM_KILL_SEED={seed})");
        seed
    })
}

/// splitmix64: small and seeded; enough to spread kills and vary names.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The kill moments of one operation: the run's seed and the name.
    fn for_op(op: &str) -> Rng {
        Rng::new(seed() ^ fnv(FNV_START, op.as_bytes()))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------
// Members as a treasurer's spreadsheet has them.

const FIRST: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Kerstin", "Ingrid", "Märta", "Åsa", "Linnéa", "Sara", "Erik",
    "Lars", "Karl", "Anders", "Johan", "Nils", "Björn", "Göran", "Håkan", "Örjan", "Søren",
    "Mette", "Jens", "Jørgen", "Lærke", "Mads", "Øystein", "Kari", "Ole", "Ingvild", "Håvard",
    "Solveig",
];
const LAST: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Östlund",
    "Åberg",
    "Lindqvist",
    "Bergström",
    "Söderberg",
    "Ängström",
    "Nielsen",
    "Jensen",
    "Sørensen",
    "Jørgensen",
    "Kristensen",
    "Haugen",
    "Sæther",
    "Bjørnstad",
    "Løvås",
    "Ødegård",
];
const STREETS: &[&str] = &[
    "Storgatan",
    "Drottninggatan",
    "Kungsgatan",
    "Vasagatan",
    "Östra Hamngatan",
    "Södra Förstadsgatan",
    "Ågatan",
    "Skolvägen",
    "Björkvägen",
    "Järnvägsgatan",
];
/// City and the first two digits of its postcodes.
const CITIES: &[(&str, u32)] = &[
    ("Stockholm", 11),
    ("Göteborg", 41),
    ("Malmö", 21),
    ("Uppsala", 75),
    ("Västerås", 72),
    ("Örebro", 70),
    ("Linköping", 58),
    ("Umeå", 90),
    ("Luleå", 97),
    ("Jönköping", 55),
];
const LANGUAGES: &[&str] = &[
    "svenska", "svenska", "svenska", "svenska", "svenska", "svenska", "dansk", "norsk", "engelska",
];
const BRANCHES: &[&str] = &["Avd. 1 Verkstad", "Avd. 2 Service", "Avd. 3 Vård"];
const WORKPLACES: &[&str] = &[
    "Volvo Torslanda",
    "SKF Göteborg",
    "Sahlgrenska",
    "Ericsson Kista",
    "Ikea Älmhult",
    "",
];

const HEADER: &str = "Medlemsnummer;Förnamn;Efternamn;c/o;Adress;Adress 2;Postnummer;Postort;\
E-post;Telefon;Födelsedatum;Språk;Inträdesdatum;Avdelning;Arbetsplats";

fn ascii(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' => "a".to_owned(),
            'ö' | 'ø' => "o".to_owned(),
            'æ' => "ae".to_owned(),
            'é' => "e".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// The row of member `number`; `moved` gives the same person another
/// address (an update of a member already in the register).
fn member_row(number: u64, moved: bool) -> String {
    let mut r = Rng::new(number.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let first = r.pick(FIRST);
    let last = r.pick(LAST);
    let mut r = if moved { Rng::new(!number) } else { r };
    let (city, area) = CITIES[r.below(CITIES.len())];
    let care_of = if r.below(25) == 0 {
        format!("c/o {}", r.pick(LAST))
    } else {
        String::new()
    };
    let address2 = if r.below(6) == 0 {
        format!("lgh {}", 1001 + r.below(300))
    } else {
        String::new()
    };
    let postcode = format!("{area}{} {:02}", r.below(10), r.below(100));
    format!(
        "{number};{first};{last};{care_of};{} {};{address2};{postcode};{city};{}.{}.{number}@exempel.se;\
         070-{:03} {:02} {:02};{}-{:02}-{:02};{};{}-{:02}-01;{};{}",
        r.pick(STREETS),
        1 + r.below(140),
        ascii(first),
        ascii(last),
        r.below(1000),
        r.below(100),
        r.below(100),
        1940 + r.below(65),
        1 + r.below(12),
        1 + r.below(28),
        r.pick(LANGUAGES),
        1990 + r.below(35),
        1 + r.below(12),
        r.pick(BRANCHES),
        r.pick(WORKPLACES),
    )
}

fn write_csv(path: &Path, rows: impl Iterator<Item = String>) {
    let mut f = std::io::BufWriter::new(fs::File::create(path).unwrap());
    writeln!(f, "{HEADER}").unwrap();
    for row in rows {
        writeln!(f, "{row}").unwrap();
    }
    f.flush().unwrap();
}

// ---------------------------------------------------------------------------
// A sandbox: the register's folder and every other place the child may
// write, each its own folder, so a leftover anywhere is seen.

struct Sandbox {
    root: tempfile::TempDir,
    /// The register's folder (the only place plaintext may stay).
    reg: PathBuf,
    db: PathBuf,
    /// The child's TMPDIR, HOME (and XDG folders inside it) and working
    /// folder: empty after every kill.
    tmp: PathBuf,
    home: PathBuf,
    cwd: PathBuf,
    /// The input files (CSV, the backup to restore).
    input: PathBuf,
    /// Where the command writes: the USB stick or the PDF folder.
    out: PathBuf,
    /// The test's own copies of registers, to start each run from.
    keep: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let root = tempfile::tempdir().unwrap();
        let dir = |name: &str| {
            let p = root.path().join(name);
            fs::create_dir_all(&p).unwrap();
            p
        };
        let reg = root.path().join("register");
        Sandbox {
            db: reg.join("medlem.sqlite"),
            reg,
            tmp: dir("tmp"),
            home: dir("home"),
            cwd: dir("cwd"),
            input: dir("in"),
            out: dir("out"),
            keep: dir("keep"),
            root,
        }
    }

    fn command<S: AsRef<OsStr>>(&self, args: &[S]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_medlem-cli"));
        c.arg("--db")
            .arg(&self.db)
            .args(args)
            .current_dir(&self.cwd)
            .env_remove("MEDLEM_DB")
            .env("MEDLEM_PASSPHRASE", PASSPHRASE)
            .env("TMPDIR", &self.tmp)
            .env("HOME", &self.home)
            .env("XDG_DATA_HOME", self.home.join(".local/share"))
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("XDG_STATE_HOME", self.home.join(".local/state"))
            .stdin(Stdio::null());
        c
    }

    /// Runs to the end and expects success; its stdout.
    fn ok<S: AsRef<OsStr>>(&self, args: &[S]) -> String {
        let out = self.command(args).output().expect("run medlem-cli");
        let shown: Vec<_> = args.iter().map(|a| a.as_ref().to_owned()).collect();
        assert!(
            out.status.success(),
            "{shown:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A register with the organisation and `n` members (numbers 1..=n).
    fn register_with(&self, n: u64) {
        self.ok(&[
            "org",
            "init",
            "--name",
            "Fackklubben Verkstaden",
            "--country",
            "SE",
        ]);
        let csv = self.input.join("members.csv");
        write_csv(&csv, (1..=n).map(|i| member_row(i, false)));
        let out = self.ok(&[OsStr::new("import"), csv.as_os_str()]);
        assert!(out.contains(&format!("Imported: {n} new")), "{out}");
    }

    /// The backup passphrase, set through core with a small scrypt work
    /// factor: the calibrated one of `backup --new-passphrase` costs a
    /// second of CPU in every restore and verify, before anything is
    /// written, where most kills would then land.
    fn set_passphrase(&self) {
        let reg = medlem_core::open(&self.db).unwrap();
        medlem_core::backup::set_passphrase(&reg, PASSPHRASE, Some(10)).unwrap();
    }

    /// Keeps a copy of the register (through SQLite, so the log is in it).
    fn save(&self, name: &str) -> PathBuf {
        let to = self.keep.join(name);
        let _ = fs::remove_file(&to);
        Connection::open(&self.db)
            .unwrap()
            .backup(
                rusqlite::MAIN_DB,
                &to,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .unwrap();
        to
    }

    /// Puts a kept copy back as the register, alone in its folder.
    fn reset(&self, from: &Path) {
        let _ = fs::remove_dir_all(&self.reg);
        fs::create_dir_all(&self.reg).unwrap();
        fs::copy(from, &self.db).unwrap();
    }

    fn clear_out(&self) {
        for name in names(&self.out) {
            let p = self.out.join(name);
            if p.is_dir() {
                fs::remove_dir_all(p).unwrap();
            } else {
                fs::remove_file(p).unwrap();
            }
        }
    }

    /// After a kill: the next start (it sweeps), then what must be empty
    /// is empty and the register's folder holds only the register, its log
    /// and whole safety copies. `ctx` names the kill in a failure.
    fn restart_and_check_leftovers(&self, ctx: &str) {
        self.ok(&["org", "show"]);
        for (dir, what) in [
            (&self.tmp, "the temporary folder"),
            (&self.home, "the home folder"),
            (&self.cwd, "the working folder"),
        ] {
            let left = names(dir);
            assert!(left.is_empty(), "{ctx}: {what} holds {left:?}");
        }
        let top = names(self.root.path());
        assert_eq!(
            top,
            ["cwd", "home", "in", "keep", "out", "register", "tmp"],
            "{ctx}: beside the folders"
        );
        for name in names(&self.reg) {
            let allowed = matches!(
                name.as_str(),
                "medlem.sqlite" | "medlem.sqlite-wal" | "medlem.sqlite-shm" | "safety"
            );
            assert!(
                allowed,
                "{ctx}: {name} left in the register's folder after the next start ({:?})",
                names(&self.reg)
            );
        }
        for name in names(&self.reg.join("safety")) {
            assert!(
                name.starts_with("before-restore-") && name.ends_with(".sqlite"),
                "{ctx}: {name} left in the safety folder after the next start"
            );
        }
    }
}

/// The names in `dir`, sorted (none when it does not exist).
fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ---------------------------------------------------------------------------
// The register's state.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct State {
    members: i64,
    /// Over the members' rows by id (all columns but the timestamps and the
    /// status date, which a run writes as "now"/"today"), the branches and
    /// the workplaces.
    checksum: u64,
    history: i64,
}

const MEMBER_COLUMNS: &str = "id, number, number_int, kind, first_name, last_name, care_of, \
    address1, address2, postcode, city, country, email, phone, birth_date, language, \
    membership_type, status, joined_date, branch_id, workplace_id, notes, sort_name, sort_city, \
    search_text";

/// Opens the register as the next start would and reads its state;
/// `integrity_check` must say ok.
fn state(db: &Path, ctx: &str) -> State {
    let c = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .unwrap_or_else(|e| panic!("{ctx}: the register does not open: {e}"));
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{ctx}: integrity_check: {e}"));
    assert_eq!(ok, "ok", "{ctx}: integrity_check");
    let mut h = FNV_START;
    for sql in [
        format!("SELECT {MEMBER_COLUMNS} FROM members ORDER BY id"),
        "SELECT id, name FROM branches ORDER BY id".to_owned(),
        "SELECT id, name, branch_id FROM workplaces ORDER BY id".to_owned(),
    ] {
        let mut stmt = c.prepare(&sql).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                h = match row.get_ref(i).unwrap() {
                    ValueRef::Null => fnv(h, &[0]),
                    ValueRef::Integer(v) => fnv(fnv(h, &[1]), &v.to_le_bytes()),
                    ValueRef::Real(v) => fnv(fnv(h, &[2]), &v.to_bits().to_le_bytes()),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        fnv(fnv(fnv(h, &[3]), &t.len().to_le_bytes()), t)
                    }
                };
            }
        }
        h = fnv(h, b"table");
    }
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    State {
        members: count("SELECT count(*) FROM members"),
        checksum: h,
        history: count("SELECT count(*) FROM member_history"),
    }
}

// ---------------------------------------------------------------------------
// Running the child: timed to the end, or killed at a chosen moment.

/// When a complete run printed each line, and when it ended (from spawn).
struct Timing {
    lines: Vec<Duration>,
    end: Duration,
}

struct Child {
    child: std::process::Child,
    lines: mpsc::Receiver<String>,
    stdout: thread::JoinHandle<()>,
    stderr: thread::JoinHandle<String>,
}

/// Longer than any step of these commands takes on a slow machine: a
/// command that prints nothing for this long hangs.
const HANG: Duration = Duration::from_secs(180);

impl Child {
    /// The next line of output; `None` when the output ended.
    fn line(&mut self, ctx: &str) -> Option<String> {
        match self.lines.recv_timeout(HANG) {
            Ok(line) => Some(line),
            Err(RecvTimeoutError::Disconnected) => None,
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("{ctx}: nothing printed for {HANG:?}: it hangs")
            }
        }
    }
}

fn spawn<S: AsRef<OsStr>>(sb: &Sandbox, args: &[S]) -> Child {
    let mut child = sb
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start medlem-cli");
    let (tx, lines) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    let stdout = thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut err = child.stderr.take().unwrap();
    let stderr = thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    Child {
        child,
        lines,
        stdout,
        stderr,
    }
}

/// A complete run: its stdout and when each line came.
fn timed<S: AsRef<OsStr>>(sb: &Sandbox, args: &[S]) -> (String, Timing) {
    let start = Instant::now();
    let mut c = spawn(sb, args);
    let mut text = String::new();
    let mut lines = Vec::new();
    while let Some(line) = c.line("the complete run") {
        lines.push(start.elapsed());
        text.push_str(&line);
        text.push('\n');
    }
    let status = c.child.wait().unwrap();
    let end = start.elapsed();
    c.stdout.join().unwrap();
    let err = c.stderr.join().unwrap();
    assert!(status.success(), "the complete run failed: {err}");
    (text, Timing { lines, end })
}

/// Where a kill aims: after `lines` lines of output, then `wait` more.
#[derive(Debug, Clone, Copy)]
struct Aim {
    lines: usize,
    wait: Duration,
    /// The moment on the complete run's clock, for the report.
    at: Duration,
}

fn aim(rng: &mut Rng, t: &Timing) -> Aim {
    let at = match rng.below(20) {
        // Before the work starts.
        0 | 1 => Duration::ZERO,
        // The last fifth, where the work is committed, renamed into place
        // or swapped in.
        2..=7 => t.end.mul_f64(0.8 + 0.2 * rng.unit()),
        // The very end: as it commits, or after the child has finished.
        8..=10 => t.end.mul_f64(0.95 + 0.1 * rng.unit()),
        _ => t.end.mul_f64(rng.unit()),
    };
    let lines = t.lines.iter().filter(|l| **l <= at).count();
    let from = lines.checked_sub(1).map_or(Duration::ZERO, |i| t.lines[i]);
    Aim {
        lines,
        wait: at.saturating_sub(from),
        at,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Landed {
    /// SIGKILL ended the child.
    Killed,
    /// The child had finished (successfully) before the kill.
    Finished,
}

/// Starts the command and kills it at `aim`: waits on its output, never on
/// a guess that it is done. A run that finished first is a complete run:
/// its timing comes back, for the next aims.
fn kill_at<S: AsRef<OsStr>>(
    sb: &Sandbox,
    args: &[S],
    aim: Aim,
    ctx: &str,
) -> (Landed, Option<Timing>) {
    let start = Instant::now();
    let mut c = spawn(sb, args);
    let mut lines = Vec::new();
    let mut open = true;
    while lines.len() < aim.lines {
        if c.line(ctx).is_none() {
            open = false;
            break;
        }
        lines.push(start.elapsed());
    }
    let until = Instant::now() + aim.wait;
    while open {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match c.lines.recv_timeout(left) {
            Ok(_) => lines.push(start.elapsed()),
            Err(RecvTimeoutError::Timeout) => break,
            // Its output closed: it is ending (or has ended) by itself.
            Err(RecvTimeoutError::Disconnected) => open = false,
        }
    }
    let _ = c.child.kill();
    let status = c.child.wait().unwrap();
    let end = start.elapsed();
    drop(c.lines);
    c.stdout.join().unwrap();
    let err = c.stderr.join().unwrap();
    if status.signal() == Some(SIGKILL) {
        return (Landed::Killed, None);
    }
    assert!(
        status.success(),
        "{ctx}: the command failed by itself ({status}): {err}"
    );
    (Landed::Finished, (!open).then_some(Timing { lines, end }))
}

// ---------------------------------------------------------------------------
// The tally.

struct Tally {
    op: &'static str,
    killed: usize,
    finished_first: usize,
    /// By outcome, then whether the kill landed while the child ran.
    outcomes: BTreeMap<(&'static str, Landed), usize>,
    started: Instant,
    /// When the current kill's run started (reset, kill, checks).
    run: Instant,
}

impl Tally {
    fn new(op: &'static str) -> Tally {
        seed();
        Tally {
            op,
            killed: 0,
            finished_first: 0,
            outcomes: BTreeMap::new(),
            started: Instant::now(),
            run: Instant::now(),
        }
    }

    /// The next kill: where it aims, and its name for failures.
    fn next(&mut self, rng: &mut Rng, timing: &Timing) -> (Aim, String) {
        self.run = Instant::now();
        let aim = aim(rng, timing);
        (aim, self.ctx(aim))
    }

    fn ctx(&self, aim: Aim) -> String {
        format!(
            "{} kill {} (seed {}, aimed at {:?})",
            self.op,
            self.killed + self.finished_first + 1,
            seed(),
            aim.at
        )
    }

    fn count(&mut self, landed: Landed, outcome: &'static str, aim: Aim, timing: &Timing) {
        println!(
            "  {} kill {:>2}: aimed at {:>5.0} ms of {:>5.0} ms, {:?}: {outcome} ({:.1} s with the checks)",
            self.op,
            self.killed + self.finished_first + 1,
            aim.at.as_secs_f64() * 1e3,
            timing.end.as_secs_f64() * 1e3,
            landed,
            self.run.elapsed().as_secs_f64()
        );
        match landed {
            Landed::Killed => self.killed += 1,
            Landed::Finished => self.finished_first += 1,
        }
        *self.outcomes.entry((outcome, landed)).or_default() += 1;
    }

    fn report(&self, want: usize) {
        let outcomes: Vec<String> = self
            .outcomes
            .iter()
            .map(|((outcome, landed), n)| match landed {
                Landed::Killed => format!("{n} {outcome}"),
                Landed::Finished => format!("{n} {outcome} (finished first)"),
            })
            .collect();
        println!(
            "kill loop {}: {} killed, {} finished before the kill; outcomes: {}; {:.1} s (seed {})",
            self.op,
            self.killed,
            self.finished_first,
            outcomes.join(", "),
            self.started.elapsed().as_secs_f64(),
            seed()
        );
        assert!(
            self.killed >= want,
            "{}: only {} of the runs were killed while running",
            self.op,
            self.killed
        );
    }

    /// Runs until `want` kills landed while the child ran (at most twice
    /// as many runs).
    fn more(&self, want: usize) -> bool {
        self.killed < want && self.killed + self.finished_first < 2 * want
    }
}

// ---------------------------------------------------------------------------
// The loops.

/// The four loops one after the other: each kill aims by the timing of a
/// complete run, which holds best when the loops do not share the machine
/// with each other.
#[test]
fn killed_imports_backups_restores_and_letters_leave_before_or_after() {
    let started = Instant::now();
    killed_imports_leave_the_register_before_or_after();
    killed_backups_leave_no_backup_or_one_that_verifies();
    killed_restores_leave_the_old_register_or_the_backups();
    killed_letters_leave_no_pdf_or_a_whole_one();
    println!(
        "kill loops: {:.1} s in all (seed {})",
        started.elapsed().as_secs_f64(),
        seed()
    );
}

/// 100 000 rows into a register of 3 000 members: 1 000 of the rows update
/// members it has, 99 000 are new. One transaction: before or after.
fn killed_imports_leave_the_register_before_or_after() {
    const KILLS: usize = 8;
    let sb = Sandbox::new();
    sb.register_with(3_000);
    let csv = sb.input.join("import.csv");
    write_csv(
        &csv,
        (1..=1_000)
            .map(|i| member_row(i, true))
            .chain((100_001..=199_000).map(|i| member_row(i, false))),
    );
    let base = sb.save("base.sqlite");
    let before = state(&sb.db, "import: before");
    let args = [OsStr::new("import"), csv.as_os_str()];
    let (out, mut timing) = timed(&sb, &args);
    assert!(
        out.contains("Imported: 99000 new, 1000 updated"),
        "the complete import: {out}"
    );
    let after = state(&sb.db, "import: after");
    assert_eq!(after.members, 102_000);
    assert_ne!(before.checksum, after.checksum);

    let mut rng = Rng::for_op("import");
    let mut tally = Tally::new("import");
    while tally.more(KILLS) {
        sb.reset(&base);
        let (aim, ctx) = tally.next(&mut rng, &timing);
        let (landed, complete) = kill_at(&sb, &args, aim, &ctx);
        let now = state(&sb.db, &ctx);
        let outcome = if now == before {
            "before"
        } else if now == after {
            "after"
        } else {
            panic!("{ctx}: the register is in between: {now:?}, before {before:?}, after {after:?}")
        };
        assert!(
            landed == Landed::Killed || outcome == "after",
            "{ctx}: finished, yet {outcome}"
        );
        sb.restart_and_check_leftovers(&ctx);
        assert_eq!(names(&sb.input), ["import.csv", "members.csv"], "{ctx}");
        assert_eq!(names(&sb.out), Vec::<String>::new(), "{ctx}");
        tally.count(landed, outcome, aim, &timing);
        timing = complete.unwrap_or(timing);
    }
    tally.report(KILLS);
}

/// A backup of 20 000 members to an empty stick: the register stays as it
/// was; the stick holds no backup or a whole one that verifies with the
/// passphrase and its key file.
fn killed_backups_leave_no_backup_or_one_that_verifies() {
    const KILLS: usize = 18;
    let sb = Sandbox::new();
    sb.register_with(20_000);
    let stick = sb.out.clone();
    sb.set_passphrase();
    let before = state(&sb.db, "backup: before");
    let args = [OsStr::new("backup"), OsStr::new("--to"), stick.as_os_str()];
    let (_, mut timing) = timed(&sb, &args);
    assert_eq!(state(&sb.db, "backup: after"), before);

    let mut rng = Rng::for_op("backup");
    let mut tally = Tally::new("backup");
    while tally.more(KILLS) {
        sb.clear_out();
        let (aim, ctx) = tally.next(&mut rng, &timing);
        let (landed, complete) = kill_at(&sb, &args, aim, &ctx);
        assert_eq!(state(&sb.db, &ctx), before, "{ctx}: the register changed");
        sb.restart_and_check_leftovers(&ctx);
        let mut backups = Vec::new();
        for name in names(&stick) {
            if name.ends_with(".medlem-backup") {
                backups.push(stick.join(&name));
            } else {
                assert!(
                    name.starts_with("medlem-backup-key-") && name.ends_with(".age"),
                    "{ctx}: {name} left on the stick ({:?})",
                    names(&stick)
                );
            }
        }
        assert!(backups.len() <= 1, "{ctx}: {backups:?}");
        let outcome = match backups.first() {
            None => "no backup",
            Some(file) => {
                let out = sb
                    .command(&[OsStr::new("verify"), file.as_os_str(), OsStr::new("--json")])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{ctx}: the backup on the stick does not verify: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let info: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(info["members"], before.members, "{ctx}");
                "whole backup"
            }
        };
        assert!(
            landed == Landed::Killed || outcome == "whole backup",
            "{ctx}: finished without a backup"
        );
        tally.count(landed, outcome, aim, &timing);
        timing = complete.unwrap_or(timing);
    }
    tally.report(KILLS);
}

/// A restore of a backup holding 22 000 members over a register of 20 000
/// (1 000 of whom moved since): the register is wholly the old one or
/// wholly the backup's; a safety copy, when one is there, is whole.
fn killed_restores_leave_the_old_register_or_the_backups() {
    const KILLS: usize = 18;
    let sb = Sandbox::new();
    sb.register_with(20_000);
    let backups = sb.input.clone();
    sb.set_passphrase();
    let old = sb.save("old.sqlite");
    let before = state(&sb.db, "restore: before");
    let csv = sb.keep.join("more.csv");
    write_csv(
        &csv,
        (1..=1_000)
            .map(|i| member_row(i, true))
            .chain((20_001..=22_000).map(|i| member_row(i, false))),
    );
    sb.ok(&[OsStr::new("import"), csv.as_os_str()]);
    fs::remove_file(&csv).unwrap();
    let after = state(&sb.db, "restore: the backup's");
    assert_eq!(after.members, 22_000);
    sb.ok(&[
        OsStr::new("backup"),
        OsStr::new("--to"),
        backups.as_os_str(),
    ]);
    let held = names(&backups);
    let file = backups.join(
        held.iter()
            .find(|n| n.ends_with(".medlem-backup"))
            .expect("the backup"),
    );
    sb.reset(&old);
    let args = [OsStr::new("restore"), file.as_os_str(), OsStr::new("--yes")];
    let (_, mut timing) = timed(&sb, &args);
    assert_eq!(state(&sb.db, "restore: complete"), after);

    let mut rng = Rng::for_op("restore");
    let mut tally = Tally::new("restore");
    while tally.more(KILLS) {
        sb.reset(&old);
        let (aim, ctx) = tally.next(&mut rng, &timing);
        let (landed, complete) = kill_at(&sb, &args, aim, &ctx);
        let now = state(&sb.db, &ctx);
        let outcome = if now == before {
            "old register"
        } else if now == after {
            "backup's register"
        } else {
            panic!("{ctx}: the register is in between: {now:?}, old {before:?}, backup's {after:?}")
        };
        assert!(
            landed == Landed::Killed || outcome == "backup's register",
            "{ctx}: finished, yet {outcome}"
        );
        sb.restart_and_check_leftovers(&ctx);
        for copy in names(&sb.reg.join("safety")) {
            let path = sb.reg.join("safety").join(&copy);
            assert_eq!(state(&path, &ctx), before, "{ctx}: safety copy {copy}");
        }
        assert_eq!(names(&backups), held, "{ctx}: the backup folder changed");
        assert_eq!(names(&sb.out), Vec::<String>::new(), "{ctx}");
        tally.count(landed, outcome, aim, &timing);
        timing = complete.unwrap_or(timing);
    }
    tally.report(KILLS);
}

/// Welcome letters to all 3 000 members into one PDF: the members stay as
/// they were; the PDF is absent or whole (every page), and the letters'
/// history lines are all there (with the PDF) or none. The PDF is renamed
/// into place just before the commit, so a kill between the two would
/// leave a whole PDF without them: counted apart, never seen yet.
fn killed_letters_leave_no_pdf_or_a_whole_one() {
    const KILLS: usize = 18;
    const MEMBERS: i64 = 3_000;
    let sb = Sandbox::new();
    sb.register_with(MEMBERS as u64);
    let base = sb.save("base.sqlite");
    let before = state(&sb.db, "letters: before");
    let pdf = sb.out.join("välkommen.pdf");
    let args = [
        OsStr::new("letters"),
        OsStr::new("--template"),
        OsStr::new("welcome"),
        OsStr::new("--out"),
        pdf.as_os_str(),
    ];
    let (_, mut timing) = timed(&sb, &args);
    let after = state(&sb.db, "letters: after");
    assert_eq!(after.history, before.history + MEMBERS);
    assert_eq!(
        (after.members, after.checksum),
        (before.members, before.checksum)
    );
    assert_eq!(pdf_pages(&pdf, "letters: complete"), Some(MEMBERS));

    let mut rng = Rng::for_op("letters");
    let mut tally = Tally::new("letters");
    while tally.more(KILLS) {
        sb.reset(&base);
        sb.clear_out();
        let (aim, ctx) = tally.next(&mut rng, &timing);
        let (landed, complete) = kill_at(&sb, &args, aim, &ctx);
        let now = state(&sb.db, &ctx);
        sb.restart_and_check_leftovers(&ctx);
        let left: Vec<String> = names(&sb.out)
            .into_iter()
            .filter(|n| n != "välkommen.pdf")
            .collect();
        assert!(left.is_empty(), "{ctx}: left beside the PDF: {left:?}");
        let pages = pdf_pages(&pdf, &ctx);
        let outcome = match (now == before, now == after, pages) {
            (true, _, None) => "no PDF, no history",
            (_, true, Some(MEMBERS)) => "whole PDF and history",
            // The file is renamed into place just before the commit.
            (true, _, Some(MEMBERS)) => "whole PDF, history not written",
            _ => panic!(
                "{ctx}: in between: register {now:?} (before {before:?}, after {after:?}), PDF pages {pages:?}"
            ),
        };
        assert!(
            landed == Landed::Killed || outcome == "whole PDF and history",
            "{ctx}: finished, yet {outcome}"
        );
        tally.count(landed, outcome, aim, &timing);
        timing = complete.unwrap_or(timing);
    }
    tally.report(KILLS);
}

/// What a killed process leaves, made by hand for a process that is gone:
/// the next start removes it, also an unfinished PDF in another folder that
/// a note in the register's folder names, and an unfinished copy of the
/// register with SQLite's journal. A note whose folder is missing (a stick
/// not plugged in) stays for a later start; a note never takes a file that
/// is not that process's unfinished file.
#[test]
fn the_next_start_sweeps_what_a_killed_process_left() {
    let sb = Sandbox::new();
    sb.ok(&[
        "org",
        "init",
        "--name",
        "Fackklubben Verkstaden",
        "--country",
        "SE",
    ]);
    let mut gone = Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let note = |n: u32, names: &Path| {
        fs::write(
            sb.reg.join(format!(".medlem-pending-{pid}-{n}")),
            names.to_str().unwrap(),
        )
        .unwrap();
    };
    let pdf = sb.out.join(format!(".välkommen.pdf.{pid}-3.part"));
    fs::write(
        &pdf,
        "%PDF-1.7 Anna Andersson, Storgatan 1, 111 20 Stockholm",
    )
    .unwrap();
    note(3, &pdf);
    let unplugged = sb.root.path().join("USB");
    note(4, &unplugged.join(format!(".x.medlem-backup.{pid}-4.part")));
    let photo = sb.out.join("semester.jpg");
    fs::write(&photo, "jpeg").unwrap();
    note(5, &photo);
    let safety = sb.reg.join("safety");
    fs::create_dir_all(&safety).unwrap();
    let copy = format!(".before-restore-2026-01-01-10-00-00.sqlite.{pid}-1.part");
    for name in [copy.clone(), format!("{copy}-journal")] {
        fs::write(safety.join(name), "Anna Andersson").unwrap();
    }
    fs::write(
        sb.reg.join(format!(".medlem.sqlite.{pid}-2.part-wal")),
        "Anna Andersson",
    )
    .unwrap();

    sb.ok(&["org", "show"]);
    assert_eq!(names(&sb.out), ["semester.jpg"]);
    assert_eq!(names(&safety), Vec::<String>::new());
    assert_eq!(
        names(&sb.reg),
        [
            format!(".medlem-pending-{pid}-4"),
            "medlem.sqlite".to_owned(),
            "safety".to_owned()
        ]
    );
}

/// The pages of a whole PDF (qpdf checks it), `None` when there is none.
fn pdf_pages(pdf: &Path, ctx: &str) -> Option<i64> {
    if !pdf.exists() {
        return None;
    }
    let qpdf = |arg: &str| {
        Command::new("qpdf")
            .arg(arg)
            .arg(pdf)
            .output()
            .expect("qpdf (apt: qpdf; `cargo xtask test` installs it)")
    };
    let check = qpdf("--check");
    assert!(
        check.status.success(),
        "{ctx}: the PDF under its final name is not whole: {}",
        String::from_utf8_lossy(&check.stdout)
    );
    let pages = qpdf("--show-npages");
    Some(
        String::from_utf8_lossy(&pages.stdout)
            .trim()
            .parse()
            .unwrap(),
    )
}
