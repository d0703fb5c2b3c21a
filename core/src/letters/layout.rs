//! A4 letter layout: letterhead, the recipient's address in the envelope
//! window, date, subject, body with page breaks, footer and page numbers.

use serde::{Deserialize, Serialize};

use super::fonts::Fonts;
use super::markup::{Block, Span};
use super::page::{Item, Page, A4_W, PT};
use super::wrap::wrap;

/// Where the envelope's window shows the sheet: a rectangle in mm from the
/// sheet's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Window {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// The envelopes Medlem knows. The rectangle is the part of the sheet that
/// every envelope of the kind shows, so the address is read whatever the
/// envelope's make.
pub const PRESETS: &[(&str, Window)] = &[
    // Swedish C5/E65 envelopes, standard window left (V2) or right (H2).
    (
        "se_left",
        Window {
            x: 20.0,
            y: 40.0,
            w: 85.0,
            h: 30.0,
        },
    ),
    (
        "se_right",
        Window {
            x: 110.0,
            y: 40.0,
            w: 85.0,
            h: 30.0,
        },
    ),
    // Danish C5/C65 envelopes: window left or right.
    (
        "dk_left",
        Window {
            x: 20.0,
            y: 45.0,
            w: 85.0,
            h: 30.0,
        },
    ),
    (
        "dk_right",
        Window {
            x: 110.0,
            y: 45.0,
            w: 85.0,
            h: 30.0,
        },
    ),
    // Norwegian E6/5, C6/5, C5 and EC4: 15 mm from the left, 39-44 mm from
    // the top; the field all of them show.
    (
        "no_left",
        Window {
            x: 20.0,
            y: 44.0,
            w: 85.0,
            h: 26.0,
        },
    ),
    // DIN 5008 form A (address field 27 mm from the top) and B (45 mm).
    (
        "din5008_a_left",
        Window {
            x: 20.0,
            y: 27.0,
            w: 85.0,
            h: 45.0,
        },
    ),
    (
        "din5008_a_right",
        Window {
            x: 105.0,
            y: 27.0,
            w: 85.0,
            h: 45.0,
        },
    ),
    (
        "din5008_b_left",
        Window {
            x: 20.0,
            y: 45.0,
            w: 85.0,
            h: 45.0,
        },
    ),
    (
        "din5008_b_right",
        Window {
            x: 105.0,
            y: 45.0,
            w: 85.0,
            h: 45.0,
        },
    ),
];

/// The preset `id`, moved by the fine offsets (mm, right and down).
pub fn window(id: &str, dx: f32, dy: f32) -> Option<Window> {
    PRESETS.iter().find(|(p, _)| *p == id).map(|(_, w)| Window {
        x: w.x + dx,
        y: w.y + dy,
        ..*w
    })
}

/// What heads every letter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Letterhead {
    pub name: String,
    /// The sender's postal address, one line per entry.
    pub address: Vec<String>,
    /// With its label ("Org.nr 802000-0000").
    pub org_number: String,
    /// E-mail, phone, web: one line.
    pub contact: String,
    pub has_logo: bool,
}

/// Words the layout prints itself, in the letter's language.
pub struct Words {
    /// "Sida {n} av {total}"
    pub page: &'static str,
}

pub fn words(language: &str) -> Words {
    Words {
        page: match language {
            "sv" => "Sida {n} av {total}",
            "da" => "Side {n} af {total}",
            "nb" => "Side {n} av {total}",
            _ => "Page {n} of {total}",
        },
    }
}

pub const MARGIN_LEFT: f32 = 25.0;
pub const MARGIN_RIGHT: f32 = 20.0;
pub const BODY_BOTTOM: f32 = 272.0;
const FOLLOW_TOP: f32 = 25.0;
const BODY_SIZE: f32 = 11.0;
const BODY_LEAD: f32 = BODY_SIZE * 1.35 * PT;
const PARA_GAP: f32 = 2.5;
const BULLET_INDENT: f32 = 6.0;

/// Why an address cannot be printed in the window.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressTooLong;

/// Lays the address lines into the window: 10 pt, smaller (down to 7 pt)
/// when they do not fit, long lines wrapped; every character inside the
/// window's inner area (2 mm padding).
pub fn address_block(page: &mut Page, win: Window, lines: &[String]) -> Result<(), AddressTooLong> {
    let fonts = Fonts::get();
    let pad = 2.0;
    let inner_w = win.w - 2.0 * pad;
    let inner_h = win.h - 2.0 * pad;
    // First every line whole, 10 pt down to 8.5 pt; then long lines
    // wrapped, 10 pt down to 7 pt (a wrapped name reads better than a tiny
    // one).
    let tries = [100, 95, 90, 85]
        .map(|t| (t, false))
        .into_iter()
        .chain((70..=100).rev().step_by(5).map(|t| (t, true)));
    for (tenth, may_wrap) in tries {
        let size = tenth as f32 / 10.0;
        let lead = size * 1.2 * PT;
        let wrapped: Vec<String> = lines
            .iter()
            .flat_map(|l| {
                wrap(
                    &[Span {
                        text: l.clone(),
                        bold: false,
                    }],
                    inner_w,
                    size,
                )
                .into_iter()
                .map(|pieces| pieces.into_iter().map(|p| p.text).collect::<String>())
            })
            .collect();
        if wrapped.len() > lines.len() && !may_wrap {
            continue;
        }
        let ascent = fonts.regular.ascender * size / 1000.0 * PT;
        let descent = -fonts.regular.descender * size / 1000.0 * PT;
        let height = ascent + descent + lead * (wrapped.len().saturating_sub(1)) as f32;
        if height > inner_h {
            continue;
        }
        let mut y = win.y + pad + ascent;
        for l in wrapped {
            page.text(win.x + pad, y, size, false, l);
            y += lead;
        }
        return Ok(());
    }
    Err(AddressTooLong)
}

/// The letterhead at the top of the first page. A line that would reach
/// into the envelope window (DIN 5008 form A starts 27 mm from the top) is
/// left out: the footer repeats it.
fn letterhead(page: &mut Page, head: &Letterhead, window: Window) {
    let face = &Fonts::get().regular;
    let clear_of_window = |y: f32, text: &str, size: f32| {
        let descent = -face.descender * size / 1000.0 * PT;
        let right = MARGIN_LEFT + face.width(text, size) * PT;
        y + descent < window.y - 1.0 || right < window.x - 1.0
    };
    page.text(MARGIN_LEFT, 16.0, 15.0, true, head.name.clone());
    let mut line = head.address.join(", ");
    if line.is_empty() {
        line = head.contact.clone();
    }
    let line = fit(&line, 120.0, 8.5);
    if clear_of_window(21.5, &line, 8.5) {
        page.text(MARGIN_LEFT, 21.5, 8.5, false, line.clone());
    }
    let more = [head.org_number.as_str(), head.contact.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("  ·  ");
    let more = fit(&more, 120.0, 8.5);
    if !more.is_empty() && more != line && clear_of_window(25.0, &more, 8.5) {
        page.text(MARGIN_LEFT, 25.0, 8.5, false, more);
    }
    if head.has_logo {
        page.items.push(Item::Logo {
            x: A4_W - MARGIN_RIGHT - 40.0,
            y: 8.0,
            w: 40.0,
            h: 16.0,
        });
    }
}

fn footer(page: &mut Page, head: &Letterhead, n: usize, total: usize, words: &Words) {
    let fonts = Fonts::get();
    page.items.push(Item::Line {
        x1: MARGIN_LEFT,
        y1: 280.0,
        x2: A4_W - MARGIN_RIGHT,
        y2: 280.0,
        width: 0.4,
    });
    let address = head.address.join(", ");
    let parts: Vec<&str> = [
        head.name.as_str(),
        &address,
        &head.org_number,
        &head.contact,
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    // Up to two lines, broken between the parts (never inside a phone
    // number); what does not fit ends in an ellipsis.
    let width = A4_W - MARGIN_LEFT - MARGIN_RIGHT - 30.0;
    let face = &fonts.regular;
    let mut lines: Vec<String> = vec![String::new()];
    for part in parts {
        let last = lines.last_mut().unwrap();
        let joined = if last.is_empty() {
            part.to_owned()
        } else {
            format!("{last}  ·  {part}")
        };
        if last.is_empty() || face.width(&joined, 7.5) * PT <= width {
            *last = joined;
        } else {
            lines.push(part.to_owned());
        }
    }
    let shown = lines.len().min(2);
    for (i, line) in lines.iter().take(shown).enumerate() {
        let text = if i == 1 && lines.len() > 2 {
            fit(
                &format!("{line}  ·  {}", lines[2..].join("  ·  ")),
                width,
                7.5,
            )
        } else {
            fit(line, width, 7.5)
        };
        page.text(MARGIN_LEFT, 284.5 + i as f32 * 3.4, 7.5, false, text);
    }
    if total > 1 {
        let label = words
            .page
            .replace("{n}", &n.to_string())
            .replace("{total}", &total.to_string());
        let w = fonts.regular.width(&label, 7.5) * PT;
        page.text(A4_W - MARGIN_RIGHT - w, 285.0, 7.5, false, label);
    }
}

/// `s` cut (with an ellipsis) to at most `width` mm at `size` pt.
pub fn fit(s: &str, width: f32, size: f32) -> String {
    let face = &Fonts::get().regular;
    if face.width(s, size) * PT <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if face.width(&next, size) * PT > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A QR code printed after a letter's body (an invoice's Swish code), with
/// a line of text beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct QrBlock {
    /// Modules per side.
    pub width: usize,
    /// Row by row.
    pub dark: Vec<bool>,
    pub caption: String,
}

/// The side of a printed QR code: about 30 mm, as payment codes are printed.
pub const QR_SIDE: f32 = 30.0;

/// One letter: the pages it needs.
pub struct Letter<'a> {
    pub head: &'a Letterhead,
    pub window: Window,
    pub address: &'a [String],
    pub date: &'a str,
    pub subject: &'a str,
    pub body: &'a [Block],
    pub language: &'a str,
    /// Printed after the body (on a new page when it does not fit).
    pub qr: Option<&'a QrBlock>,
}

pub fn layout(letter: &Letter) -> Result<Vec<Page>, AddressTooLong> {
    let fonts = Fonts::get();
    let words = words(letter.language);
    let mut first = Page::default();
    letterhead(&mut first, letter.head, letter.window);
    address_block(&mut first, letter.window, letter.address)?;
    let below = letter.window.y + letter.window.h;
    let date_y = below + 8.0;
    let dw = fonts.regular.width(letter.date, 10.0) * PT;
    first.text(A4_W - MARGIN_RIGHT - dw, date_y, 10.0, false, letter.date);
    let text_w = A4_W - MARGIN_LEFT - MARGIN_RIGHT;
    let mut y = date_y + 12.0;
    let mut pages = vec![first];
    for line in wrap(
        &[Span {
            text: letter.subject.to_owned(),
            bold: true,
        }],
        text_w,
        12.5,
    ) {
        let page = pages.last_mut().unwrap();
        for p in line {
            page.text(MARGIN_LEFT + p.dx, y, 12.5, true, p.text);
        }
        y += 12.5 * 1.3 * PT;
    }
    y += 4.0;
    let mut blocks = letter.body.iter().peekable();
    while let Some(block) = blocks.next() {
        let (spans, indent) = match block {
            Block::Paragraph(s) => (s, 0.0),
            Block::Bullet(s) => (s, BULLET_INDENT),
        };
        let lines = wrap(spans, text_w - indent, BODY_SIZE);
        for (i, line) in lines.iter().enumerate() {
            if y > BODY_BOTTOM {
                pages.push(Page::default());
                y = FOLLOW_TOP;
            }
            let page = pages.last_mut().unwrap();
            if i == 0 && indent > 0.0 {
                page.text(MARGIN_LEFT + 1.5, y, BODY_SIZE, false, "•");
            }
            for p in line {
                page.text(
                    MARGIN_LEFT + indent + p.dx,
                    y,
                    BODY_SIZE,
                    p.bold,
                    p.text.clone(),
                );
            }
            y += BODY_LEAD;
        }
        y += match (block, blocks.peek()) {
            // Items of one list sit close; the list ends with a paragraph gap.
            (Block::Bullet(_), Some(Block::Bullet(_))) => 0.8,
            _ => PARA_GAP,
        };
    }
    if let Some(qr) = letter.qr.filter(|q| q.width > 0) {
        if y + QR_SIDE > BODY_BOTTOM {
            pages.push(Page::default());
            y = FOLLOW_TOP;
        }
        let page = pages.last_mut().unwrap();
        page.items.push(Item::Qr {
            x: MARGIN_LEFT,
            y,
            module: QR_SIDE / qr.width as f32,
            width: qr.width,
            dark: qr.dark.clone(),
        });
        page.text(
            MARGIN_LEFT + QR_SIDE + 6.0,
            y + QR_SIDE / 2.0,
            BODY_SIZE,
            true,
            qr.caption.clone(),
        );
    }
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        footer(page, letter.head, i + 1, total, &words);
    }
    Ok(pages)
}

/// `22.5` → "22.5", `85.0` → "85".
fn mm(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The calibration page: each corner of the window outlined, with its
/// measurements, to hold against an envelope.
pub fn calibration(window: Window, preset: &str, language: &str) -> Page {
    let mut page = Page::default();
    page.items.push(Item::Rect {
        x: window.x,
        y: window.y,
        w: window.w,
        h: window.h,
    });
    let label = match language {
        "sv" => "Håll arket mot kuvertet: adressen hamnar i rutan.",
        "da" => "Hold arket op mod kuverten: adressen lander i rammen.",
        "nb" => "Hold arket mot konvolutten: adressen havner i rammen.",
        _ => "Hold the sheet against the envelope: the address lands in the frame.",
    };
    page.text(MARGIN_LEFT, 16.0, 12.0, true, preset);
    page.text(MARGIN_LEFT, 22.0, 9.0, false, label);
    page.text(
        window.x + 2.0,
        window.y + window.h / 2.0,
        8.0,
        false,
        format!(
            "{} × {} mm, {} mm / {} mm",
            mm(window.w),
            mm(window.h),
            mm(window.x),
            mm(window.y)
        ),
    );
    // Fold marks of an A4 folded in three (DIN 5008: 105 and 210 mm).
    for y in [105.0, 210.0] {
        page.items.push(Item::Line {
            x1: 3.0,
            y1: y,
            x2: 8.0,
            y2: y,
            width: 0.5,
        });
    }
    page
}
