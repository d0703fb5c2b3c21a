//! The simple formatting of a letter's body: paragraphs (separated by a
//! blank line; a single line break stays one), bullet lists (lines starting with `- ` or `* `) and
//! `**bold**`. Merged values cannot format: the template's formatter turns
//! their `*` and `-` into stand-ins that [`restore`] puts back after parsing.

/// A run of text in one weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Vec<Span>),
    Bullet(Vec<Span>),
}

/// Stand-ins for `*` and `-` inside merged values.
pub const STAR: char = '\u{E000}';
pub const DASH: char = '\u{E001}';
/// A line break a merged value may carry (a meeting's agenda): it breaks the
/// line but never starts a paragraph or a list.
pub const LINE: char = '\u{E002}';

/// Puts merged values' `*`, `-` and line breaks back.
pub fn restore(s: &str) -> String {
    s.replace(STAR, "*").replace(DASH, "-").replace(LINE, "\n")
}

/// A multi-line value for merging: its non-empty lines joined by [`LINE`].
pub fn lines(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(&LINE.to_string())
}

/// Escapes a merged value so it cannot start a list or toggle bold, and
/// keeps it on one line.
pub fn protect(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '*' => STAR,
            '-' => DASH,
            '\r' | '\n' | '\t' => ' ',
            c => c,
        })
        .collect()
}

/// Splits the merged body into blocks.
pub fn parse(body: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<String> = Vec::new();
    let flush = |para: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            // A single line break inside a paragraph stays a line break.
            blocks.push(Block::Paragraph(spans(&para.join("\n"))));
            para.clear();
        }
    };
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() {
            flush(&mut para, &mut blocks);
        } else if let Some(item) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
            flush(&mut para, &mut blocks);
            blocks.push(Block::Bullet(spans(item.trim())));
        } else {
            para.push(t.to_owned());
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// `**bold**` toggles; stand-ins become their characters again.
fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    for (i, part) in text.split("**").enumerate() {
        if !part.is_empty() {
            out.push(Span {
                text: restore(part),
                bold: i % 2 == 1,
            });
        }
    }
    out
}
