//! Whether the register lies in a place that is unsafe for it.

use std::path::Path;

use medlem_core::place::{self, RiskyPlace};

fn synced(service: &str) -> Option<RiskyPlace> {
    Some(RiskyPlace::Synced {
        service: service.into(),
    })
}

#[test]
fn a_register_in_a_sync_services_folder_is_named_with_the_service() {
    let cases = [
        (r"C:\Users\Kim\OneDrive\Förening\medlem.sqlite", "OneDrive"),
        (
            r"C:\Users\Kim\OneDrive - Fackklubben\medlem.sqlite",
            "OneDrive",
        ),
        (
            "/Users/kim/Library/CloudStorage/OneDrive-Personal/r.sqlite",
            "OneDrive",
        ),
        ("/home/kim/Dropbox/förening/r.sqlite", "Dropbox"),
        (r"D:\Dropbox (Personal)\r.sqlite", "Dropbox"),
        (
            "/Users/kim/Library/CloudStorage/GoogleDrive-kim@x.se/My Drive/r.sqlite",
            "Google Drive",
        ),
        (r"G:\My Drive\Medlem\r.sqlite", "Google Drive"),
        (
            "/Users/kim/Library/Mobile Documents/com~apple~CloudDocs/r.sqlite",
            "iCloud Drive",
        ),
        (r"C:\Users\Kim\iCloudDrive\r.sqlite", "iCloud Drive"),
        ("/home/kim/Nextcloud/r.sqlite", "Nextcloud"),
    ];
    for (path, service) in cases {
        // Windows paths are only split at `\` on Windows; the same names
        // written with `/` are what every system splits.
        let path = if cfg!(windows) {
            path.to_owned()
        } else {
            path.replace('\\', "/")
        };
        assert_eq!(
            place::synced_folder(Path::new(&path)),
            synced(service),
            "{path}"
        );
        assert_eq!(
            place::risky_place(Path::new(&path)),
            synced(service),
            "{path}"
        );
    }
}

#[test]
fn ordinary_folders_and_look_alike_names_are_not_synced() {
    for path in [
        "/home/kim/.local/share/se.medlem.desktop/medlem.sqlite",
        "/home/kim/Documents/Megafon/r.sqlite",
        "/home/kim/Synchronised/r.sqlite",
        "/home/kim/OneDriveTemp/r.sqlite",
        // The file's own name is not a folder.
        "/home/kim/dropbox.sqlite",
        "medlem.sqlite",
    ] {
        assert_eq!(place::synced_folder(Path::new(path)), None, "{path}");
    }
}

#[test]
fn a_windows_share_is_a_network_place() {
    for path in [
        r"\\kontoret\delat\medlem.sqlite",
        r"\\?\UNC\kontoret\delat\medlem.sqlite",
    ] {
        assert!(place::network_path(Path::new(path)), "{path}");
        assert_eq!(
            place::risky_place(Path::new(path)),
            Some(RiskyPlace::Network)
        );
    }
    assert!(!place::network_path(Path::new(
        r"\\?\C:\Users\Kim\medlem.sqlite"
    )));
}

#[test]
fn a_folder_on_this_computer_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    // Neither the file nor its folder needs to exist yet.
    let db = dir.path().join("ny mapp").join("medlem.sqlite");
    assert_eq!(place::risky_place(&db), None);
    assert!(!place::network_path(dir.path()));
}

#[test]
fn network_file_systems_are_known_by_their_magic_number() {
    // NFS, SMB2 and CIFS as Linux's statfs reports them (f_type may be a
    // sign-extended 32-bit value on some architectures).
    assert!(place::linux_network_magic(0x6969));
    assert!(place::linux_network_magic(0xFE53_4D42));
    assert!(place::linux_network_magic(0xFFFF_FFFF_FF53_4D42_u64 as i64));
    // ext4, btrfs, tmpfs, overlayfs are local.
    for local in [0xEF53, 0x9123_683E, 0x0102_1994, 0x794C_7630] {
        assert!(!place::linux_network_magic(local), "{local:#x}");
    }
}

#[test]
fn the_warnings_say_what_to_do() {
    let w = synced("OneDrive").unwrap().warning();
    assert!(
        w.contains("OneDrive") && w.contains("Move the register"),
        "{w}"
    );
    let w = RiskyPlace::Network.warning();
    assert!(
        w.contains("network drive") && w.contains("Move the register"),
        "{w}"
    );
}
