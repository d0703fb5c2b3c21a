//! Where the register lies, and whether that place is unsafe for it.
//!
//! SQLite's locking does not hold on a network drive, and a sync service
//! (OneDrive, Dropbox, Google Drive, iCloud Drive…) copies the file while it
//! is being written and may bring back an older copy. Neither can be ruled
//! out for certain, so this only detects what can be detected and the shells
//! warn: the window with a banner, the CLI on stderr.

use std::ffi::OsStr;
use std::path::{Component, Path, Prefix};

use serde::Serialize;

/// A place where the register is at risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RiskyPlace {
    /// In a folder a sync service keeps; `service` as people call it.
    Synced { service: String },
    /// On a network drive or share.
    Network,
}

impl RiskyPlace {
    /// What the CLI says (the window says it in the user's language).
    pub fn warning(&self) -> String {
        match self {
            RiskyPlace::Synced { service } => format!(
                "warning: the register is in a folder that {service} keeps in sync; \
                 it can copy the file while Medlem writes and bring back an older copy. \
                 Move the register to a folder on this computer that is not synced, \
                 and keep copies with Medlem's backup instead."
            ),
            RiskyPlace::Network => "warning: the register is on a network drive, where \
                 two computers can write to it at once and damage it. Move the register \
                 to this computer's own disk, and keep copies with Medlem's backup instead."
                .to_owned(),
        }
    }
}

/// Is `path` (the register's file, which need not exist yet) in a risky place?
pub fn risky_place(path: &Path) -> Option<RiskyPlace> {
    synced_folder(path).or_else(|| network_path(path).then_some(RiskyPlace::Network))
}

/// Folder names that sync services make, in lower case, with the name the
/// service goes by. A folder that starts with one of them counts too
/// ("OneDrive - Föreningen", "Dropbox (Personal)").
const SYNCED: &[(&str, &str)] = &[
    ("onedrive", "OneDrive"),
    ("dropbox", "Dropbox"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("icloud drive", "iCloud Drive"),
    ("iclouddrive", "iCloud Drive"),
    // macOS: ~/Library/Mobile Documents/com~apple~CloudDocs is iCloud Drive.
    ("mobile documents", "iCloud Drive"),
    ("com~apple~clouddocs", "iCloud Drive"),
    ("box sync", "Box"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("pcloud drive", "pCloud"),
    ("mega", "MEGA"),
    // Sync.com's folder, and Syncthing's default one.
    ("sync", "Sync.com or Syncthing"),
];

/// The sync service whose folder holds `path`, read off the folder names.
pub fn synced_folder(path: &Path) -> Option<RiskyPlace> {
    let names = path.parent()?.components().filter_map(|c| match c {
        Component::Normal(name) => Some(name),
        _ => None,
    });
    for name in names {
        if let Some(service) = sync_service(name) {
            return Some(RiskyPlace::Synced {
                service: service.to_owned(),
            });
        }
    }
    None
}

fn sync_service(name: &OsStr) -> Option<&'static str> {
    let name = name.to_string_lossy().to_lowercase();
    // macOS keeps File Provider folders in ~/Library/CloudStorage as
    // "OneDrive-Personal", "GoogleDrive-x@y", "Dropbox".
    SYNCED.iter().find_map(|(folder, service)| {
        let rest = name.strip_prefix(folder)?;
        // Whole words only: "Megaphone" and "Synchronised" are not services,
        // but "OneDrive - Föreningen" and "OneDrive-Personal" are.
        (rest.is_empty() || rest.starts_with([' ', '-', '_', '(', '.'])).then_some(*service)
    })
}

/// Is `path` on a network drive or share?
pub fn network_path(path: &Path) -> bool {
    unc(path) || remote_file_system(path)
}

/// A Windows share by name: `\\server\share\…` (also written `//server/…`
/// or `\\?\UNC\server\…`).
fn unc(path: &Path) -> bool {
    if let Some(Component::Prefix(p)) = path.components().next() {
        if matches!(p.kind(), Prefix::UNC(..) | Prefix::VerbatimUNC(..)) {
            return true;
        }
    }
    let text = path.to_string_lossy();
    let verbatim = text.starts_with(r"\\?\") || text.starts_with(r"\\.\");
    (text.starts_with(r"\\") && !verbatim) || text.to_ascii_uppercase().starts_with(r"\\?\UNC\")
}

/// The nearest folder of `path` that exists (the register may not yet).
#[cfg_attr(not(any(unix, windows)), allow(dead_code))]
fn existing_ancestor(path: &Path) -> Option<std::path::PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    absolute
        .ancestors()
        .find(|a| a.exists())
        .map(Path::to_path_buf)
}

/// What `statfs` says of the nearest existing folder of `path`.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn statfs_of(path: &Path) -> Option<libc::statfs> {
    use std::os::unix::ffi::OsStrExt;
    let dir = existing_ancestor(path)?;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: all-zero bytes are a valid `statfs`, which the call fills in.
    let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid C string and `stat` a valid out-parameter.
    (unsafe { libc::statfs(c.as_ptr(), &mut stat) } == 0).then_some(stat)
}

/// Linux: the file system's magic number is a network one.
#[cfg(target_os = "linux")]
fn remote_file_system(path: &Path) -> bool {
    #[allow(clippy::unnecessary_cast)]
    statfs_of(path).is_some_and(|stat| linux_network_magic(stat.f_type as i64))
}

/// NFS, SMB/CIFS (old and new), AFS, Coda, NCP and 9P (a host's folder in a
/// virtual machine).
pub fn linux_network_magic(magic: i64) -> bool {
    const NETWORK: &[i64] = &[
        0x6969,      // NFS
        0x517B,      // SMB
        0xFE53_4D42, // SMB2
        0xFF53_4D42, // CIFS
        0x5346_414F, // AFS
        0x7375_7245, // Coda
        0x564C,      // NCP
    ];
    NETWORK.contains(&(magic & 0xFFFF_FFFF))
}

/// macOS: the file system's type name is a network one.
#[cfg(target_os = "macos")]
fn remote_file_system(path: &Path) -> bool {
    let Some(stat) = statfs_of(path) else {
        return false;
    };
    // SAFETY: the kernel writes a NUL-terminated name into f_fstypename.
    let name = unsafe { std::ffi::CStr::from_ptr(stat.f_fstypename.as_ptr()) };
    matches!(
        name.to_bytes(),
        b"smbfs" | b"nfs" | b"afpfs" | b"webdav" | b"cifs" | b"ftp"
    )
}

/// Windows: the drive's type is "remote" (a mapped network drive).
#[cfg(windows)]
fn remote_file_system(path: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    use windows_sys::Win32::System::WindowsProgramming::DRIVE_REMOTE;
    let Some(dir) = existing_ancestor(path) else {
        return false;
    };
    let Some(Component::Prefix(prefix)) = dir.components().next() else {
        return false;
    };
    let letter = match prefix.kind() {
        Prefix::Disk(l) | Prefix::VerbatimDisk(l) => l,
        Prefix::UNC(..) | Prefix::VerbatimUNC(..) => return true,
        _ => return false,
    };
    let root: Vec<u16> = OsStr::new(&format!("{}:\\", letter as char))
        .encode_wide()
        .chain([0])
        .collect();
    // SAFETY: `root` is a NUL-terminated wide string.
    unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn remote_file_system(_path: &Path) -> bool {
    false
}
