//! The bundled fonts and text measuring by the fonts' own glyph advances
//! (printpdf applies no kerning, so these are the widths that get printed).
//!
//! Each weight is a stack of two fonts: Liberation Sans 2 (SIL OFL 1.1), and
//! for what it lacks DejaVu Sans 2.37 (Bitstream Vera licence), which covers
//! the Latin, Greek, Cyrillic, Armenian and Georgian letters members' names
//! hold. An emoji neither has is printed as U+FFFD and the invisible parts
//! of emoji sequences (joiners, variation selectors, skin tones, tags) are
//! left out; anything else neither font has is refused by the caller
//! ([`Face::missing`]), as are right-to-left scripts, which printpdf would
//! print in the wrong order.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_properties::{emoji, UnicodeEmoji};

pub const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");
pub const FALLBACK_REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
pub const FALLBACK_BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// What an emoji no font has is printed as.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Which font of a weight's stack prints a piece of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Primary,
    Fallback,
}

/// One font file: advances of every character it maps, in 1/1000 em.
struct Metrics {
    advances: HashMap<char, f32>,
    /// The first 0x250 characters (Latin) without hashing.
    latin: Vec<Option<f32>>,
    ascender: f32,
    descender: f32,
}

impl Metrics {
    fn load(bytes: &[u8], keep: impl Fn(char) -> bool) -> Metrics {
        let face = ttf_parser::Face::parse(bytes, 0).expect("the bundled font parses");
        let upem = f32::from(face.units_per_em());
        let mut advances = HashMap::new();
        if let Some(cmap) = face.tables().cmap {
            for sub in cmap.subtables {
                if !sub.is_unicode() {
                    continue;
                }
                sub.codepoints(|cp| {
                    if let (Some(c), Some(g)) = (char::from_u32(cp), sub.glyph_index(cp)) {
                        if g.0 != 0 && keep(c) {
                            let adv = face.glyph_hor_advance(g).unwrap_or(0);
                            advances.insert(c, f32::from(adv) * 1000.0 / upem);
                        }
                    }
                });
            }
        }
        let latin = (0..0x250u32)
            .map(|cp| char::from_u32(cp).and_then(|c| advances.get(&c).copied()))
            .collect();
        Metrics {
            advances,
            latin,
            ascender: f32::from(face.ascender()) * 1000.0 / upem,
            descender: f32::from(face.descender()) * 1000.0 / upem,
        }
    }

    fn advance(&self, c: char) -> Option<f32> {
        let cp = c as usize;
        if cp < self.latin.len() {
            self.latin[cp]
        } else {
            self.advances.get(&c).copied()
        }
    }
}

/// A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko, …).
fn right_to_left(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// A part of an emoji sequence that shows nothing by itself.
fn invisible_in_emoji(c: char) -> bool {
    emoji::is_zwj(c)
        || emoji::is_emoji_presentation_selector(c)
        || emoji::is_text_presentation_selector(c)
        || emoji::is_tag_character(c)
        || ('\u{1F3FB}'..='\u{1F3FF}').contains(&c)
}

/// How one character is printed.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Printed {
    By(Source, char, f32),
    Nothing,
    Missing,
}

/// One weight: the two fonts of its stack.
pub struct Face {
    primary: Metrics,
    fallback: Metrics,
    replacement: f32,
    pub ascender: f32,
    pub descender: f32,
}

impl Face {
    fn load(primary: &[u8], fallback: &[u8]) -> Face {
        let primary = Metrics::load(primary, |c| !right_to_left(c));
        let fallback = Metrics::load(fallback, |c| !right_to_left(c));
        let replacement = fallback
            .advance(REPLACEMENT)
            .expect("the fallback font has U+FFFD");
        Face {
            ascender: primary.ascender,
            descender: primary.descender,
            primary,
            fallback,
            replacement,
        }
    }

    fn printed(&self, c: char) -> Printed {
        if c.is_control() || invisible_in_emoji(c) {
            Printed::Nothing
        } else if let Some(a) = self.primary.advance(c) {
            Printed::By(Source::Primary, c, a)
        } else if let Some(a) = self.fallback.advance(c) {
            Printed::By(Source::Fallback, c, a)
        } else if c.is_emoji_char() || emoji::is_regional_indicator(c) {
            Printed::By(Source::Fallback, REPLACEMENT, self.replacement)
        } else {
            Printed::Missing
        }
    }

    /// What `s` prints as: each character with its font and advance (1/1000
    /// em). An emoji sequence (people joined by U+200D, a flag's two
    /// regional indicators) no font has is one replacement.
    fn shown<'a>(&'a self, s: &'a str) -> impl Iterator<Item = (Source, char, f32)> + 'a {
        let mut after_emoji = false; // the last thing shown was a replaced emoji
        let mut joining = false; // … and a joiner followed it
        let mut flag_open = false; // a regional indicator waits for its pair
        s.chars().filter_map(move |c| {
            if emoji::is_zwj(c) {
                joining = after_emoji;
                return None;
            }
            let printed = self.printed(c);
            let replaced = matches!(printed, Printed::By(_, REPLACEMENT, _)) && c != REPLACEMENT;
            let pair = replaced && emoji::is_regional_indicator(c) && flag_open;
            flag_open = replaced && emoji::is_regional_indicator(c) && !flag_open;
            match printed {
                Printed::Nothing | Printed::Missing => None,
                Printed::By(..) if replaced && (joining || pair) => {
                    joining = false;
                    None
                }
                Printed::By(source, shown, advance) => {
                    after_emoji = replaced;
                    joining = false;
                    Some((source, shown, advance))
                }
            }
        })
    }

    /// Width of `s` at `size` points, in points. Characters no font has
    /// count as zero (callers check [`Face::missing`] first).
    pub fn width(&self, s: &str, size: f32) -> f32 {
        self.shown(s).map(|(_, _, a)| a).sum::<f32>() * size / 1000.0
    }

    /// The first character of `s` that no font of the stack can print.
    pub fn missing(&self, s: &str) -> Option<char> {
        s.chars().find(|c| self.printed(*c) == Printed::Missing)
    }

    /// `s` as it is printed, in one string (what the window's preview shows).
    pub fn printed_text(&self, s: &str) -> String {
        self.shown(s).map(|(_, c, _)| c).collect()
    }

    /// `s` in runs of one font each, as they are printed: an emoji no font
    /// has replaced, the invisible parts of emoji sequences left out.
    pub fn runs(&self, s: &str) -> Vec<(Source, String)> {
        let mut runs: Vec<(Source, String)> = Vec::new();
        for (source, shown, _) in self.shown(s) {
            match runs.last_mut() {
                Some((last, text)) if *last == source => text.push(shown),
                _ => runs.push((source, shown.to_string())),
            }
        }
        runs
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| Fonts {
            regular: Face::load(REGULAR_TTF, FALLBACK_REGULAR_TTF),
            bold: Face::load(BOLD_TTF, FALLBACK_BOLD_TTF),
        })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn liberation_prints_latin_and_dejavu_the_rest() {
        let f = &Fonts::get().regular;
        assert_eq!(
            f.runs("Åsa Ωμέγα Жанна"),
            vec![(Source::Primary, "Åsa Ωμέγα Жанна".to_owned()),],
            "Liberation Sans has Greek and Cyrillic"
        );
        let runs = f.runs("Anna Ⴀ ա");
        assert!(runs.iter().any(|(s, _)| *s == Source::Fallback), "{runs:?}");
        assert_eq!(f.missing("Anna Ⴀ ա"), None);
    }

    #[test]
    fn an_emoji_becomes_one_replacement_and_sequences_one() {
        let f = &Fonts::get().bold;
        // A family: three people joined by ZWJ; a thumbs up with a skin tone.
        let text = "Anna \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{1F44D}\u{1F3FD}!";
        assert_eq!(f.missing(text), None);
        let printed: String = f.runs(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(printed, "Anna \u{FFFD} \u{FFFD}!");
        let flags: String = f
            .runs("\u{1F1F8}\u{1F1EA}\u{1F1F3}\u{1F1F4}")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(flags, "\u{FFFD}\u{FFFD}", "two flags");
        assert!(f.width(text, 10.0) > f.width("Anna  !", 10.0));
    }

    #[test]
    fn chinese_and_right_to_left_scripts_are_missing() {
        let f = &Fonts::get().regular;
        assert_eq!(f.missing("Wei 王"), Some('王'));
        assert_eq!(f.missing("שלום"), Some('ש'));
        assert_eq!(f.missing("سلام"), Some('س'));
    }
}
