//! Pages to PDF with printpdf: the bundled fonts embedded as subsets (a
//! fallback font only when a page uses it).

use printpdf::{
    CurTransMat, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, TextItem, TextMatrix,
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
    // printpdf would compress every stream at zlib's best level, which
    // took a third of an invoice run's time; level 3 on both cores takes a
    // fifth of that for files 4 % larger.
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        secure: false,
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut Vec::new());
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).expect("writing into memory");
    bytes
}

/// Deflates the document's streams (those not compressed yet) on two
/// threads.
fn compress(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|o| match o {
            lopdf::Object::Stream(s) if s.allows_compression && s.dict.get(b"Filter").is_err() => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    let half = streams.len() / 2;
    let (a, b) = streams.split_at_mut(half);
    crate::parallel::both(
        || a.iter_mut().for_each(|s| deflate(s)),
        || b.iter_mut().for_each(|s| deflate(s)),
    );
}

fn deflate(stream: &mut lopdf::Stream) {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(3));
    if z.write_all(&stream.content).is_err() {
        return;
    }
    if let Ok(packed) = z.finish() {
        if packed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
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

/// A QR code as one filled path: each run of dark modules in a row is a
/// rectangle (`re`; the fill colour is black unless set otherwise). Drawn
/// in the code's own units (one per module, from its top left corner,
/// downwards) as whole numbers: the shortest page, and no decimals to
/// write, which the invoices of a fee run feel. printpdf has no operator
/// for a rectangle without its own fill, so they go in as raw operators
/// (hence `secure: false` when saving: every operator here is ours).
fn qr(x: f32, y: f32, module: f32, width: usize, dark: &[bool]) -> Vec<Op> {
    let int = |n: usize| printpdf::DictItem::Int(n as i64);
    let side = Pt::from(Mm(module)).0;
    let mut ops = vec![
        Op::SaveGraphicsState,
        Op::SetTransformationMatrix {
            matrix: CurTransMat::Raw([side, 0.0, 0.0, -side, mm_x(x).0, mm_y(y).0]),
        },
    ];
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
            ops.push(Op::Unknown {
                key: "re".into(),
                value: vec![int(start), int(row), int(col - start), int(1)],
            });
        }
    }
    ops.push(Op::Unknown {
        key: "f".into(),
        value: Vec::new(),
    });
    ops.push(Op::RestoreGraphicsState);
    ops
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
