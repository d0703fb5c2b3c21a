//! The bundled fonts (Liberation Sans 2, SIL OFL 1.1) and text measuring by
//! the fonts' own glyph advances (printpdf applies no kerning, so these are
//! the widths that get printed).

use std::collections::HashMap;
use std::sync::OnceLock;

pub const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Regular.ttf");
pub const BOLD_TTF: &[u8] = include_bytes!("../../fonts/LiberationSans-Bold.ttf");

/// One face: advances of every character it maps, in 1/1000 em.
pub struct Face {
    advances: HashMap<char, f32>,
    /// The first 0x250 characters (Latin) without hashing.
    latin: Vec<Option<f32>>,
    pub ascender: f32,
    pub descender: f32,
}

impl Face {
    fn load(bytes: &[u8]) -> Face {
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
                        if g.0 != 0 {
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
        Face {
            advances,
            latin,
            ascender: f32::from(face.ascender()) * 1000.0 / upem,
            descender: f32::from(face.descender()) * 1000.0 / upem,
        }
    }

    /// The advance of `c` in 1/1000 em, or None when the font lacks it.
    pub fn advance(&self, c: char) -> Option<f32> {
        let cp = c as usize;
        if cp < self.latin.len() {
            self.latin[cp]
        } else {
            self.advances.get(&c).copied()
        }
    }

    /// Width of `s` at `size` points, in points. Characters the font lacks
    /// count as zero (callers check [`Face::missing`] first).
    pub fn width(&self, s: &str, size: f32) -> f32 {
        s.chars()
            .map(|c| self.advance(c).unwrap_or(0.0))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// The first character of `s` the font cannot print.
    pub fn missing(&self, s: &str) -> Option<char> {
        s.chars()
            .find(|c| !c.is_control() && self.advance(*c).is_none())
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
            regular: Face::load(REGULAR_TTF),
            bold: Face::load(BOLD_TTF),
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
