//! Addresses the way the post of the recipient's country expects them:
//! name, c/o, street lines, postcode and city on one line, and a country
//! line (in capitals, in the sender's language) only for abroad.

use crate::types::PostalAddress;

/// The lines to print for `name` at `a`, empty ones left out.
pub fn lines(
    name: &str,
    a: &PostalAddress,
    sender_country: &str,
    sender_language: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |s: String| {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !s.is_empty() {
            out.push(s);
        }
    };
    push(name.to_owned());
    if !a.care_of.trim().is_empty() {
        let c = a.care_of.trim();
        if c.to_lowercase().starts_with("c/o") {
            push(c.to_owned());
        } else {
            push(format!("c/o {c}"));
        }
    }
    push(a.address1.clone());
    push(a.address2.clone());
    let country = a.country.trim().to_uppercase();
    let abroad = !country.is_empty() && country != sender_country.to_uppercase();
    let postcode = a.postcode.trim();
    let postcode = if country == "SE" || (country.is_empty() && sender_country == "SE") {
        swedish_postcode(postcode)
    } else {
        postcode.to_owned()
    };
    push(format!("{postcode} {}", a.city.trim()));
    if abroad {
        push(country_name(&country, sender_language).to_uppercase());
    }
    out
}

/// `21122` → `211 22` (the Swedish post's form); anything else as it is.
fn swedish_postcode(p: &str) -> String {
    let digits: String = p.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 5 && digits.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {}", &digits[..3], &digits[3..])
    } else {
        p.to_owned()
    }
}

/// The country's name in the sender's language (the post of the sending
/// country reads the country line).
pub fn country_name(code: &str, language: &str) -> String {
    let names: &[(&str, [&str; 4])] = &[
        // code, [sv, da, nb, en]
        ("SE", ["Sverige", "Sverige", "Sverige", "Sweden"]),
        ("DK", ["Danmark", "Danmark", "Danmark", "Denmark"]),
        ("NO", ["Norge", "Norge", "Norge", "Norway"]),
        ("FI", ["Finland", "Finland", "Finland", "Finland"]),
        ("IS", ["Island", "Island", "Island", "Iceland"]),
        ("DE", ["Tyskland", "Tyskland", "Tyskland", "Germany"]),
        (
            "GB",
            [
                "Storbritannien",
                "Storbritannien",
                "Storbritannia",
                "United Kingdom",
            ],
        ),
        ("PL", ["Polen", "Polen", "Polen", "Poland"]),
        (
            "NL",
            ["Nederländerna", "Nederlandene", "Nederland", "Netherlands"],
        ),
        ("FR", ["Frankrike", "Frankrig", "Frankrike", "France"]),
        ("ES", ["Spanien", "Spanien", "Spania", "Spain"]),
        ("EE", ["Estland", "Estland", "Estland", "Estonia"]),
        ("LT", ["Litauen", "Litauen", "Litauen", "Lithuania"]),
        ("LV", ["Lettland", "Letland", "Latvia", "Latvia"]),
        ("US", ["USA", "USA", "USA", "United States"]),
    ];
    let i = match language {
        "sv" => 0,
        "da" => 1,
        "nb" => 2,
        _ => 3,
    };
    names
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| n[i].to_owned())
        .unwrap_or_else(|| code.to_owned())
}
