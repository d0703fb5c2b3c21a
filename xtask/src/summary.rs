//! Adds up libtest's `test result:` lines into one `N passed, N failed`.

use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: u64,
    pub failed: u64,
    /// How many `test result:` lines were seen.
    pub results: u64,
}

impl Totals {
    /// Feeds one line of a test run's stdout.
    pub fn feed_line(&mut self, line: &str) {
        let Some(at) = line.find("test result:") else {
            return;
        };
        let words: Vec<&str> = line[at..].split_whitespace().collect();
        let mut seen = false;
        for pair in words.windows(2) {
            let Ok(n) = pair[0].parse::<u64>() else {
                continue;
            };
            let word = pair[1].trim_end_matches([';', ',', '.']);
            match word {
                "passed" => {
                    self.passed += n;
                    seen = true;
                }
                "failed" => {
                    self.failed += n;
                    seen = true;
                }
                _ => {}
            }
        }
        if seen {
            self.results += 1;
        }
    }

    pub fn line(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// Runs `cmd` with its stdout streamed through to ours as it comes (so a slow
/// test shows its name while it runs), feeding each complete line to `totals`.
/// Stderr is inherited untouched.
pub fn run_streaming(cmd: &mut Command, totals: &mut Totals) -> io::Result<ExitStatus> {
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let mut out = child.stdout.take().expect("stdout was piped");
    let mut buf = [0u8; 8192];
    let mut line = Vec::new();
    let stdout = io::stdout();
    loop {
        let n = match out.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // Keep the child from blocking on a full pipe, then report.
                drop(out);
                let _ = child.wait();
                return Err(e);
            }
        };
        {
            let mut lock = stdout.lock();
            let _ = lock.write_all(&buf[..n]);
            let _ = lock.flush();
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                totals.feed_line(&String::from_utf8_lossy(&line));
                line.clear();
            } else {
                line.push(b);
            }
        }
    }
    if !line.is_empty() {
        totals.feed_line(&String::from_utf8_lossy(&line));
    }
    child.wait()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lines: &[&str], expect: &str, results: u64) {
        let mut totals = Totals::default();
        for line in lines {
            totals.feed_line(line);
        }
        assert_eq!(totals.line(), expect);
        assert_eq!(totals.results, results);
    }

    #[test]
    fn sums_result_lines() {
        check(
            &[
                "running 3 tests",
                "test a ... ok",
                "test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s",
                "",
                "test result: FAILED. 7 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 12.30s",
                "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
            ],
            "10 passed, 2 failed",
            3,
        );
    }

    #[test]
    fn ignores_other_lines() {
        check(
            &[
                "running 12 tests",
                "test members::passed_10_times ... ok",
                "12 passed, 3 failed",
                "failures:",
            ],
            "0 passed, 0 failed",
            0,
        );
    }

    #[test]
    fn tolerates_prefixes_and_carriage_returns() {
        check(
            &["\u{1b}[32mtest result: ok. 4 passed; 1 failed; 0 ignored\r"],
            "4 passed, 1 failed",
            1,
        );
    }
}
