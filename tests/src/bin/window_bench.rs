//! `cargo xtask bench` (its window half): the real window at 100 000 members,
//! driven over WebDriver and timed in the page.
//!
//! - keystroke: from the search box's `input` event to the frame after the
//!   list's last change (one key at a time, as a person types);
//! - area switch: from the click on an area to the frame after its last change;
//! - open member: from the click on a row to the frame after the detail's
//!   last change (the member and its history);
//! - cold start: from asking for the app's process to a list with rows and a
//!   search box that takes keys (polled); `in_page` is its part from the
//!   page's navigation to the first list drawn (the page's own mark).
//!
//! "The last change" is the last DOM change before the window has been quiet
//! (no change and nothing `aria-busy`) for [`QUIET_MS`]: a pane that fills in
//! two steps is timed to its second step. Prints one figure per line as
//! `name: value unit`, like the core's bench.

use std::path::Path;
use std::time::{Duration, Instant};

use medlem_core::demo::LAST;
use medlem_core::{Register, SqliteRegister};
use medlem_e2e::fixtures::{cli, temp_db};
use medlem_e2e::{medlem_app, App};
use serde_json::{json, Value};

/// How long the window must stay unchanged for a step to count as done.
const QUIET_MS: u32 = 250;

/// Installs the timer: `window.__bench.start()` marks the start (or the next
/// `input` event on the search box does), and every change inside `.work`
/// moves `last` to the frame that shows it.
const INSTALL: &str = r#"
const b = window.__bench = { t0: null, last: null, armed: false, dirty: false };
const work = b.work = document.querySelector('.work');
new MutationObserver(() => {
  if (b.t0 === null) return;
  b.dirty = true;
  requestAnimationFrame(() => { b.dirty = false; if (b.t0 !== null) b.last = performance.now(); });
}).observe(work, { subtree: true, childList: true, attributes: true, characterData: true });
document.addEventListener('input', (e) => {
  if (b.armed && e.target.dataset.testid === 'member-search') { b.armed = false; b.t0 = performance.now(); b.last = null; }
}, true);
b.arm = () => { b.t0 = null; b.last = null; b.armed = true; };
b.start = () => { b.armed = false; b.t0 = performance.now(); b.last = null; };
"#;

/// Waits until the window has been quiet for `arguments[0]` ms and nothing is
/// busy, then answers the milliseconds from the start to the last change's frame.
const SETTLE: &str = r#"
const [quiet, done] = [arguments[0], arguments[arguments.length - 1]];
const b = window.__bench;
const began = performance.now();
const check = () => {
  const now = performance.now();
  const busy = document.querySelector('.work [aria-busy="true"]');
  if (b.t0 !== null && b.last !== null && !b.dirty && !busy && now - b.last >= quiet) {
    const ms = b.last - b.t0;
    b.t0 = null; b.last = null;
    done(ms);
  } else if (now - began > 20000) {
    done(`not settled after 20 s: t0 ${b.t0}, last ${b.last}, armed ${b.armed}, work attached ${b.work.isConnected}, now ${now}, busy ${busy ? busy.outerHTML.slice(0, 200) : 'nothing'}`);
  } else {
    setTimeout(check, 20);
  }
};
setTimeout(check, 20);
"#;

struct Figures {
    name: &'static str,
    samples: Vec<f64>,
}

impl Figures {
    fn new(name: &'static str) -> Self {
        Figures {
            name,
            samples: Vec::new(),
        }
    }

    fn print(&mut self) {
        self.samples.sort_by(f64::total_cmp);
        let s = &self.samples;
        let at = |p: f64| s[((s.len() - 1) as f64 * p).round() as usize];
        println!("{}_samples: {} count", self.name, s.len());
        println!("{}_median: {:.1} ms", self.name, at(0.5));
        println!("{}_p90: {:.1} ms", self.name, at(0.9));
        println!("{}_max: {:.1} ms", self.name, at(1.0));
    }
}

fn main() {
    let mut members: usize = 100_000;
    let mut keep: Option<std::path::PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--members" => {
                members = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--members needs a number")
            }
            "--keep" => keep = Some(args.next().expect("--keep needs a folder").into()),
            other => panic!(
                "unknown argument {other:?} (usage: medlem-window-bench [--members N] [--keep DIR])"
            ),
        }
    }
    println!("window_app: {}", medlem_app().display());
    // `--keep DIR`: the register is made in DIR once and used again (to look
    // at it, or to time again without making it anew). Not the file's own
    // path: the harness stops every process whose arguments name the
    // register when the app closes.
    let (_dir, temp) = temp_db();
    let db = match keep {
        Some(dir) => dir.join(format!("bench-{members}.sqlite")),
        None => temp,
    };
    if !db.exists() {
        let t = Instant::now();
        make_register(&db, members);
        println!("window_register_made: {:.1} s", t.elapsed().as_secs_f64());
    }
    println!("window_members: {members} count");

    // Cold start, three times: the first start also reads the file from disk.
    let mut cold = Figures::new("window_cold_start");
    let mut in_page = Figures::new("window_cold_start_in_page");
    let mut app = None;
    for _ in 0..3 {
        if let Some(previous) = app.take() {
            App::close(previous);
        }
        let launched = App::launch(&db);
        cold.samples.push(ms(interactive_list(&launched)));
        // The page's part: from its navigation to the first list drawn
        // (main.js and members.js mark their steps).
        let list = launched.execute(
            "const m = performance.getEntriesByName('medlem:list')[0]; return m ? m.startTime : null;",
            vec![],
        );
        in_page
            .samples
            .push(list.as_f64().expect("the page marks its first list"));
        app = Some(launched);
    }
    cold.print();
    in_page.print();
    let app = app.expect("the app started");
    app.execute(INSTALL, vec![]);

    keystrokes(&app).print();
    open_meeting(&app).print();
    area_switches(&app).print();
    open_members(&app).print();
    app.close();
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The demo register with `members` members, and an annual meeting to which
/// every active member is invited, and a fund, as a treasurer would have them.
fn make_register(db: &Path, members: usize) {
    {
        let mut r = SqliteRegister::open(db).expect("open the bench register");
        medlem_core::demo::create(&mut r, members).expect("fill the bench register");
        let total = r
            .list(&Default::default())
            .expect("list the register")
            .total;
        assert_eq!(total as usize, members, "the register holds every member");
    }
    let meeting = cli(
        db,
        &[
            "--json",
            "meeting",
            "create",
            "--kind",
            "annual_general_meeting",
            "--title",
            "Årsmöte",
            "--starts",
            "2031-03-16 18:00",
            "--capacity",
            "400",
        ],
    );
    let meeting = serde_json::from_str::<Value>(&meeting).expect("meeting JSON")["id"].to_string();
    cli(db, &["meeting", "invite", &meeting, "--status", "active"]);
    cli(
        db,
        &[
            "fund",
            "create",
            "--name",
            "Studiefonden",
            "--year",
            "2031",
            "--budget",
            "250000",
            "--cap",
            "10000",
        ],
    );
}

/// Waits for a list with rows and a search box that takes keys; the time
/// since the app was asked for.
fn interactive_list(app: &App) -> Duration {
    let script = r#"
      const rows = document.querySelectorAll('[data-testid="member-row"]').length;
      const s = document.querySelector('[data-testid="member-search"]');
      return rows > 0 && s !== null && !s.disabled
        && !document.querySelector('[data-testid="member-list"][aria-busy="true"]');
    "#;
    app.wait_until("a list with rows", |app| {
        (app.execute(script, vec![]) == Value::Bool(true)).then(Instant::now)
    })
    .duration_since(app.started())
}

fn settle(app: &App) -> f64 {
    let answer = app.execute_async(SETTLE, vec![json!(QUIET_MS)]);
    answer
        .as_f64()
        .unwrap_or_else(|| panic!("the window did not settle: {answer}"))
}

/// Types the start of a few surnames key by key, and takes each back.
fn keystrokes(app: &App) -> Figures {
    let mut f = Figures::new("window_keystroke_to_paint");
    app.type_into("member-search", "");
    app.execute("window.__bench.arm();", vec![]);
    app.send_keys("member-search", "x");
    settle(app);
    app.execute("window.__bench.arm();", vec![]);
    app.send_keys("member-search", "\u{E003}");
    settle(app);
    for name in LAST.iter().step_by(LAST.len().div_ceil(6)).take(6) {
        let typed: Vec<char> = name.chars().take(5).collect();
        for c in &typed {
            app.execute("window.__bench.arm();", vec![]);
            app.send_keys("member-search", &c.to_string());
            f.samples.push(settle(app));
        }
        for _ in &typed {
            app.execute("window.__bench.arm();", vec![]);
            app.send_keys("member-search", "\u{E003}");
            f.samples.push(settle(app));
        }
    }
    f
}

/// Opens the annual meeting (every active member invited) in the Meetings
/// area, then goes back to Members; the meeting stays selected.
fn open_meeting(app: &App) -> Figures {
    let mut f = Figures::new("window_open_meeting");
    let click = |testid: &str| {
        app.execute(
            "window.__bench.start(); document.querySelector(`[data-testid=\"${arguments[0]}\"]`).click();",
            vec![json!(testid)],
        );
        settle(app)
    };
    click("nav-meetings");
    f.samples.push(click("meeting-row"));
    assert!(
        app.count("invitee-row") > 0,
        "the annual meeting shows its people"
    );
    click("nav-members");
    f
}

/// Goes round every area a few times, timing each arrival.
fn area_switches(app: &App) -> Figures {
    let mut f = Figures::new("window_area_switch");
    let areas = [
        "meetings", "grants", "letters", "backup", "settings", "members",
    ];
    let mut each: Vec<Vec<f64>> = vec![Vec::new(); areas.len()];
    for _ in 0..4 {
        for (i, area) in areas.iter().enumerate() {
            app.execute(
                "window.__bench.start(); document.querySelector(`[data-testid=\"nav-${arguments[0]}\"]`).click();",
                vec![json!(area)],
            );
            let t = settle(app);
            if *area == "meetings" {
                assert!(
                    app.count("invitee-row") > 0,
                    "Meetings shows the annual meeting it showed before, and its people"
                );
            }
            each[i].push(t);
            f.samples.push(t);
        }
    }
    for (area, mut times) in areas.iter().zip(each) {
        times.sort_by(f64::total_cmp);
        println!(
            "window_area_{area}_median: {:.1} ms",
            times[times.len() / 2]
        );
        println!("window_area_{area}_max: {:.1} ms", times[times.len() - 1]);
    }
    f
}

/// Opens the members of the first page one after the other.
fn open_members(app: &App) -> Figures {
    let mut f = Figures::new("window_open_member");
    let rows = app.count("member-row").min(20);
    for i in 0..rows {
        app.execute(
            "window.__bench.start(); document.querySelectorAll('[data-testid=\"member-row\"]')[arguments[0]].click();",
            vec![json!(i)],
        );
        f.samples.push(settle(app));
    }
    f
}
