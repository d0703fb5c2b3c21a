//! `cargo xtask screenshot [--out PATH]`: the Members area with one member
//! selected, on a small register made with the CLI, saved as a PNG for the README.

use std::path::PathBuf;

use medlem_e2e::fixtures::{cli, temp_db};
use medlem_e2e::{workspace, App};

/// (first, last, city) — a small register that looks like a real club's.
const MEMBERS: &[(&str, &str, &str)] = &[
    ("Åsa", "Östlund", "Kiruna"),
    ("Lars", "Nilsson", "Luleå"),
    ("Karin", "Lindqvist", "Umeå"),
    ("Mikael", "Johansson", "Skellefteå"),
    ("Sofia", "Berg", "Luleå"),
    ("Erik", "Holm", "Boden"),
    ("Leila", "Haddad", "Luleå"),
    ("Jonas", "Åkesson", "Piteå"),
];

fn main() {
    let mut out = workspace().join("docs").join("screenshot.png");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().expect("--out needs a path")),
            other => panic!("unknown argument {other:?} (usage: medlem-screenshot [--out PATH])"),
        }
    }

    let (_dir, db) = temp_db();
    cli(
        &db,
        &[
            "org",
            "init",
            "--name",
            "Fackklubben Verkstaden",
            "--country",
            "SE",
        ],
    );
    for (first, last, city) in MEMBERS {
        let email = format!(
            "{}.{}@example.se",
            ascii(first).to_lowercase(),
            ascii(last).to_lowercase()
        );
        cli(
            &db,
            &[
                "members", "add", "--first", first, "--last", last, "--city", city, "--email",
                &email,
            ],
        );
    }

    let app = App::launch(&db);
    app.wait_count("member-row", MEMBERS.len());
    app.click_containing("member-row", "Östlund");
    app.wait_text_contains("detail-name", "Östlund");
    app.screenshot_to(&out);
    app.close();
    println!("{}", out.display());
}

/// "Åkesson" -> "Akesson", for example addresses.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'å' | 'ä' | 'à' => 'a',
            'Å' | 'Ä' => 'A',
            'ö' | 'ø' => 'o',
            'Ö' | 'Ø' => 'O',
            other => other,
        })
        .collect()
}
