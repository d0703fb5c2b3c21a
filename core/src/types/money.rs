//! Amounts of money: integer minor units (öre, øre), read from what a
//! treasurer types ("8000", "8 000", "8000,50", "8.000,50 kr") and written
//! the way each language writes them.

use super::Language;

/// The largest amount Medlem accepts: 10 000 000 000 kr (a typo guard).
pub const MAX: i64 = 1_000_000_000_000;

/// Reads an amount in kr into minor units. Spaces (also no-break), a
/// trailing "kr" and thousands separators are allowed; the decimal comma
/// (or point) takes at most two digits. Negative or unreadable: `None`.
pub fn parse(s: &str) -> Option<i64> {
    let mut t: String = s
        .trim()
        .trim_end_matches('.')
        .trim_end_matches("kr")
        .trim_end_matches("KR")
        .trim_end_matches("Kr")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    // The decimal mark is the last ',' or '.' followed by 1-2 digits; other
    // marks are thousands separators (groups of three).
    let (whole, frac) = match t.rfind([',', '.']) {
        Some(i) if t.len() - i - 1 <= 2 && t.len() - i > 1 => {
            let frac = t.split_off(i + 1);
            t.pop();
            (t, frac)
        }
        _ => (t, String::new()),
    };
    let groups: Vec<&str> = whole.split([',', '.']).collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    if digits.is_empty() || digits.len() > 13 {
        return None;
    }
    let kr: i64 = digits.parse().ok()?;
    let ore: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    let v = kr.checked_mul(100)?.checked_add(ore)?;
    (v <= MAX).then_some(v)
}

/// Writes `minor` as the language writes kronor: "8 000 kr", "8 000,50 kr"
/// (sv, nb), "8.000,50 kr." (da), "8,000.50 kr" (en).
pub fn format(minor: i64, language: Language) -> String {
    let (group, decimal, unit) = match language {
        Language::Sv | Language::Nb => ('\u{a0}', ',', "kr"),
        Language::Da => ('.', ',', "kr."),
        Language::En => (',', '.', "kr"),
    };
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let kr = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in kr.chars().enumerate() {
        if i > 0 && (kr.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let ore = abs % 100;
    if ore == 0 {
        format!("{sign}{grouped}\u{a0}{unit}")
    } else {
        format!("{sign}{grouped}{decimal}{ore:02}\u{a0}{unit}")
    }
}
