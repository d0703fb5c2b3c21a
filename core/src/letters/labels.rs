//! Address labels on A4 sheets: 3 × 8 and 3 × 7 labels of 70 mm, in
//! postcode order, optionally one per household (same address).

use serde::{Deserialize, Serialize};

use super::address::lines;
use super::layout::{address_block, Window};
use super::page::Page;
use crate::types::PostalAddress;

/// A label sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sheet {
    /// 24 labels of 70 × 37 mm.
    #[serde(rename = "3x8")]
    ThreeByEight,
    /// 21 labels of 70 × 42.3 mm.
    #[serde(rename = "3x7")]
    ThreeBySeven,
}

impl Sheet {
    pub fn parse(s: &str) -> Option<Sheet> {
        match s {
            "3x8" => Some(Sheet::ThreeByEight),
            "3x7" => Some(Sheet::ThreeBySeven),
            _ => None,
        }
    }

    /// Columns, rows, label width and height, top margin (mm).
    fn geometry(self) -> (usize, usize, f32, f32, f32) {
        match self {
            Sheet::ThreeByEight => (3, 8, 70.0, 37.0, 0.5),
            Sheet::ThreeBySeven => (3, 7, 70.0, 42.3, 0.45),
        }
    }

    /// The rectangle of label `i` on its page (0-based, row by row).
    pub fn cell(self, i: usize, dx: f32, dy: f32) -> Window {
        let (cols, rows, w, h, top) = self.geometry();
        let i = i % (cols * rows);
        Window {
            x: (i % cols) as f32 * w + dx,
            y: top + (i / cols) as f32 * h + dy,
            w,
            h,
        }
    }

    pub fn per_page(self) -> usize {
        let (cols, rows, ..) = self.geometry();
        cols * rows
    }
}

/// One addressee: who, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Addressee {
    pub first_name: String,
    pub last_name: String,
    pub address: PostalAddress,
}

fn household_key(a: &PostalAddress) -> (String, String, String, String, String) {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    (
        norm(&a.address1),
        norm(&a.address2),
        norm(&a.postcode).replace(' ', ""),
        norm(&a.city),
        norm(&a.country),
    )
}

/// Joins names the way the language does: "Åsa, Bo och Eva Ek".
fn household_name(people: &[&Addressee], language: &str) -> String {
    let and = match language {
        "sv" => "och",
        "da" | "nb" => "og",
        _ => "and",
    };
    let join = |names: Vec<String>| -> String {
        match names.len() {
            0 => String::new(),
            1 => names[0].clone(),
            n => format!("{} {and} {}", names[..n - 1].join(", "), names[n - 1]),
        }
    };
    let same_last = people.iter().all(|p| p.last_name == people[0].last_name);
    if same_last {
        let firsts = join(people.iter().map(|p| p.first_name.clone()).collect());
        format!("{firsts} {}", people[0].last_name)
    } else {
        join(
            people
                .iter()
                .map(|p| format!("{} {}", p.first_name, p.last_name))
                .collect(),
        )
    }
}

/// What went wrong making labels.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelTooLong {
    pub name: String,
}

/// Lays out the labels, sorted by postcode (then name); with `households`
/// one label per address. The pages and the number of labels.
pub fn layout(
    people: &[Addressee],
    sheet: Sheet,
    households: bool,
    dx: f32,
    dy: f32,
    sender_country: &str,
    language: &str,
) -> Result<(Vec<Page>, usize), LabelTooLong> {
    let mut groups: Vec<Vec<&Addressee>> = Vec::new();
    if households {
        let mut by_key: std::collections::BTreeMap<_, Vec<&Addressee>> = Default::default();
        for p in people {
            by_key.entry(household_key(&p.address)).or_default().push(p);
        }
        groups.extend(by_key.into_values());
    } else {
        groups.extend(people.iter().map(|p| vec![p]));
    }
    let postcode = |g: &Vec<&Addressee>| {
        g[0].address
            .postcode
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    groups.sort_by(|a, b| {
        postcode(a)
            .cmp(&postcode(b))
            .then_with(|| a[0].last_name.cmp(&b[0].last_name))
    });
    let mut pages: Vec<Page> = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        if i % sheet.per_page() == 0 {
            pages.push(Page::default());
        }
        let name = if group.len() == 1 {
            format!("{} {}", group[0].first_name, group[0].last_name)
        } else {
            household_name(group, language)
        };
        let cell = sheet.cell(i, dx, dy);
        // 5 mm from the label's edges: printers and sheets wander.
        let inner = Window {
            x: cell.x + 5.0,
            y: cell.y + 4.0,
            w: cell.w - 10.0,
            h: cell.h - 8.0,
        };
        let text = lines(&name, &group[0].address, sender_country, language);
        address_block(pages.last_mut().unwrap(), inner, &text)
            .map_err(|_| LabelTooLong { name })?;
    }
    Ok((pages, groups.len()))
}
