//! The Windows installer, tested the way a treasurer meets it: a 64-bit PE
//! file that holds the program, installed silently under Wine for the
//! current user (files, Start-menu shortcut, the uninstall entry in Apps &
//! features), the installed `medlem-cli.exe` run on a register in a folder
//! with å ä ö, then uninstalled: the program gone, the register kept.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::summary::Totals;
use crate::windows::{wine_env, wine_prefix};
use crate::{header, Failure};

/// What the installer puts in the install folder.
pub const INSTALLED: &[&str] = &[
    "medlem.exe",
    "medlem-cli.exe",
    "WebView2Loader.dll",
    "uninstall.exe",
];

/// Apps & features reads the uninstall entry from here (per user).
pub const UNINSTALL_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Medlem";

/// The PE machine type of x86-64.
const AMD64: u16 = 0x8664;

/// The machine type of a PE file (`MZ` header, then `PE\0\0` at the offset
/// stored at 0x3c), or why `bytes` is not one.
pub fn pe_machine(bytes: &[u8]) -> Result<u16, String> {
    if bytes.get(..2) != Some(b"MZ") {
        return Err("it does not start with MZ: not a Windows program".into());
    }
    let at = bytes
        .get(0x3c..0x40)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
        .ok_or("its DOS header is cut short")?;
    if bytes.get(at..at + 4) != Some(b"PE\0\0") {
        return Err(format!("no PE signature at {at:#x}"));
    }
    bytes
        .get(at + 4..at + 6)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or_else(|| "its PE header is cut short".into())
}

/// From `7z l -slt`: the archive's type and the paths of the files it holds.
pub fn archive_listing(slt: &str) -> (Option<String>, Vec<String>) {
    let mut kind = None;
    let mut paths = Vec::new();
    // The archive's own block comes first and ends at the `----------` line.
    let mut in_files = false;
    for line in slt.lines().map(str::trim_end) {
        if line.starts_with("----------") {
            in_files = true;
        } else if let Some(value) = line.strip_prefix("Path = ") {
            if in_files {
                paths.push(value.to_owned());
            }
        } else if let Some(value) = line.strip_prefix("Type = ") {
            if !in_files {
                kind = Some(value.to_owned());
            }
        }
    }
    (kind, paths)
}

/// One value of `reg query KEY`: `    Name    REG_SZ    data`.
pub fn reg_value(query: &str, name: &str) -> Option<String> {
    query.lines().find_map(|line| {
        let mut parts = line.trim().splitn(3, "    ");
        let (n, _kind, data) = (parts.next()?, parts.next()?, parts.next()?);
        (n == name).then(|| data.trim().to_owned())
    })
}

/// Wine in the test prefix, quiet.
struct Wine {
    prefix: PathBuf,
}

impl Wine {
    fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(wine_env(&self.prefix));
        cmd
    }

    fn run(&self, args: &[&str]) -> Result<Output, Failure> {
        self.command("wine")
            .args(args)
            .output()
            .map_err(|e| Failure::new(format!("could not start wine: {e}"), 1))
    }

    /// Waits until every process in the prefix has ended (the NSIS
    /// uninstaller copies itself to a temp folder and runs from there).
    fn settle(&self) -> Result<(), Failure> {
        self.command("wineserver")
            .arg("-w")
            .status()
            .map_err(|e| Failure::new(format!("could not start wineserver: {e}"), 1))
            .map(drop)
    }

    /// A Windows environment variable, e.g. `LOCALAPPDATA`.
    fn var(&self, name: &str) -> Result<String, Failure> {
        let out = self.run(&["cmd", "/c", "echo", &format!("%{name}%")])?;
        let value = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if value.is_empty() || value.contains('%') {
            return Err(Failure::new(format!("Wine has no %{name}%"), 1));
        }
        Ok(value)
    }

    /// The Linux path of a Windows path in the prefix.
    fn unix_path(&self, windows: &str) -> Result<PathBuf, Failure> {
        let out = self
            .command("winepath")
            .args(["-u", windows])
            .output()
            .map_err(|e| Failure::new(format!("could not start winepath: {e}"), 1))?;
        let path = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        if !out.status.success() || path.is_empty() {
            return Err(Failure::new(format!("winepath cannot place {windows}"), 1));
        }
        Ok(PathBuf::from(path))
    }

    fn uninstall_entry(&self) -> Result<Option<String>, Failure> {
        let out = self.run(&["reg", "query", UNINSTALL_KEY])?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned()))
    }
}

/// Counts checks as they pass; the first that fails ends the test.
struct Checks<'a> {
    totals: &'a mut Totals,
    passed: u64,
}

impl Checks<'_> {
    fn check(&mut self, what: &str, result: Result<(), String>) -> Result<(), Failure> {
        match result {
            Ok(()) => {
                println!("    ok      {what}");
                self.passed += 1;
                self.totals.passed += 1;
                Ok(())
            }
            Err(why) => {
                println!("    FAILED  {what}: {why}");
                self.totals.failed += 1;
                Err(Failure::new(format!("the installer: {what}: {why}"), 1))
            }
        }
    }
}

fn expect(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

/// Runs every check on `installer` (made from the version `version`).
pub fn test(installer: &Path, version: &str, totals: &mut Totals) -> Result<(), Failure> {
    header(&format!(
        "install, use and uninstall {} under Wine",
        installer.display()
    ));
    let mut checks = Checks { totals, passed: 0 };
    let bytes = std::fs::read(installer)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", installer.display()), 1))?;
    checks.check(
        "it is a 64-bit Windows program",
        pe_machine(&bytes)
            .and_then(|m| expect(m == AMD64, || format!("machine type {m:#06x}, not x86-64"))),
    )?;
    drop(bytes);

    let listed = Command::new("7z")
        .args(["l", "-slt"])
        .arg(installer)
        .output()
        .map_err(|e| Failure::new(format!("could not start 7z: {e}"), 1))?;
    let (kind, paths) = archive_listing(&String::from_utf8_lossy(&listed.stdout));
    checks.check(
        "7z reads it as an NSIS installer holding the program and its uninstaller",
        expect(kind.as_deref() == Some("Nsis"), || {
            format!("7z says {kind:?}")
        })
        .and_then(|()| {
            let missing: Vec<_> = INSTALLED
                .iter()
                .filter(|f| !paths.iter().any(|p| p == *f))
                .collect();
            expect(missing.is_empty(), || {
                format!("{missing:?} missing from {paths:?}")
            })
        }),
    )?;

    let wine = Wine {
        prefix: wine_prefix()?,
    };
    let local = wine.var("LOCALAPPDATA")?;
    let roaming = wine.var("APPDATA")?;
    let install_win = format!(r"{local}\Programs\Medlem");
    let install_dir = wine.unix_path(&install_win)?;
    let shortcut = wine
        .unix_path(&format!(r"{roaming}\Microsoft\Windows\Start Menu\Programs"))?
        .join("Medlem.lnk");
    // What an interrupted earlier run left behind.
    let _ = std::fs::remove_dir_all(&install_dir);
    let _ = std::fs::remove_file(&shortcut);
    let _ = wine.run(&["reg", "delete", UNINSTALL_KEY, "/f"])?;

    let setup = wine.run(&[&installer.display().to_string(), "/S"])?;
    wine.settle()?;
    checks.check(
        "a silent install (/S) ends well",
        expect(setup.status.success(), || format!("{}", setup.status)),
    )?;
    checks.check(
        r"the files are in %LOCALAPPDATA%\Programs\Medlem (no administrator)",
        {
            let missing: Vec<_> = INSTALLED
                .iter()
                .filter(|f| !install_dir.join(f).is_file())
                .collect();
            expect(missing.is_empty(), || {
                format!("{missing:?} not in {}", install_dir.display())
            })
        },
    )?;
    checks.check(
        "the Start menu has a shortcut",
        expect(shortcut.is_file(), || format!("no {}", shortcut.display())),
    )?;
    let entry = wine.uninstall_entry()?.unwrap_or_default();
    checks.check(
        "Apps & features lists it, with its version and uninstaller",
        {
            let wanted = [
                ("DisplayName", "Medlem".to_owned()),
                ("DisplayVersion", version.to_owned()),
                ("InstallLocation", install_win.clone()),
                (
                    "UninstallString",
                    format!(r#""{install_win}\uninstall.exe""#),
                ),
                (
                    "QuietUninstallString",
                    format!(r#""{install_win}\uninstall.exe" /S"#),
                ),
            ];
            let wrong: Vec<_> = wanted
                .iter()
                .filter(|(name, value)| reg_value(&entry, name).as_ref() != Some(value))
                .map(|(name, _)| *name)
                .collect();
            expect(wrong.is_empty(), || format!("{wrong:?} wrong in:\n{entry}"))
        },
    )?;

    // The installed CLI, on a register where the app keeps it, in a folder
    // with Nordic letters.
    let register_folder_win = format!(r"{roaming}\se.medlem.desktop\Förening Öst");
    let register_folder = wine.unix_path(&register_folder_win)?;
    let _ = std::fs::remove_dir_all(&register_folder);
    std::fs::create_dir_all(&register_folder)
        .map_err(|e| Failure::new(format!("cannot make {}: {e}", register_folder.display()), 1))?;
    let db = format!(r"{register_folder_win}\medlem.sqlite");
    let cli = format!(r"{install_win}\medlem-cli.exe");
    let run_cli = |args: &[&str]| -> Result<Result<String, String>, Failure> {
        let mut all = vec![cli.as_str(), "--db", db.as_str()];
        all.extend_from_slice(args);
        let out = wine.run(&all)?;
        Ok(if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!(
                "medlem-cli {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ))
        })
    };
    let mut found = Ok(String::new());
    for args in [
        &["org", "init", "--name", "Förening Öst", "--country", "SE"][..],
        &["members", "add", "--first", "Åsa", "--last", "Östlund"],
        &["members", "--search", "öst", "--json"],
    ] {
        found = run_cli(args)?;
        if found.is_err() {
            break;
        }
    }
    checks.check(
        r"the installed medlem-cli makes a register in C:\…\Förening Öst and finds Åsa Östlund by öst",
        found.and_then(|json| {
            expect(
                json.contains(r#""firstName": "Åsa""#) && json.contains(r#""lastName": "Östlund""#),
                || format!("not found in:\n{json}"),
            )
        }),
    )?;

    let uninstall = wine.run(&[&format!(r"{install_win}\uninstall.exe"), "/S"])?;
    wine.settle()?;
    let after = wine.uninstall_entry()?;
    checks.check(
        "a silent uninstall removes the program, the shortcut and the Apps & features entry",
        expect(uninstall.status.success(), || {
            format!("{}", uninstall.status)
        })
        .and_then(|()| {
            let left: Vec<String> = INSTALLED
                .iter()
                .map(|f| install_dir.join(f))
                .chain([shortcut.clone()])
                .filter(|p| p.exists())
                .map(|p| p.display().to_string())
                .collect();
            expect(left.is_empty() && after.is_none(), || {
                format!("left behind: {left:?}, entry: {after:?}")
            })
        }),
    )?;
    let register = register_folder.join("medlem.sqlite");
    checks.check(
        "the register is still there after the uninstall",
        expect(register.is_file(), || {
            format!("{} is gone", register.display())
        }),
    )?;
    let _ = std::fs::remove_dir_all(&register_folder);
    checks.totals.results += 1;
    println!("    installer: {} checks passed", checks.passed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_pe_machine_type() {
        let mut exe = vec![0u8; 0x100];
        exe[..2].copy_from_slice(b"MZ");
        exe[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        exe[0x80..0x84].copy_from_slice(b"PE\0\0");
        exe[0x84..0x86].copy_from_slice(&AMD64.to_le_bytes());
        assert_eq!(pe_machine(&exe), Ok(AMD64));
        exe[0x84..0x86].copy_from_slice(&0x014cu16.to_le_bytes());
        assert_eq!(pe_machine(&exe), Ok(0x014c));
        exe[0x80] = b'X';
        assert!(pe_machine(&exe).unwrap_err().contains("no PE signature"));
        assert!(pe_machine(b"PK\x03\x04").unwrap_err().contains("MZ"));
        assert!(pe_machine(b"MZ").unwrap_err().contains("cut short"));
    }

    #[test]
    fn reads_a_7z_listing() {
        let slt = "Listing archive: x.exe\n\n--\nPath = x.exe\nType = Nsis\n\
                   Method = Deflate\n\n----------\nPath = $PLUGINSDIR/System.dll\n\
                   Size = 29696\n\nPath = medlem.exe\nSize = 1\n\nPath = uninstall.exe\n";
        let (kind, paths) = archive_listing(slt);
        assert_eq!(kind.as_deref(), Some("Nsis"));
        assert_eq!(
            paths,
            ["$PLUGINSDIR/System.dll", "medlem.exe", "uninstall.exe"]
        );
        assert_eq!(archive_listing("garbage"), (None, vec![]));
    }

    #[test]
    fn reads_reg_query_values() {
        let out = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Medlem\r\n\
                   \x20   DisplayVersion    REG_SZ    0.1.0\r\n\
                   \x20   QuietUninstallString    REG_SZ    \"C:\\users\\a b\\uninstall.exe\" /S\r\n";
        assert_eq!(reg_value(out, "DisplayVersion").as_deref(), Some("0.1.0"));
        assert_eq!(
            reg_value(out, "QuietUninstallString").as_deref(),
            Some(r#""C:\users\a b\uninstall.exe" /S"#)
        );
        assert_eq!(reg_value(out, "Display"), None);
    }
}
