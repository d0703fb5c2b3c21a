//! A page as positioned items, in millimetres from the top-left corner of an
//! A4 sheet. Layout code builds these; [`crate::letters::pdf`] writes them.
//! Tests read them too, so positions are checked without parsing PDF.

pub const A4_W: f32 = 210.0;
pub const A4_H: f32 = 297.0;
/// 1 pt in mm.
pub const PT: f32 = 25.4 / 72.0;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        /// Stroke width in points.
        width: f32,
    },
    /// An outline.
    Rect { x: f32, y: f32, w: f32, h: f32 },
    /// The organisation's logo, fitted into the box.
    Logo { x: f32, y: f32, w: f32, h: f32 },
    /// A QR code: `width` × `width` square modules of `module` mm, dark
    /// where `dark` (row by row) says, from the top-left corner `x`, `y`.
    Qr {
        x: f32,
        y: f32,
        module: f32,
        width: usize,
        dark: Vec<bool>,
    },
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.items.push(Item::Text {
                x,
                y,
                size,
                bold,
                text,
            });
        }
    }
}
