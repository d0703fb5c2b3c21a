//! Greedy line breaking by the fonts' glyph widths.

use super::fonts::Fonts;
use super::markup::Span;
use super::page::PT;

/// A piece of a line: text in one weight, at an offset (mm) from the
/// line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub dx: f32,
    pub text: String,
    pub bold: bool,
}

/// Breaks `spans` into lines no wider than `width` mm at `size` pt. Words
/// break at spaces only (not at no-break spaces); a word wider than a line
/// is broken between characters, so nothing ever runs past `width`.
pub fn wrap(spans: &[Span], width: f32, size: f32) -> Vec<Vec<Piece>> {
    let fonts = Fonts::get();
    let w_pt = width / PT;
    // Words with their weight; a word may straddle spans (`**bo**ld`).
    // A `\n` is a forced break: an empty word marks it.
    let mut words: Vec<Vec<(String, bool)>> = vec![Vec::new()];
    for span in spans {
        for (n, segment) in span.text.split('\n').enumerate() {
            if n > 0 {
                words.push(vec![(String::from("\n"), span.bold)]);
                words.push(Vec::new());
            }
            for (i, part) in segment.split(' ').enumerate() {
                if i > 0 {
                    words.push(Vec::new());
                }
                if !part.is_empty() {
                    words.last_mut().unwrap().push((part.to_owned(), span.bold));
                }
            }
        }
    }
    let words: Vec<_> = words.into_iter().filter(|w| !w.is_empty()).collect();
    let space = |bold: bool| fonts.face(bold).width(" ", size);
    let word_width = |w: &[(String, bool)]| {
        w.iter()
            .map(|(t, b)| fonts.face(*b).width(t, size))
            .sum::<f32>()
    };

    let mut lines: Vec<Vec<Piece>> = Vec::new();
    let mut line: Vec<Piece> = Vec::new();
    let mut x = 0.0f32; // pt
    let push_word = |line: &mut Vec<Piece>, x: &mut f32, word: &[(String, bool)]| {
        for (t, b) in word {
            // Pieces are contiguous: one of the same weight simply grows.
            match line.last_mut() {
                Some(p) if p.bold == *b => p.text.push_str(t),
                _ => line.push(Piece {
                    dx: *x * PT,
                    text: t.clone(),
                    bold: *b,
                }),
            }
            *x += fonts.face(*b).width(t, size);
        }
    };
    for word in words {
        if word[0].0 == "\n" {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
            continue;
        }
        let ww = word_width(&word);
        let gap = if line.is_empty() {
            0.0
        } else {
            space(word[0].1)
        };
        if !line.is_empty() && x + gap + ww > w_pt {
            lines.push(std::mem::take(&mut line));
            x = 0.0;
        }
        if !line.is_empty() {
            // The space joins the previous piece when the weight matches.
            let b = word[0].1;
            match line.last_mut() {
                Some(p) if p.bold == b => p.text.push(' '),
                _ => line.push(Piece {
                    dx: x * PT,
                    text: " ".into(),
                    bold: b,
                }),
            }
            x += space(b);
        }
        if ww <= w_pt {
            push_word(&mut line, &mut x, &word);
            continue;
        }
        // Too long for any line: break it between characters.
        for (t, b) in &word {
            for c in t.chars() {
                let cw = fonts.face(*b).width(c.encode_utf8(&mut [0; 4]), size);
                if x + cw > w_pt && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    x = 0.0;
                }
                push_word(&mut line, &mut x, &[(c.to_string(), *b)]);
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The width (mm) of a line of pieces.
pub fn line_width(line: &[Piece], size: f32) -> f32 {
    let fonts = Fonts::get();
    line.last()
        .map(|p| p.dx + fonts.face(p.bold).width(&p.text, size) * PT)
        .unwrap_or(0.0)
}
