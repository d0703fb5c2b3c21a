//! Lists for the current selection: a member list and a signature sheet.

use super::fonts::Fonts;
use super::layout::fit;
use super::page::{Item, Page, A4_W, PT};

/// One row of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub number: String,
    pub name: String,
    pub address: String,
    pub status: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Members,
    Signatures,
}

impl Kind {
    /// `members` or `signatures`, as the window and the CLI name them.
    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim() {
            "members" => Some(Kind::Members),
            "signatures" => Some(Kind::Signatures),
            _ => None,
        }
    }
}

/// Headings in the list's language.
pub struct Headings {
    pub title: String,
    pub number: String,
    pub name: String,
    pub address: String,
    pub status: String,
    pub signature: String,
    /// "Sida {n} av {total}"
    pub page: &'static str,
}

const LEFT: f32 = 15.0;
const RIGHT: f32 = 15.0;
const TOP: f32 = 30.0;
const BOTTOM: f32 = 280.0;

/// Lays out the list, repeating the column headings on every page.
pub fn layout(kind: Kind, org: &str, date: &str, rows: &[Row], h: &Headings) -> Vec<Page> {
    let fonts = Fonts::get();
    let row_h = match kind {
        Kind::Members => 5.2,
        Kind::Signatures => 10.0,
    };
    let width = A4_W - LEFT - RIGHT;
    // Column x positions and widths.
    let cols: Vec<(f32, f32)> = match kind {
        Kind::Members => vec![
            (0.0, 18.0),
            (18.0, 55.0),
            (73.0, 80.0),
            (153.0, width - 153.0),
        ],
        Kind::Signatures => vec![(0.0, 18.0), (18.0, 70.0), (88.0, width - 88.0)],
    };
    let headings: Vec<&str> = match kind {
        Kind::Members => vec![&h.number, &h.name, &h.address, &h.status],
        Kind::Signatures => vec![&h.number, &h.name, &h.signature],
    };
    let per_page = (((BOTTOM - TOP - 8.0) / row_h) as usize).max(1);
    let chunks: Vec<&[Row]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_page).collect()
    };
    let total = chunks.len();
    let mut pages = Vec::with_capacity(total);
    for (n, chunk) in chunks.into_iter().enumerate() {
        let mut page = Page::default();
        page.text(LEFT, 15.0, 14.0, true, fit(&h.title, width - 60.0, 14.0));
        page.text(
            LEFT,
            21.0,
            9.0,
            false,
            fit(&format!("{org}  ·  {date}"), width, 9.0),
        );
        for ((x, w), head) in cols.iter().zip(&headings) {
            page.text(LEFT + x, TOP, 9.0, true, fit(head, w - 2.0, 9.0));
        }
        page.items.push(Item::Line {
            x1: LEFT,
            y1: TOP + 1.8,
            x2: A4_W - RIGHT,
            y2: TOP + 1.8,
            width: 0.6,
        });
        let mut y = TOP + 2.0 + row_h;
        for row in chunk {
            let cells: Vec<&str> = match kind {
                Kind::Members => vec![&row.number, &row.name, &row.address, &row.status],
                Kind::Signatures => vec![&row.number, &row.name],
            };
            for ((x, w), cell) in cols.iter().zip(cells) {
                page.text(LEFT + x, y - 1.5, 9.0, false, fit(cell, w - 2.0, 9.0));
            }
            if kind == Kind::Signatures {
                // The line to sign on.
                let (x, w) = cols[2];
                page.items.push(Item::Line {
                    x1: LEFT + x,
                    y1: y - 1.0,
                    x2: LEFT + x + w,
                    y2: y - 1.0,
                    width: 0.4,
                });
            }
            y += row_h;
        }
        let label = h
            .page
            .replace("{n}", &(n + 1).to_string())
            .replace("{total}", &total.to_string());
        let w = fonts.regular.width(&label, 8.0) * PT;
        page.text(A4_W - RIGHT - w, 290.0, 8.0, false, label);
        pages.push(page);
    }
    pages
}
