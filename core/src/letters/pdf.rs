//! Pages to PDF with printpdf: the bundled fonts embedded as subsets (a
//! fallback font only when a page uses it).

use printpdf::{
    FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
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
    // What printpdf cannot say in few bytes (a QR code's rectangles) is
    // written straight into each page's content afterwards: as printpdf
    // operators, an invoice's QR code took more memory and time than all
    // its text.
    let mut raw: Vec<Vec<u8>> = Vec::with_capacity(pages.len());
    let out: Vec<PdfPage> = pages
        .into_iter()
        .map(|p| {
            let (ops, bytes) = ops(p, &ids, logo.as_ref());
            raw.push(bytes);
            PdfPage::new(Mm(A4_W), Mm(A4_H), ops)
        })
        .collect();
    doc.with_pages(out);
    // printpdf would compress every stream at zlib's best level, which
    // took a third of an invoice run's time; level 3 on both cores takes a
    // fifth of that for files 4 % larger.
    let opts = PdfSaveOptions {
        subset_fonts: true,
        optimize: false,
        ..Default::default()
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut Vec::new());
    append_raw(&mut lo, raw);
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).expect("writing into memory");
    bytes
}

/// Adds each page's raw operators (`raw`, in page order) to the end of its
/// content stream.
fn append_raw(doc: &mut lopdf::Document, raw: Vec<Vec<u8>>) {
    let pages = doc.get_pages();
    for (id, bytes) in pages.values().zip(raw) {
        if bytes.is_empty() {
            continue;
        }
        let contents = doc
            .get_dictionary(*id)
            .and_then(|page| page.get(b"Contents"))
            .and_then(|c| c.as_reference());
        if let Ok(stream) = contents.and_then(|c| doc.get_object_mut(c)?.as_stream_mut()) {
            stream.content.push(b'\n');
            stream.content.extend_from_slice(&bytes);
        }
    }
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

/// A page's operators for printpdf, and the raw operators to add after them.
fn ops(
    page: Page,
    fonts: &FontIds,
    logo: Option<&(printpdf::XObjectId, usize, usize)>,
) -> (Vec<Op>, Vec<u8>) {
    let mut ops = Vec::with_capacity(page.items.len() * 3 + 4);
    let mut raw = Vec::new();
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
                    } => qr(&mut raw, (x, y), module, width, &dark),
                    Item::Text { .. } => unreachable!("handled above"),
                }
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    (ops, raw)
}

/// A QR code as one filled path in black: each run of dark modules in a
/// row is a rectangle (`re`), in the code's own units (one per module,
/// from its top left corner, downwards) as whole numbers: the shortest
/// content, and no decimals to write, which the invoices of a fee run feel.
fn qr(out: &mut Vec<u8>, (x, y): (f32, f32), module: f32, width: usize, dark: &[bool]) {
    use std::io::Write;
    let side = Pt::from(Mm(module)).0;
    let _ = writeln!(
        out,
        "q 0 g {side:.4} 0 0 {:.4} {:.4} {:.4} cm",
        -side,
        mm_x(x).0,
        mm_y(y).0
    );
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
            let _ = writeln!(out, "{start} {row} {} 1 re", col - start);
        }
    }
    out.extend_from_slice(b"f Q\n");
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
