//! Pages to PDF with printpdf: the bundled fonts embedded as subsets (a
//! fallback font only when a page uses it).

use printpdf::{
    CurTransMat, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, TextItem, TextMatrix,
    WindingOrder,
};

use super::fonts::{Fonts, Source, BOLD_TTF, FALLBACK_BOLD_TTF, FALLBACK_REGULAR_TTF, REGULAR_TTF};
use super::page::{Item, Page, A4_H, A4_W};

fn mm_x(x: f32) -> Pt {
    Mm(x).into()
}

fn mm_y(y: f32) -> Pt {
    Mm(A4_H - y).into()
}

/// Writes `pages` as one PDF document (A4).
pub fn render(title: &str, pages: Vec<Page>, logo: Option<&printpdf::RawImage>) -> Vec<u8> {
    let mut doc = PdfDocument::new(title);
    let mut warnings = Vec::new();
    let mut add = |bytes: &[u8]| {
        doc.add_font(&ParsedFont::from_bytes(bytes, 0, &mut warnings).expect("bundled font"))
    };
    let ids = FontIds {
        regular: add(REGULAR_TTF),
        bold: add(BOLD_TTF),
        fallback_regular: add(FALLBACK_REGULAR_TTF),
        fallback_bold: add(FALLBACK_BOLD_TTF),
    };
    let logo = logo.map(|img| (doc.add_image(img), img.width, img.height));
    let out: Vec<PdfPage> = pages
        .into_iter()
        .map(|p| PdfPage::new(Mm(A4_W), Mm(A4_H), ops(p, &ids, logo.as_ref())))
        .collect();
    doc.with_pages(out);
    let opts = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    doc.save(&opts, &mut Vec::new())
}

struct FontIds {
    regular: FontId,
    bold: FontId,
    fallback_regular: FontId,
    fallback_bold: FontId,
}

impl FontIds {
    fn get(&self, bold: bool, source: Source) -> &FontId {
        match (bold, source) {
            (false, Source::Primary) => &self.regular,
            (true, Source::Primary) => &self.bold,
            (false, Source::Fallback) => &self.fallback_regular,
            (true, Source::Fallback) => &self.fallback_bold,
        }
    }
}

fn ops(page: Page, fonts: &FontIds, logo: Option<&(printpdf::XObjectId, usize, usize)>) -> Vec<Op> {
    let mut ops = Vec::with_capacity(page.items.len() * 3 + 4);
    let mut in_text = false;
    let mut current: Option<(bool, Source, f32)> = None;
    for item in page.items {
        match item {
            Item::Text {
                x,
                y,
                size,
                bold: b,
                text,
            } => {
                if !in_text {
                    ops.push(Op::StartTextSection);
                    in_text = true;
                    current = None;
                }
                ops.push(Op::SetTextMatrix {
                    matrix: TextMatrix::Translate(mm_x(x), mm_y(y)),
                });
                // Each run continues where the one before ended.
                for (source, run) in Fonts::get().face(b).runs(&text) {
                    if current != Some((b, source, size)) {
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(fonts.get(b, source).clone()),
                            size: Pt(size),
                        });
                        current = Some((b, source, size));
                    }
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(run)],
                    });
                }
            }
            other => {
                if in_text {
                    ops.push(Op::EndTextSection);
                    in_text = false;
                }
                match other {
                    Item::Line {
                        x1,
                        y1,
                        x2,
                        y2,
                        width,
                    } => {
                        ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                        ops.push(Op::DrawLine {
                            line: Line {
                                points: vec![point(x1, y1), point(x2, y2)],
                                is_closed: false,
                            },
                        });
                    }
                    Item::Rect { x, y, w, h } => {
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                        ops.push(Op::DrawLine {
                            line: Line {
                                points: vec![
                                    point(x, y),
                                    point(x + w, y),
                                    point(x + w, y + h),
                                    point(x, y + h),
                                ],
                                is_closed: true,
                            },
                        });
                    }
                    Item::Logo { x, y, w, h } => {
                        if let Some((id, iw, ih)) = logo {
                            // Fit into the box, keeping the aspect ratio, top right.
                            let (iw, ih) = (*iw as f32, *ih as f32);
                            let scale_mm = (w / iw).min(h / ih);
                            let (dw, dh) = (iw * scale_mm, ih * scale_mm);
                            // At dpi D an image is iw/D inches wide.
                            let dpi = iw / (dw / 25.4);
                            ops.push(Op::UseXobject {
                                id: id.clone(),
                                transform: printpdf::XObjectTransform {
                                    translate_x: Some(mm_x(x + w - dw)),
                                    translate_y: Some(mm_y(y + dh)),
                                    dpi: Some(dpi),
                                    ..Default::default()
                                },
                            });
                        }
                    }
                    Item::Qr {
                        x,
                        y,
                        module,
                        width,
                        dark,
                    } => ops.extend(qr(x, y, module, width, &dark)),
                    Item::Text { .. } => unreachable!("handled above"),
                }
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

/// A QR code as one filled shape: each run of dark modules in a row is a
/// rectangle (the fill colour is black unless set otherwise). Drawn in the
/// code's own units (one per module, from its top left corner, downwards),
/// so the page holds small whole numbers: a quarter of the bytes, which
/// the invoices of a fee run feel.
fn qr(x: f32, y: f32, module: f32, width: usize, dark: &[bool]) -> [Op; 4] {
    let unit = |n: usize| Point {
        x: Pt(n as f32),
        y: Pt(0.0),
    };
    let corner = |col: usize, row: usize| LinePoint {
        p: Point {
            y: Pt(row as f32),
            ..unit(col)
        },
        bezier: false,
    };
    let mut rings = Vec::new();
    for (row, cells) in dark.chunks(width.max(1)).enumerate() {
        let mut col = 0;
        while col < cells.len() {
            if !cells[col] {
                col += 1;
                continue;
            }
            let start = col;
            while col < cells.len() && cells[col] {
                col += 1;
            }
            rings.push(PolygonRing {
                points: vec![
                    corner(start, row),
                    corner(col, row),
                    corner(col, row + 1),
                    corner(start, row + 1),
                ],
            });
        }
    }
    let side = Pt::from(Mm(module)).0;
    [
        Op::SaveGraphicsState,
        Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([side, 0.0, 0.0, -side, mm_x(x).0, mm_y(y).0]),
        },
        Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        },
        Op::RestoreGraphicsState,
    ]
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: mm_x(x),
            y: mm_y(y),
        },
        bezier: false,
    }
}
