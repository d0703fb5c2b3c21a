//! Reading the values people write in their spreadsheets.
//!
//! Each function turns a cell into the form the member DTO expects; what it
//! cannot understand it passes on unchanged, so validation reports it with
//! the value the user wrote.

use chrono::NaiveDate;

use crate::text::fold;
use crate::types::*;

/// A member number as a spreadsheet may hold it: `1001.0` is `1001`.
pub fn member_number(v: &str) -> String {
    let v = v.trim();
    match v.split_once('.') {
        Some((int, frac))
            if !int.is_empty()
                && int.chars().all(|c| c.is_ascii_digit())
                && !frac.is_empty()
                && frac.chars().all(|c| c == '0') =>
        {
            int.to_owned()
        }
        _ => v.to_owned(),
    }
}

/// A date in a Nordic form as `YYYY-MM-DD`: `2024-03-01`, `1.3.2024`,
/// `01.03.2024`, `01-03-2024`, `1/3/2024` (day first), `20240301`, or an
/// Excel serial day number (`45352`). Anything else is returned as written.
pub fn date(v: &str) -> String {
    let v = v.trim();
    if v.is_empty() {
        return String::new();
    }
    read_date(v)
        .map(|d| d.to_string())
        .unwrap_or_else(|| v.to_owned())
}

fn read_date(v: &str) -> Option<NaiveDate> {
    // `2024-03-01`, `1.3.2024`, `01-03-2024`, `1/3/2024`: as a form reads them.
    if let Some(d) = crate::types::dates::parse_date(v) {
        return Some(d);
    }
    // `2024-03-01 00:00:00` from spreadsheets that keep a time.
    if let Some((day, _)) = v.split_once([' ', 'T']) {
        if let Some(d) = crate::types::dates::parse_date(day) {
            return Some(d);
        }
    }
    if v.len() == 8 && v.chars().all(|c| c.is_ascii_digit()) {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok();
    }
    if (3..=6).contains(&v.len()) && v.chars().all(|c| c.is_ascii_digit()) {
        return super::table::excel_serial_date(v.parse().ok()?);
    }
    None
}

/// Maps a word to a code through a table of (code, words in sv/da/nb/en).
fn word(v: &str, table: &[(&str, &[&str])]) -> String {
    let f = fold(v.trim());
    for (code, words) in table {
        if f == *code || words.iter().any(|w| fold(w) == f) {
            return (*code).to_owned();
        }
    }
    v.trim().to_owned()
}

pub fn status(v: &str) -> Option<Status> {
    Status::parse(&word(
        v,
        &[
            ("active", &["aktiv", "aktivt", "medlem"]),
            (
                "applicant",
                &["sökande", "ansökt", "ansøger", "søker", "søkar", "ny"],
            ),
            (
                "resigned",
                &[
                    "utträdd", "utträtt", "avslutad", "udmeldt", "udtrådt", "utmeldt", "sluttet",
                    "utmeldt",
                ],
            ),
            ("deceased", &["avliden", "död", "afdød", "død", "avdød"]),
        ],
    ))
}

pub fn kind(v: &str) -> String {
    word(
        v,
        &[
            ("member", &["medlem", "medlemmar", "medlemmer"]),
            (
                "prospect",
                &[
                    "prospect",
                    "intressent",
                    "potentiell",
                    "kontakt",
                    "emne",
                    "prospekt",
                ],
            ),
        ],
    )
}

pub fn language(v: &str) -> String {
    word(
        v,
        &[
            ("sv", &["svenska", "swedish", "svensk", "sv-se"]),
            ("da", &["danska", "danish", "dansk", "da-dk"]),
            (
                "nb",
                &["norska", "norwegian", "norsk", "bokmål", "no", "nb-no"],
            ),
            ("en", &["engelska", "english", "engelsk", "en-gb"]),
        ],
    )
}

pub fn membership_type(v: &str) -> String {
    word(
        v,
        &[
            (
                "ordinary",
                &[
                    "ordinarie",
                    "ordinær",
                    "ordinært",
                    "vanlig",
                    "almindelig",
                    "fullt",
                ],
            ),
            ("student", &["studerande", "studerende", "studentmedlem"]),
            ("retired", &["pensionär", "pensionist", "pensjonist"]),
            ("honorary", &["hedersmedlem", "æresmedlem", "æresmedlem"]),
            ("supporting", &["stödmedlem", "støttemedlem", "stöd"]),
        ],
    )
}

/// Country names or codes as ISO codes (`Sverige` → `SE`).
pub fn country(v: &str) -> String {
    word(
        v,
        &[
            ("SE", &["se", "sverige", "sweden", "sverige ", "swe"]),
            ("DK", &["dk", "danmark", "denmark"]),
            ("NO", &["no", "norge", "norway", "noreg"]),
            ("FI", &["fi", "finland", "suomi"]),
            ("IS", &["is", "island", "iceland", "ísland"]),
        ],
    )
}

/// Roles as export writes them: `chair 2020-01-01..2022-12-31; auditor 2024-01-01..`.
/// `None` when the cell cannot be read; an empty cell is no roles.
pub fn roles(v: &str) -> Option<Vec<RoleInput>> {
    let mut out = Vec::new();
    for part in v.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (role, term) = part.split_once(' ')?;
        let (from, to) = term.trim().split_once("..")?;
        out.push(RoleInput {
            id: None,
            role: role.trim().to_owned(),
            from: date(from),
            to: Some(date(to)).filter(|t| !t.is_empty()),
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(date(input), expect, "date({input:?})");
    }

    #[test]
    fn nordic_dates() {
        check("2024-03-01", "2024-03-01");
        check("01.03.2024", "2024-03-01");
        check("1.3.2024", "2024-03-01");
        check("01-03-2024", "2024-03-01");
        check("1/3/2024", "2024-03-01");
        check("20240301", "2024-03-01");
        check("45352", "2024-03-01");
        check("2024-03-01 00:00:00", "2024-03-01");
        check("31.02.2024", "31.02.2024");
        check("igår", "igår");
        check("", "");
    }

    #[test]
    fn numbers_and_guards() {
        assert_eq!(member_number("1001.0"), "1001");
        assert_eq!(member_number("0150"), "0150");
        assert_eq!(member_number("A-1.0"), "A-1.0");
    }

    #[test]
    fn words() {
        assert_eq!(status("Utträdd"), Some(Status::Resigned));
        assert_eq!(status("UDMELDT"), Some(Status::Resigned));
        assert_eq!(status("resigned"), Some(Status::Resigned));
        assert_eq!(status("vip"), None);
        assert_eq!(language("Norsk"), "nb");
        assert_eq!(country("Sverige"), "SE");
        assert_eq!(membership_type("Pensionär"), "retired");
    }

    #[test]
    fn role_cells() {
        let r = roles("chair 2020-01-01..2022-12-31; shop_steward 01.01.2024..").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[1].from.as_str(), r[1].to.as_deref()),
            ("2024-01-01", None)
        );
        assert_eq!(roles("").unwrap(), vec![]);
        assert_eq!(roles("chair"), None);
    }
}
