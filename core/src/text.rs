//! Folding text for search and sorting the Nordic way.
//!
//! Search is case-insensitive for every letter (Å/å, Ä/ä, Ö/ö, Æ/æ, Ø/ø too),
//! keeps å ä ö æ ø distinct letters (a Swede typing `ost` does not mean
//! Östlund), and lets accented foreign letters match their base letter
//! (é → e, ü → u).

use crate::types::Country;

/// Lower-cases and strips foreign accents, keeping å ä ö æ ø.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        for l in c.to_lowercase() {
            match fold_char(l) {
                Folded::One(f) => out.push(f),
                Folded::Two(a, b) => {
                    out.push(a);
                    out.push(b);
                }
            }
        }
    }
    out
}

enum Folded {
    One(char),
    Two(char, char),
}

fn fold_char(c: char) -> Folded {
    let f = match c {
        'à' | 'á' | 'â' | 'ã' | 'ā' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ð' | 'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => return Folded::Two('s', 's'),
        'þ' => return Folded::Two('t', 'h'),
        other => other,
    };
    Folded::One(f)
}

/// Splits a search query into folded words, the way the FTS tokenizer splits
/// the indexed text (on everything that is not a letter or digit).
pub fn search_words(query: &str) -> Vec<String> {
    fold(searched(query))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .map(str::to_owned)
        .collect()
}

/// The most of a search that is read: a pasted page or a hostile string of
/// 100 000 characters searches like its first 200 (and 16 words).
pub const MAX_SEARCH_CHARS: usize = 200;
pub const MAX_SEARCH_WORDS: usize = 16;

/// The part of a search that is read: trimmed, at most
/// [`MAX_SEARCH_CHARS`] characters.
pub fn searched(query: &str) -> &str {
    let q = query.trim();
    match q.char_indices().nth(MAX_SEARCH_CHARS) {
        Some((at, _)) => q[..at].trim_end(),
        None => q,
    }
}

/// An FTS5 MATCH expression: every word as a quoted prefix, all required.
/// Quoting makes any user text safe inside the expression.
pub fn fts_query(query: &str) -> Option<String> {
    let words = search_words(query);
    if words.is_empty() {
        return None;
    }
    Some(
        words
            .iter()
            .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// A key that sorts names in the order of the organisation's alphabet:
/// Swedish `… x y z å ä ö`, Danish and Norwegian `… x y z æ ø å`.
pub fn sort_key(s: &str, country: Country) -> String {
    fold(s)
        .chars()
        .map(|c| match (country, c) {
            (Country::Se, 'å') => '{',
            (Country::Se, 'ä' | 'æ') => '|',
            (Country::Se, 'ö' | 'ø') => '}',
            (_, 'æ' | 'ä') => '{',
            (_, 'ø' | 'ö') => '|',
            (_, 'å') => '}',
            (_, c) => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(fold(input), expect, "fold({input:?})");
    }

    #[test]
    fn folding() {
        check("Östlund", "östlund");
        check("ÅSA ÆRØ", "åsa ærø");
        check("Émile Müller", "emile muller");
        check("Straße", "strasse");
        check("<img src=x>", "<img src=x>");
    }

    #[test]
    fn query_words() {
        assert_eq!(
            search_words("  Öst-lund  anna@ex.se "),
            ["öst", "lund", "anna", "ex", "se"]
        );
        assert_eq!(fts_query("\"); DROP"), Some("\"drop\"*".to_owned()));
        assert_eq!(fts_query(" - "), None);
    }

    #[test]
    fn nordic_order() {
        let mut se = vec!["Östlund", "Åberg", "Ärlig", "Zorn"];
        se.sort_by_key(|s| sort_key(s, Country::Se));
        assert_eq!(se, ["Zorn", "Åberg", "Ärlig", "Östlund"]);
        let mut dk = vec!["Ågård", "Ørsted", "Ærø", "Zealand"];
        dk.sort_by_key(|s| sort_key(s, Country::Dk));
        assert_eq!(dk, ["Zealand", "Ærø", "Ørsted", "Ågård"]);
    }
}
