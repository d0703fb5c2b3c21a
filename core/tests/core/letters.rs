//! Letters, labels and lists: checked in the PDF itself with qpdf and
//! poppler's pdftotext/pdffonts, and in the page model.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use medlem_core::letters::{self, layout, Item, Page, Sheet, TemplateInput};
use medlem_core::*;

use crate::person;

const MM: f32 = 72.0 / 25.4;

pub(crate) fn org_input(country: &str) -> OrgInput {
    OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: country.into(),
        postal_address: "Storgatan 1\n211 22 Malmö".into(),
        org_number: "802000-0000".into(),
    }
}

pub(crate) fn org(country: &str) -> SqliteRegister {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    r.create_org(&org_input(country)).unwrap();
    r
}

fn add(r: &mut SqliteRegister, m: MemberInput) -> Member {
    r.create(&m).unwrap()
}

pub(crate) fn addressed(first: &str, last: &str, language: &str) -> MemberInput {
    MemberInput {
        contact: medlem_core::Contact {
            address: medlem_core::PostalAddress {
                address1: "Storgatan 12 B".into(),
                postcode: "21122".into(),
                city: "Malmö".into(),
                ..Default::default()
            },
            ..person(first, last).contact
        },
        language: language.into(),
        ..person(first, last)
    }
}

pub(crate) fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} (apt: qpdf poppler-utils; `cargo xtask test` installs them): {e}")
    });
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `qpdf --check` passes and every font is embedded as a subset.
pub(crate) fn sound(pdf: &Path) {
    let p = pdf.to_str().unwrap();
    let check = tool("qpdf", &["--check", p]);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    let fonts = tool("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object ID
        let n = cols.len();
        assert_eq!(
            (cols[n - 5], cols[n - 4]),
            ("yes", "yes"),
            "not embedded as a subset: {row}"
        );
    }
}

pub(crate) fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    tool(
        "pdftotext",
        &["-f", &n, "-l", &n, "-layout", pdf.to_str().unwrap(), "-"],
    )
}

pub(crate) fn pages(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// Words with their boxes (pt, from the top-left) from `pdftotext -bbox`.
struct Word {
    page: usize,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    text: String,
}

fn words(pdf: &Path) -> Vec<Word> {
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut out = Vec::new();
    let mut page = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page") {
            page += 1;
        }
        let Some(rest) = line.strip_prefix("<word ") else {
            continue;
        };
        let attr = |name: &str| -> f32 {
            let key = format!("{name}=\"");
            let i = rest.find(&key).unwrap() + key.len();
            rest[i..].split('"').next().unwrap().parse().unwrap()
        };
        let text = rest
            .split('>')
            .nth(1)
            .unwrap()
            .split("</word")
            .next()
            .unwrap();
        out.push(Word {
            page,
            x0: attr("xMin"),
            y0: attr("yMin"),
            x1: attr("xMax"),
            y1: attr("yMax"),
            text: text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&"),
        });
    }
    out
}

pub(crate) fn history_kinds(
    r: &dyn medlem_core::store::Store,
    id: i64,
) -> Vec<(String, Option<String>)> {
    r.history(id)
        .unwrap()
        .into_iter()
        .map(|h| (h.kind.as_str().to_owned(), h.field))
        .collect()
}

fn run_letters(r: &mut SqliteRegister, key: &str, out: &Path) -> Result<letters::PdfSummary> {
    letters::letters(
        r,
        key,
        &ListQuery::default(),
        out,
        &mut |_, _| {},
        &AtomicBool::new(false),
        medlem_core::LETTER_KINDS,
    )
}

/// On every system, Windows under Wine included (where poppler cannot run):
/// the letters are written into a folder with å ä ö in its name, as a PDF
/// that a PDF library reads back with one page per letter, every font
/// embedded and the names in it.
#[test]
fn letters_are_a_readable_pdf_in_a_folder_with_nordic_letters() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    for (first, last) in [("Åsa", "Östlund"), ("Örjan", "Ek"), ("Märta", "Ås")] {
        add(&mut r, addressed(first, last, "sv"));
    }
    let folder = dir.path().join("Föreningens brev");
    std::fs::create_dir(&folder).unwrap();
    let out = folder.join("välkommen.pdf");
    let done = run_letters(&mut r, "welcome", &out).unwrap();
    assert_eq!((done.items, done.pages), (3, 3));
    assert_eq!(
        crate::backup::files_in(&folder),
        ["välkommen.pdf"],
        "no scratch file left beside it"
    );

    let doc = lopdf::Document::load(&out).expect("a PDF lopdf reads");
    assert_eq!(doc.get_pages().len(), 3);
    let mut fonts = 0;
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor".as_slice()) {
            fonts += 1;
            assert!(
                dict.has(b"FontFile2") || dict.has(b"FontFile3") || dict.has(b"FontFile"),
                "a font that is not embedded: {dict:?}"
            );
        }
    }
    assert!(fonts > 0, "the letters name their fonts");
    let text = doc.extract_text(&[1, 2, 3]).unwrap_or_default();
    for name in ["Östlund", "Örjan", "Märta"] {
        assert!(text.contains(name), "{name} in: {text}");
    }
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn welcome_letters_come_in_each_members_language_one_per_page_and_are_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    let asa = add(&mut r, addressed("Åsa", "Östlund", "sv"));
    let soren = add(
        &mut r,
        MemberInput {
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    country: "DK".into(),
                    postcode: "2100".into(),
                    city: "København Ø".into(),
                    ..addressed("Søren", "Ærø", "da").contact.address
                },
                ..addressed("Søren", "Ærø", "da").contact
            },
            ..addressed("Søren", "Ærø", "da")
        },
    );
    let john = add(&mut r, addressed("John", "Smith", "en"));
    let out = dir.path().join("välkommen.pdf");
    let done = run_letters(&mut r, "welcome", &out).unwrap();
    assert_eq!((done.items, done.pages), (3, 3));
    sound(&out);
    assert_eq!(pages(&out), 3);
    // The list's order is by name: Smith, Ærø, Östlund (Swedish order).
    let expect = [
        (&john, "Dear John", "Welcome as a member", "211 22 Malmö"),
        (&soren, "Kære Søren", "Velkommen som medlem", "DANMARK"),
        (&asa, "Hej Åsa!", "Välkommen som medlem", "211 22 Malmö"),
    ];
    for (i, (m, greeting, text, last_line)) in expect.iter().enumerate() {
        let page = page_text(&out, i + 1);
        let name = format!("{} {}", m.contact.first_name, m.contact.last_name);
        assert!(page.contains(&name), "page {}: {page}", i + 1);
        assert!(page.contains("Storgatan 12 B"), "{page}");
        assert!(page.contains(greeting), "{page}");
        assert!(page.contains(text), "{page}");
        assert!(page.contains(last_line), "{page}");
        assert!(page.contains(&m.number), "merged member number: {page}");
        let kinds = history_kinds(&r, m.id);
        assert_eq!(kinds[0], ("letter".to_owned(), Some("welcome".to_owned())));
    }
    // A Danish address seen from Sweden: postcode and city on one line,
    // the country in capitals in Swedish.
    let dk = page_text(&out, 2);
    assert!(dk.contains("2100 København Ø"), "{dk}");
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn every_address_line_lies_in_the_window_of_every_preset() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    // Five address lines, a 60-character name, an empty city, abroad.
    let long_first = "Anna-Karin Margareta Elisabeth";
    let long_last = "Östlund-Ærø von Sydow Lindqvis";
    assert_eq!(format!("{long_first} {long_last}").chars().count(), 61);
    add(
        &mut r,
        MemberInput {
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    care_of: "Familjen Bergström-Ødegård".into(),
                    address1: "Långgatan 123, lägenhet 1102, trappa 4".into(),
                    address2: "Box 4711 Kvarnbyn".into(),
                    postcode: "0150".into(),
                    city: "".into(),
                    country: "NO".into(),
                },
                ..person(long_first, long_last).contact
            },
            ..person(long_first, long_last)
        },
    );
    for (preset, _) in letters::PRESETS {
        letters::set_settings(
            &mut r,
            &letters::LetterSettings {
                window: (*preset).to_owned(),
                offset_x: 1.5,
                offset_y: -2.0,
                contact: "kassor@verkstaden.se · 040-12 34 56".into(),
            },
        )
        .unwrap();
        let win = layout::window(preset, 1.5, -2.0).unwrap();
        let out = dir.path().join(format!("{preset}.pdf"));
        run_letters(&mut r, "notice", &out).unwrap();
        sound(&out);
        let all = words(&out);
        // The address's words, found by what they say near the window (the
        // body repeats the name further down).
        let expected: Vec<String> = letters::address::lines(
            &format!("{long_first} {long_last}"),
            &medlem_core::PostalAddress {
                care_of: "Familjen Bergström-Ødegård".into(),
                address1: "Långgatan 123, lägenhet 1102, trappa 4".into(),
                address2: "Box 4711 Kvarnbyn".into(),
                postcode: "0150".into(),
                city: "".into(),
                country: "NO".into(),
            },
            "SE",
            "sv",
        )
        .iter()
        .flat_map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
        assert!(expected.contains(&"NORGE".to_owned()) && expected.contains(&"c/o".to_owned()));
        let address_words: Vec<&Word> = all
            .iter()
            .filter(|w| {
                w.page == 1
                    && expected.contains(&w.text)
                    && w.y0 >= (win.y - 5.0) * MM
                    && w.y1 <= (win.y + win.h + 5.0) * MM
            })
            .collect();
        let found: Vec<&str> = address_words.iter().map(|w| w.text.as_str()).collect();
        for e in &expected {
            assert!(
                found.contains(&e.as_str()),
                "{preset}: {e} not in the window: {found:?}"
            );
        }
        for w in &address_words {
            assert!(
                w.x0 >= win.x * MM - 0.5
                    && w.x1 <= (win.x + win.w) * MM + 0.5
                    && w.y0 >= win.y * MM - 0.5
                    && w.y1 <= (win.y + win.h) * MM + 0.5,
                "{preset}: {:?} at ({:.1},{:.1})-({:.1},{:.1}) pt is outside the window {win:?}",
                w.text,
                w.x0,
                w.y0,
                w.x1,
                w.y1
            );
        }
        // Nothing outside the page's margins.
        for w in &all {
            assert!(
                w.x0 >= 15.0 * MM && w.x1 <= 195.0 * MM && w.y0 >= 8.0 * MM && w.y1 <= 292.0 * MM,
                "{preset}: {:?} outside the margins",
                w.text
            );
        }
    }
}

#[test]
fn a_template_with_an_unknown_merge_field_is_refused_naming_it() {
    let mut r = org("SE");
    let input = TemplateInput {
        key: "kallelse".into(),
        language: "sv".into(),
        subject: "Kallelse".into(),
        body: "Hej {{ member.first_name }}, ta med {{ member.shoe_size }}.".into(),
    };
    let err = letters::save_template(&mut r, &input, medlem_core::LETTER_KINDS).unwrap_err();
    assert_eq!(err.code(), "unknown_field");
    assert!(err.to_string().contains("member.shoe_size"), "{err}");
    let broken = TemplateInput {
        body: "Hej {{ member.first_name ".into(),
        ..input.clone()
    };
    assert_eq!(
        letters::save_template(&mut r, &broken, medlem_core::LETTER_KINDS)
            .unwrap_err()
            .code(),
        "template_syntax"
    );
    assert!(
        letters::templates(&r)
            .unwrap()
            .iter()
            .all(|t| t.key != "kallelse"),
        "nothing saved"
    );
    let good = TemplateInput {
        body: "Hej {{ member.first_name }}!\n\n- punkt ett\n- **punkt två**".into(),
        ..input
    };
    let saved = letters::save_template(&mut r, &good, medlem_core::LETTER_KINDS).unwrap();
    assert!(!saved.is_default);
    let swedish = letters::template(&r, "kallelse", Language::Da).unwrap();
    assert_eq!(
        swedish.language,
        Language::Sv,
        "falls back to the organisation's language"
    );
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn hostile_and_nordic_text_prints_as_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    add(
        &mut r,
        MemberInput {
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    address1: "=HYPERLINK(\"http://x\")".into(),
                    ..addressed("<script>alert(1)</script>", "**Fet** - Lista", "sv")
                        .contact
                        .address
                },
                ..addressed("<script>alert(1)</script>", "**Fet** - Lista", "sv").contact
            },
            ..addressed("<script>alert(1)</script>", "**Fet** - Lista", "sv")
        },
    );
    letters::save_template(
        &mut r,
        &TemplateInput {
            key: "notice".into(),
            language: "sv".into(),
            subject: "Åsa Ärlig Östen Ærø Øystein Émile Über – «citat» „så” €100".into(),
            body: "Hej {{ member.first_name }} {{ member.last_name }}!\n\nåäö æø é ü — «citat» „så” € 100".into(),
        },
        medlem_core::LETTER_KINDS,
    )
    .unwrap();
    let out = dir.path().join("brev.pdf");
    run_letters(&mut r, "notice", &out).unwrap();
    let text = page_text(&out, 1);
    for s in [
        "<script>alert(1)</script>",
        "**Fet** - Lista",
        "=HYPERLINK(\"http://x\")",
        // (pdftotext joins single letters, so words of several.)
        "Åsa Ärlig Östen Ærø Øystein Émile Über – «citat» „så” €100",
        "åäö æø é ü — «citat» „så” € 100",
    ] {
        assert!(text.contains(s), "{s:?} missing from: {text}");
    }
    // A character the font lacks is refused, naming it and the member.
    add(&mut r, addressed("Wei", "王", "sv"));
    let err = run_letters(&mut r, "notice", &dir.path().join("x.pdf")).unwrap_err();
    assert_eq!(err.code(), "unprintable");
    assert!(err.to_string().contains('王'), "{err}");
    assert!(!dir.path().join("x.pdf").exists(), "nothing written");
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn names_beyond_liberation_print_with_the_fallback_font_and_emoji_as_a_replacement() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    add(&mut r, addressed("Åsa", "Östlund", "sv"));
    let plain = dir.path().join("plain.pdf");
    run_letters(&mut r, "welcome", &plain).unwrap();
    let fonts = tool("pdffonts", &[plain.to_str().unwrap()]);
    assert!(fonts.contains("LiberationSans"), "{fonts}");
    assert!(
        !fonts.contains("DejaVu"),
        "the fallback font is embedded only when used: {fonts}"
    );

    add(&mut r, addressed("Anahit", "Պետրոսյան", "sv"));
    add(&mut r, addressed("Nino", "ბერიძე", "sv"));
    let sven = add(
        &mut r,
        addressed("Sven", "Svensson \u{1F389}\u{FE0F}", "sv"),
    );
    // The window's preview shows what the PDF prints.
    let welcome = letters::template(&r, "welcome", Language::Sv).unwrap();
    let page = letters::preview(
        &r,
        &TemplateInput {
            key: welcome.key,
            language: "sv".into(),
            subject: welcome.subject,
            body: welcome.body,
        },
        sven.id,
        medlem_core::LETTER_KINDS,
    )
    .unwrap();
    assert!(
        texts(&page).iter().any(|t| t.contains("Svensson \u{FFFD}")),
        "{:?}",
        texts(&page)
    );
    let out = dir.path().join("brev.pdf");
    let summary = run_letters(&mut r, "welcome", &out).unwrap();
    assert_eq!(summary.items, 4);
    let text: String = (1..=pages(&out)).map(|n| page_text(&out, n)).collect();
    for s in [
        "Anahit Պետրոսյան",
        "Nino ბერიძე",
        "Svensson \u{FFFD}",
        "Åsa Östlund",
    ] {
        assert!(text.contains(s), "{s:?} missing from: {text}");
    }
    assert!(!text.contains('\u{1F389}') && !text.contains('\u{FE0F}'));
    let fonts = tool("pdffonts", &[out.to_str().unwrap()]);
    assert!(
        fonts.contains("LiberationSans") && fonts.contains("DejaVuSans"),
        "{fonts}"
    );
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn a_long_letter_breaks_pages_with_numbers_and_stays_in_the_text_area() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    add(&mut r, addressed("Åsa", "Östlund", "sv"));
    let para = "Det här är ett långt stycke om föreningens verksamhet under året som gått, med möten, kurser och förhandlingar. ";
    let body = (0..40)
        .map(|_| para.repeat(3))
        .collect::<Vec<_>>()
        .join("\n\n");
    letters::save_template(
        &mut r,
        &TemplateInput {
            key: "notice".into(),
            language: "sv".into(),
            subject: "Verksamhetsberättelse".into(),
            body,
        },
        medlem_core::LETTER_KINDS,
    )
    .unwrap();
    let out = dir.path().join("lang.pdf");
    let done = run_letters(&mut r, "notice", &out).unwrap();
    assert!(done.pages >= 3, "{done:?}");
    sound(&out);
    let n = pages(&out);
    assert!(page_text(&out, 1).contains(&format!("Sida 1 av {n}")));
    assert!(page_text(&out, n).contains(&format!("Sida {n} av {n}")));
    for w in words(&out) {
        assert!(
            w.x0 >= 20.0 * MM && w.x1 <= 190.5 * MM && w.y1 <= 292.0 * MM,
            "{:?} on page {} outside the text area",
            w.text,
            w.page
        );
    }
}

fn texts(page: &Page) -> Vec<&str> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn labels_in_postcode_order_and_one_per_household() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    for (first, last, street, postcode) in [
        ("Åsa", "Östlund", "Storgatan 1", "21122"),
        ("Bo", "Östlund", "Storgatan 1", "211 22"),
        ("Cecilia", "Ek", "Ågatan 3", "11122"),
        ("Dan", "Berg", "Byvägen 9", "98132"),
    ] {
        add(
            &mut r,
            MemberInput {
                contact: medlem_core::Contact {
                    address: medlem_core::PostalAddress {
                        address1: street.into(),
                        postcode: postcode.into(),
                        city: "Ort".into(),
                        ..Default::default()
                    },
                    ..person(first, last).contact
                },
                ..person(first, last)
            },
        );
    }
    for (sheet, households, expect) in [
        (Sheet::ThreeByEight, false, 4usize),
        (Sheet::ThreeBySeven, true, 3),
    ] {
        let out = dir.path().join("etiketter.pdf");
        let done = letters::labels(
            &r,
            &ListQuery::default(),
            sheet,
            households,
            (0.0, 0.0),
            &out,
        )
        .unwrap();
        assert_eq!((done.items, done.pages), (expect, 1));
        sound(&out);
        let text = page_text(&out, 1);
        let first = |s: &str| {
            text.find(s)
                .unwrap_or_else(|| panic!("{s} missing: {text}"))
        };
        assert!(
            first("111 22") < first("211 22") && first("211 22") < first("981 32"),
            "{text}"
        );
        if households {
            assert!(text.contains("Bo och Åsa Östlund"), "{text}");
        }
    }
    // Every label's lines stay inside its cell.
    let people: Vec<letters::labels::Addressee> = (0..30)
        .map(|i| letters::labels::Addressee {
            first_name: format!("Förnamn{i}"),
            last_name: "Efternamnsson-Långnamnsdotter".into(),
            address: medlem_core::PostalAddress {
                address1: "Mycket långa gatan 123".into(),
                postcode: format!("{:05}", 10000 + i),
                city: "Stad".into(),
                ..Default::default()
            },
        })
        .collect();
    let (pages, count) =
        letters::labels::layout(&people, Sheet::ThreeByEight, false, 0.0, 0.0, "SE", "sv").unwrap();
    assert_eq!(count, 30);
    assert_eq!(pages.len(), 2);
    for (p, page) in pages.iter().enumerate() {
        for item in &page.items {
            if let Item::Text { x, y, .. } = item {
                let cell = (0..24)
                    .map(|i| Sheet::ThreeByEight.cell(i, 0.0, 0.0))
                    .find(|c| *x >= c.x && *x < c.x + c.w && *y >= c.y && *y < c.y + c.h);
                assert!(cell.is_some(), "page {p}: text at {x},{y} in no label");
            }
        }
    }
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn member_list_and_signature_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    for i in 0..70 {
        add(&mut r, addressed(&format!("Person{i:02}"), "Ström", "sv"));
    }
    let out = dir.path().join("lista.pdf");
    let done = letters::list(
        &r,
        &ListQuery::default(),
        letters::lists::Kind::Members,
        &out,
    )
    .unwrap();
    assert_eq!(done.items, 70);
    sound(&out);
    let first = page_text(&out, 1);
    assert!(
        first.contains("Medlemslista") && first.contains("Ström, Person00"),
        "{first}"
    );
    let sign = dir.path().join("underskrift.pdf");
    let done = letters::list(
        &r,
        &ListQuery::default(),
        letters::lists::Kind::Signatures,
        &sign,
    )
    .unwrap();
    assert!(done.pages >= 3, "{done:?}");
    sound(&sign);
    let last = page_text(&sign, done.pages);
    assert!(
        last.contains("Ström, Person69") && last.contains("Underskrift"),
        "{last}"
    );
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn the_calibration_page_outlines_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("NO");
    assert_eq!(letters::settings(&r).unwrap().window, "no_left");
    let err = letters::set_settings(
        &mut r,
        &letters::LetterSettings {
            window: "mars_left".into(),
            offset_x: 99.0,
            ..Default::default()
        },
    )
    .unwrap_err();
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["window", "offsetX"]);
    let out = dir.path().join("kalibrering.pdf");
    letters::calibration(&r, &out).unwrap();
    sound(&out);
    let win = layout::window("no_left", 0.0, 0.0).unwrap();
    let page = layout::calibration(win, "no_left", "nb");
    assert!(page.items.contains(&Item::Rect {
        x: win.x,
        y: win.y,
        w: win.w,
        h: win.h
    }));
    assert!(texts(&page).iter().any(|t| t.contains("konvolutten")));
    assert!(page_text(&out, 1).contains("no_left"));
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn a_saved_selection_makes_letters_for_the_same_members_again() {
    use medlem_core::selections;
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    add(&mut r, addressed("Åsa", "Östlund", "sv"));
    add(&mut r, addressed("Bo", "Ek", "sv"));
    assert_eq!(
        selections::save(&mut r, "  ", &ListQuery::default())
            .unwrap_err()
            .code(),
        "validation"
    );
    let query = ListQuery {
        search: "öst".into(),
        offset: 100,
        ..Default::default()
    };
    let saved = selections::save(&mut r, "Östlunds", &query).unwrap();
    assert_eq!(saved.query.offset, 0, "the page is not part of a selection");
    assert_eq!(selections::list(&r).unwrap(), std::slice::from_ref(&saved));
    let out = dir.path().join("brev.pdf");
    let query = selections::get(&r, "Östlunds").unwrap().query;
    let done = letters::letters(
        &mut r,
        "welcome",
        &query,
        &out,
        &mut |_, _| {},
        &AtomicBool::new(false),
        medlem_core::LETTER_KINDS,
    )
    .unwrap();
    assert_eq!(done.items, 1);
    assert!(page_text(&out, 1).contains("Åsa Östlund"));
    selections::delete(&mut r, "Östlunds").unwrap();
    assert_eq!(
        selections::get(&r, "Östlunds").unwrap_err().code(),
        "not_found"
    );
}
