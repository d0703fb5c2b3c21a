//! `cargo xtask fuzz`: each cargo-fuzz target of `fuzz/` for a bounded time.
//!
//! Installs cargo-fuzz when it is missing, builds the targets once with the
//! nightly toolchain (cargo fuzz needs it for the sanitizer flags; the
//! build stays in `fuzz/target`), then runs each target for `--seconds`
//! over its work corpus `fuzz/target/corpus/<target>` (kept between runs,
//! not in the repo) and its seeds `fuzz/corpus/<target>` (in the repo).
//! libFuzzer's final statistics are read for the summary; a crash leaves
//! its input in `fuzz/artifacts/<target>/` and makes the command fail.
//! `--seeds` writes the seed corpora again (the targets make them from
//! the code: exports, backups, templates).

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::deps::find_installed;
use crate::{cargo, header, root, run_checked, Failure};

/// A fuzz target and the largest input it is given.
pub struct Target {
    pub name: &'static str,
    pub max_len: usize,
}

/// Every target in `fuzz/fuzz_targets/`, in the order they run.
pub const TARGETS: &[Target] = &[
    // CSV lines, xlsx and ods (zip) files: the seeds are 1-7 KB.
    Target {
        name: "import_table",
        max_len: 64 * 1024,
    },
    // A backup of a tiny register in 1 KiB pages is about 100 KB.
    Target {
        name: "backup_reader",
        max_len: 256 * 1024,
    },
    // A template's body is at most 20 000 characters.
    Target {
        name: "template",
        max_len: 16 * 1024,
    },
    // The banks' files of payments received: the seeds are 1-7 KB.
    Target {
        name: "bank_file",
        max_len: 64 * 1024,
    },
];

pub const DEFAULT_SECONDS: u64 = 60;

/// What `cargo xtask fuzz` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub seconds: u64,
    /// Only write the seed corpora again.
    pub seeds: bool,
    /// The targets to run (all when none were named).
    pub targets: Vec<&'static str>,
}

pub fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut opts = Options {
        seconds: DEFAULT_SECONDS,
        seeds: false,
        targets: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let seconds = match arg.as_str() {
            "--seeds" => {
                opts.seeds = true;
                continue;
            }
            "--seconds" => Some(args.next().ok_or("--seconds needs a number")?.as_str()),
            other => other.strip_prefix("--seconds="),
        };
        if let Some(n) = seconds {
            opts.seconds = match n.parse::<u64>() {
                Ok(n) if n > 0 => n,
                _ => return Err(format!("--seconds takes a whole number above 0, not `{n}`")),
            };
            continue;
        }
        match TARGETS.iter().find(|t| t.name == arg) {
            Some(t) if !opts.targets.contains(&t.name) => opts.targets.push(t.name),
            Some(_) => {}
            None => {
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                return Err(format!(
                    "unknown fuzz argument `{arg}` (targets: {})",
                    names.join(", ")
                ));
            }
        }
    }
    if opts.targets.is_empty() {
        opts.targets = TARGETS.iter().map(|t| t.name).collect();
    }
    Ok(opts)
}

/// The libFuzzer arguments of one bounded run.
pub fn libfuzzer_args(target: &Target, seconds: u64) -> Vec<String> {
    vec![
        format!("-max_total_time={seconds}"),
        "-rss_limit_mb=2048".into(),
        format!("-max_len={}", target.max_len),
        // One input taking this long is a hang, reported like a crash.
        "-timeout=30".into(),
        "-print_final_stats=1".into(),
    ]
}

/// What one run of a target told.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Executions (`Done N runs` or `stat::number_of_executed_units`).
    pub runs: Option<u64>,
    /// libFuzzer's own count of seconds (`Done N runs in S second(s)`).
    pub seconds: Option<u64>,
    pub exec_per_sec: Option<u64>,
    /// Inputs in the corpus at the end (`cov: … corp: N/…`).
    pub corpus: Option<u64>,
    pub peak_rss_mb: Option<u64>,
    /// Where libFuzzer wrote the input that crashed it.
    pub artifact: Option<String>,
}

impl Stats {
    /// Feeds one line of libFuzzer's output.
    pub fn feed_line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("Done ") {
            // "Done 12345 runs in 61 second(s)"
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let [runs, "runs", "in", secs, ..] = words[..] {
                self.runs = runs.parse().ok().or(self.runs);
                self.seconds = secs.parse().ok().or(self.seconds);
            }
        } else if let Some(rest) = line.strip_prefix("stat::") {
            let Some((key, value)) = rest.split_once(':') else {
                return;
            };
            let value = value.trim().parse::<u64>().ok();
            match key {
                "number_of_executed_units" => self.runs = value.or(self.runs),
                "average_exec_per_sec" => self.exec_per_sec = value,
                "peak_rss_mb" => self.peak_rss_mb = value,
                _ => {}
            }
        } else if let Some(at) = line.find("Test unit written to ") {
            self.artifact = Some(line[at + "Test unit written to ".len()..].trim().to_owned());
        } else if line.starts_with('#') {
            // "#4096 pulse  cov: 1234 ft: 5678 corp: 90/12Kb exec/s: 512 rss: 80Mb"
            if let Some(at) = line.find("corp: ") {
                let n: String = line[at + 6..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                self.corpus = n.parse().ok().or(self.corpus);
            }
        }
    }
}

/// Lines of libFuzzer's output worth showing while it runs: not each new
/// or reduced input (thousands a minute) nor the recommended dictionary,
/// but its start, pulses, the end and everything else (crash reports).
pub fn worth_showing(line: &str) -> bool {
    let new_input = line.starts_with('#')
        && matches!(
            line.split_whitespace().nth(1),
            Some("NEW" | "REDUCE" | "RELOAD")
        );
    // The dictionary libFuzzer recommends at the end: `"abc" # Uses: 3`.
    let dictionary = line.starts_with('"') && line.contains("\" # Uses: ");
    // The functions a new input reached for the first time.
    let new_function = line.trim_start().starts_with("NEW_FUNC[");
    !(new_input || dictionary || new_function)
}

/// One finished run: what the summary table shows.
struct Outcome {
    name: &'static str,
    stats: Stats,
    wall: Duration,
    ok: bool,
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let opts = parse_args(args).map_err(|e| Failure::new(e, 2))?;
    let fuzz_dir = root().join("fuzz");
    ensure_nightly()?;
    ensure_cargo_fuzz()?;
    if opts.seeds {
        return write_seeds(&fuzz_dir, &opts.targets);
    }
    header("build the fuzz targets: cargo +nightly fuzz build -a (into fuzz/target)");
    let started = Instant::now();
    run_checked(
        cargo_fuzz().args(["build", "-a"]),
        "cargo +nightly fuzz build -a",
    )?;
    println!("    (build: {})", crate::elapsed(started));

    let mut outcomes = Vec::new();
    for (i, name) in opts.targets.iter().enumerate() {
        let target = TARGETS
            .iter()
            .find(|t| t.name == *name)
            .expect("parse_args names known targets");
        header(&format!(
            "[{}/{}] fuzz {} for {} s",
            i + 1,
            opts.targets.len(),
            target.name,
            opts.seconds
        ));
        outcomes.push(run_target(&fuzz_dir, target, opts.seconds)?);
    }
    print_summary(&outcomes);
    let crashed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.ok).collect();
    if crashed.is_empty() {
        return Ok(());
    }
    let mut msg = String::from("fuzzing found a crash:");
    for o in crashed {
        let at = o
            .stats
            .artifact
            .as_deref()
            .unwrap_or("(no input written: see the output above)");
        msg.push_str(&format!(
            "\n    {}: {at}\n      reproduce: cargo +nightly fuzz run -a {} {at}",
            o.name, o.name
        ));
    }
    msg.push_str("\n    then make it a regular test in core (see ARCHITECTURE.md, `fuzz/`)");
    Err(Failure::new(msg, 1))
}

fn run_target(fuzz_dir: &Path, target: &Target, seconds: u64) -> Result<Outcome, Failure> {
    let work = fuzz_dir.join("target").join("corpus").join(target.name);
    let seeds = fuzz_dir.join("corpus").join(target.name);
    std::fs::create_dir_all(&work)
        .map_err(|e| Failure::new(format!("cannot make {}: {e}", work.display()), 1))?;
    let mut cmd = cargo_fuzz();
    // New inputs go to the first folder (the work corpus); the seeds are read.
    cmd.args(["run", "-a", target.name])
        .arg(&work)
        .arg(&seeds)
        .arg("--")
        .args(libfuzzer_args(target, seconds))
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| Failure::new(format!("could not start cargo fuzz: {e}"), 1))?;
    let mut stats = Stats::default();
    let stderr = child.stderr.take().expect("stderr was piped");
    let mut out = io::stderr().lock();
    for line in BufReader::new(stderr).split(b'\n') {
        let Ok(line) = line else { break };
        let line = String::from_utf8_lossy(&line);
        stats.feed_line(&line);
        if worth_showing(&line) {
            let _ = writeln!(out, "{line}");
        }
    }
    let status = child
        .wait()
        .map_err(|e| Failure::new(format!("cargo fuzz did not finish: {e}"), 1))?;
    let wall = started.elapsed();
    println!(
        "    {}: {} runs in {} s{}",
        target.name,
        shown(stats.runs),
        stats.seconds.unwrap_or(wall.as_secs()),
        if status.success() {
            String::new()
        } else {
            format!(
                ", FAILED ({status}){}",
                stats
                    .artifact
                    .as_deref()
                    .map(|a| format!(": {a}"))
                    .unwrap_or_default()
            )
        }
    );
    Ok(Outcome {
        name: target.name,
        stats,
        wall,
        ok: status.success(),
    })
}

fn shown(n: Option<u64>) -> String {
    n.map_or_else(|| "?".into(), |n| n.to_string())
}

fn print_summary(outcomes: &[Outcome]) {
    println!("\nfuzzing summary");
    println!(
        "{:<15} {:>12} {:>8} {:>8} {:>8} {:>8}  result",
        "target", "runs", "seconds", "exec/s", "corpus", "rss MB"
    );
    for o in outcomes {
        println!(
            "{:<15} {:>12} {:>8} {:>8} {:>8} {:>8}  {}",
            o.name,
            shown(o.stats.runs),
            o.stats.seconds.unwrap_or(o.wall.as_secs()),
            shown(o.stats.exec_per_sec),
            shown(o.stats.corpus),
            shown(o.stats.peak_rss_mb),
            if o.ok { "ok" } else { "CRASH" }
        );
    }
}

/// `cargo +nightly fuzz …` from the workspace root, with `fuzz/` as the
/// fuzz folder. Through rustup's `cargo` (only it knows `+nightly`), with
/// the toolchain that runs xtask taken out of the environment.
fn cargo_fuzz() -> Command {
    let mut cmd = Command::new(rustup_cargo());
    cmd.current_dir(root())
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .args(["+nightly", "fuzz"]);
    cmd
}

/// rustup's `cargo` proxy: on PATH, else in `~/.cargo/bin`.
fn rustup_cargo() -> PathBuf {
    find_installed("cargo").unwrap_or_else(|| "cargo".into())
}

fn ensure_nightly() -> Result<(), Failure> {
    header("ensure the nightly toolchain and cargo-fuzz");
    let has = Command::new("rustup")
        .args(["run", "nightly", "rustc", "--version"])
        .env_remove("RUSTUP_TOOLCHAIN")
        .output()
        .map_err(|e| Failure::new(format!("cargo fuzz needs rustup ({e})"), 1))?;
    if has.status.success() {
        print!("    nightly: {}", String::from_utf8_lossy(&has.stdout));
        return Ok(());
    }
    run_checked(
        Command::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]),
        "rustup toolchain install nightly --profile minimal",
    )
}

fn ensure_cargo_fuzz() -> Result<(), Failure> {
    match find_installed("cargo-fuzz") {
        Some(found) => {
            println!("    cargo-fuzz: {}", found.display());
            Ok(())
        }
        None => run_checked(
            cargo().args(["install", "cargo-fuzz", "--locked"]),
            "cargo install cargo-fuzz --locked",
        ),
    }
}

/// Each target writes its seeds into `fuzz/corpus/<target>` and exits
/// (`MEDLEM_FUZZ_SEEDS`, see `fuzz/src/seeds.rs`).
fn write_seeds(fuzz_dir: &Path, targets: &[&'static str]) -> Result<(), Failure> {
    for name in targets {
        let dir = fuzz_dir.join("corpus").join(name);
        header(&format!("seeds of {name} -> {}", dir.display()));
        run_checked(
            cargo_fuzz()
                .args(["run", "-a", name, "--", "-runs=0"])
                .env("MEDLEM_FUZZ_SEEDS", &dir),
            &format!("cargo +nightly fuzz run -a {name} (seeds)"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let all: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
        let o = parse_args(&[]).unwrap();
        assert_eq!((o.seconds, o.seeds, o.targets), (60, false, all.clone()));
        let o = parse_args(&args(&["--seconds", "20"])).unwrap();
        assert_eq!((o.seconds, o.targets), (20, all.clone()));
        let o = parse_args(&args(&["template", "--seconds=5", "template"])).unwrap();
        assert_eq!((o.seconds, o.targets), (5, vec!["template"]));
        assert!(parse_args(&args(&["--seeds"])).unwrap().seeds);
        assert!(parse_args(&args(&["--seconds"])).is_err());
        assert!(parse_args(&args(&["--seconds", "0"])).is_err());
        assert!(parse_args(&args(&["--seconds", "1m"])).is_err());
        assert!(parse_args(&args(&["pdf"]))
            .unwrap_err()
            .contains("import_table, backup_reader, template"));
    }

    #[test]
    fn every_target_has_a_file_and_seeds() {
        let fuzz = root().join("fuzz");
        for t in TARGETS {
            let file = fuzz.join("fuzz_targets").join(format!("{}.rs", t.name));
            assert!(file.is_file(), "{} is missing", file.display());
            let seeds = fuzz.join("corpus").join(t.name);
            let n = std::fs::read_dir(&seeds).map(|d| d.count()).unwrap_or(0);
            assert!(n > 0, "no seeds in {}", seeds.display());
        }
    }

    #[test]
    fn reads_libfuzzer_statistics() {
        let mut s = Stats::default();
        for line in [
            "INFO: Seed: 1234",
            "#2\tINITED cov: 100 ft: 120 corp: 12/34Kb exec/s: 0 rss: 60Mb",
            "#4096\tpulse  cov: 1234 ft: 5678 corp: 90/12Kb lim: 4096 exec/s: 512 rss: 80Mb",
            "#5000\tNEW    cov: 1240 ft: 5690 corp: 91/12Kb lim: 4096 exec/s: 500 rss: 80Mb L: 7/9 MS: 1 ChangeBit-",
            "Done 123456 runs in 61 second(s)",
            "stat::number_of_executed_units: 123457",
            "stat::average_exec_per_sec:     2023",
            "stat::new_units_added:          77",
            "stat::peak_rss_mb:              310",
        ] {
            s.feed_line(line);
        }
        assert_eq!(
            s,
            Stats {
                runs: Some(123457),
                seconds: Some(61),
                exec_per_sec: Some(2023),
                corpus: Some(91),
                peak_rss_mb: Some(310),
                artifact: None,
            }
        );
        s.feed_line("artifact_prefix='fuzz/artifacts/template/'; Test unit written to fuzz/artifacts/template/crash-0a1b");
        assert_eq!(
            s.artifact.as_deref(),
            Some("fuzz/artifacts/template/crash-0a1b")
        );
    }

    #[test]
    fn new_inputs_are_not_shown() {
        assert!(!worth_showing(
            "#5000\tNEW    cov: 1240 ft: 5690 corp: 91/12Kb exec/s: 500"
        ));
        assert!(!worth_showing("#6000\tREDUCE cov: 1240 ft: 5690"));
        assert!(worth_showing("#4096\tpulse  cov: 1234 ft: 5678"));
        assert!(worth_showing("#2\tINITED cov: 100 ft: 120"));
        assert!(worth_showing("==123== ERROR: libFuzzer: deadly signal"));
        assert!(worth_showing("Done 1 runs in 0 second(s)"));
        assert!(!worth_showing("\"member.joined_dat\" # Uses: 2"));
        assert!(worth_showing("###### Recommended dictionary. ######"));
        assert!(!worth_showing(
            "\tNEW_FUNC[1/2]: 0x55fd46441810 in minijinja::value::ops::add"
        ));
    }

    #[test]
    fn bounded_runs() {
        let a = libfuzzer_args(&TARGETS[1], 20);
        assert!(a.contains(&"-max_total_time=20".to_string()));
        assert!(a.contains(&"-rss_limit_mb=2048".to_string()));
        assert!(a.contains(&format!("-max_len={}", TARGETS[1].max_len)));
    }
}
