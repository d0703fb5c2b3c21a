//! Printed member letters, address labels and lists, as PDF.
//!
//! A letter is a template (subject and body with merge fields, rendered by
//! minijinja, see [`template`]) in the member's language, laid out on A4
//! ([`layout`]): the organisation's letterhead, the address in the envelope
//! window of the organisation's chosen preset (plus fine offsets), the date,
//! the subject, the body (paragraphs, bullets, bold, see [`markup`]) wrapped
//! by the bundled font's glyph widths ([`wrap`], [`fonts`]), a footer and page
//! numbers. Pages are plain data ([`page`]) until [`pdf`] writes them, so
//! tests check positions directly and the window's live preview draws the
//! same items.

pub mod address;
pub mod fonts;
pub mod labels;
pub mod layout;
pub mod lists;
pub mod markup;
pub mod page;
pub mod pdf;
mod settings;
pub mod template;
mod templates;
pub mod wrap;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::error::{Error, FieldCode, Result};
use crate::store::history::HistoryLine;
use crate::store::{Store, UnitOfWork};
use crate::types::dates::{date_text, now, today};
use crate::types::{HistoryKind, Language, ListQuery, Member, Org};

pub use labels::Sheet;
pub use layout::{Window, PRESETS};
pub use page::{Item, Page};
pub use settings::{
    has_logo, set_logo, set_logo_file, set_settings, settings, LetterSettings, MAX_LOGO,
};
use settings::{logo, offset_errors};
pub use templates::{
    check_template, reset_template, save_template, template, templates, LetterKind, Template,
    TemplateInput,
};
use templates::{kind_of, template_error};

fn letterhead(org: &Org, s: &LetterSettings, has_logo: bool) -> layout::Letterhead {
    let label = match org.country.as_str() {
        "DK" => "CVR-nr.",
        "NO" => "Org.nr.",
        _ => "Org.nr",
    };
    layout::Letterhead {
        name: org.name.clone(),
        address: org
            .postal_address
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        org_number: if org.org_number.trim().is_empty() {
            String::new()
        } else {
            format!("{label} {}", org.org_number.trim())
        },
        contact: s.contact.clone(),
        has_logo,
    }
}

fn member_name(m: &Member) -> String {
    format!("{} {}", m.contact.first_name, m.contact.last_name)
        .trim()
        .to_owned()
}

/// Merge values a letter has besides the member's and the organisation's,
/// written in the letter's language: (`meeting` or `grant`, field → text).
pub(crate) type Extra = (&'static str, BTreeMap<&'static str, String>);

/// The merge values for `m`.
fn context(
    m: &Member,
    org: &Org,
    address_lines: &[String],
    language: Language,
    extra: Option<&Extra>,
) -> minijinja::Value {
    let base = minijinja::context! {
        member => minijinja::context! {
            first_name => m.contact.first_name.clone(),
            last_name => m.contact.last_name.clone(),
            name => format!("{} {}", m.contact.first_name, m.contact.last_name).trim().to_owned(),
            number => m.number.clone(),
            email => m.contact.email.clone(),
            phone => m.contact.phone.clone(),
            address => address_lines.join(", "),
            postcode => m.contact.address.postcode.clone(),
            city => m.contact.address.city.clone(),
            joined_date => m.joined_date.map(|d| d.to_string()).unwrap_or_default(),
        },
        org => minijinja::context! {
            name => org.name.clone(),
            address => org.postal_address.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", "),
            org_number => org.org_number.clone(),
        },
        today => date_text(today(), language),
    };
    match extra {
        None => base,
        Some((name, values)) => minijinja::context! {
            ..minijinja::Value::from_serialize(BTreeMap::from([(*name, values)])),
            ..base
        },
    }
}

/// Refuses text the bundled font cannot print (it would come out as empty
/// boxes): names the character and where it is.
fn printable(what: &str, text: &str) -> Result<()> {
    let f = fonts::Fonts::get();
    match f.regular.missing(text).or_else(|| f.bold.missing(text)) {
        None => Ok(()),
        Some(c) => Err(Error::Unprintable {
            what: what.to_owned(),
            character: c,
        }),
    }
}

/// The pages of one letter to `m` with the template in its merged form.
/// What every letter of a print shares: the organisation, its letterhead
/// and the envelope's window.
struct Paper<'a> {
    org: &'a Org,
    head: &'a layout::Letterhead,
    window: Window,
}

fn letter_pages(
    m: &Member,
    tmpl: &template::Compiled,
    language: Language,
    paper: &Paper,
    extra: Option<&Extra>,
    qr: Option<&layout::QrBlock>,
) -> Result<(Vec<Page>, String)> {
    let Paper { org, head, window } = *paper;
    let lines = address::lines(
        &member_name(m),
        &m.contact.address,
        org.country.as_str(),
        language.as_str(),
    );
    let ctx = context(m, org, &lines, language, extra);
    let subject = tmpl.render("subject", &ctx).map_err(template_error)?;
    let subject = markup::restore(subject.trim()).replace('\n', " ");
    let body = tmpl.render("body", &ctx).map_err(template_error)?;
    let who = format!(
        "{} {} ({})",
        m.contact.first_name, m.contact.last_name, m.number
    );
    printable(&who, &lines.join(" "))?;
    printable(&who, &subject)?;
    printable(&who, &markup::restore(&body))?;
    let blocks = markup::parse(&body);
    let date = date_text(today(), language);
    let pages = layout::layout(&layout::Letter {
        head,
        window,
        address: &lines,
        date: &date,
        subject: &subject,
        body: &blocks,
        language: language.as_str(),
        qr,
    })
    .map_err(|_| Error::AddressTooLong(who))?;
    Ok((pages, subject))
}

fn current_window(s: &LetterSettings) -> Window {
    layout::window(&s.window, s.offset_x, s.offset_y)
        .or_else(|| layout::window("se_right", s.offset_x, s.offset_y))
        .unwrap_or(PRESETS[0].1)
}

/// Page 1 of the letter `input` (saved or not) to member `member_id`, for
/// the window's live preview.
pub fn preview(
    reg: &dyn Store,
    input: &TemplateInput,
    member_id: i64,
    kinds: &[LetterKind],
) -> Result<Page> {
    let (key, language) = check_template(input, kinds)?;
    let org = reg.org_or_err()?;
    let s = settings(reg)?;
    let m = reg.get(member_id)?;
    let tmpl = Template {
        key,
        language,
        subject: input.subject.clone(),
        body: input.body.clone(),
        is_default: false,
    };
    let head = letterhead(&org, &s, logo(reg)?.is_some());
    let compiled = template::Compiled::new(&tmpl.subject, &tmpl.body).map_err(template_error)?;
    // A meeting or grant letter is previewed with an example.
    let sample = kind_of(kinds, &tmpl.key).map(|k| (k.context, (k.sample)(today(), tmpl.language)));
    let paper = Paper {
        org: &org,
        head: &head,
        window: current_window(&s),
    };
    let (mut pages, _) = letter_pages(&m, &compiled, tmpl.language, &paper, sample.as_ref(), None)?;
    let mut page = pages.swap_remove(0);
    // The preview shows what the PDF will: an emoji as its replacement.
    let fonts = fonts::Fonts::get();
    for item in &mut page.items {
        if let Item::Text { text, bold, .. } = item {
            *text = fonts.face(*bold).printed_text(text);
        }
    }
    Ok(page)
}

/// What a bulk run produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PdfSummary {
    /// Letters, labels or rows.
    pub items: usize,
    pub pages: usize,
}

fn write_pdf(out: &Path, bytes: &[u8]) -> Result<()> {
    write_file(out, bytes)
}

/// Writes `bytes` to `out` whole or not at all.
pub(crate) fn write_file(out: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| Error::Export {
        path: out.to_owned(),
        source: e,
    };
    crate::atomic_file::check_output(out)?;
    let part = TempFile::beside(out).map_err(fail)?;
    part.file().write_all(bytes).map_err(fail)?;
    part.persist(out).map_err(fail)
}

/// The members `query` selects (all pages).
fn selection(reg: &dyn Store, query: &ListQuery) -> Result<Vec<Member>> {
    let mut all = Vec::new();
    reg.for_each_member(query, &mut |m| {
        all.push(m.clone());
        Ok(())
    })?;
    Ok(all)
}

/// One letter per member `query` selects, in each member's language, into
/// one PDF at `out`; each letter is recorded in the member's history.
/// `progress(done, total)`; `cancel` stops it with nothing written.
pub fn letters(
    reg: &mut dyn Store,
    key: &str,
    query: &ListQuery,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
    kinds: &[LetterKind],
) -> Result<PdfSummary> {
    // A meeting letter needs its meeting: it is printed from the meeting.
    if kind_of(kinds, key).is_some() {
        return Err(Error::field("key", FieldCode::InvalidChoice));
    }
    let members = selection(reg, query)?;
    print(
        reg,
        key,
        &members,
        &Batch {
            kind: None,
            extra: &|_, _| None,
            out,
            after: &|_| Ok(()),
            qr: &|_| None,
        },
        progress,
        cancel,
    )
}

/// What a bulk print is for, beyond the members and the template.
pub(crate) struct Batch<'a> {
    /// The kind of letter (its merge fields), if not a plain member letter.
    pub kind: Option<&'a LetterKind>,
    /// The meeting or grant values of the letter to the `i`th member.
    pub extra: &'a dyn Fn(usize, Language) -> Option<Extra>,
    pub out: &'a Path,
    /// Runs inside the unit of work that records the letters, before the
    /// file is renamed into place (e.g. marks invitations as sent).
    pub after: &'a dyn Fn(&dyn UnitOfWork) -> Result<()>,
    /// A QR code after the body of the letter to the `i`th member (an
    /// invoice's Swish code).
    pub qr: &'a dyn Fn(usize) -> Option<layout::QrBlock>,
}

/// One letter with template `key` per member of `members`, each in their
/// language, into one PDF; recorded in each member's history together with
/// `batch.after`, all or nothing.
pub(crate) fn print(
    reg: &mut dyn Store,
    key: &str,
    members: &[Member],
    batch: &Batch,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<PdfSummary> {
    let org = reg.org_or_err()?;
    let s = settings(reg)?;
    let logo = logo(reg)?;
    let head = letterhead(&org, &s, logo.is_some());
    let window = current_window(&s);
    // Every language's version is checked before the first page is made.
    let mut by_language: BTreeMap<&'static str, (template::Compiled, Language)> = BTreeMap::new();
    for language in [Language::Sv, Language::Da, Language::Nb, Language::En] {
        let t = template(reg, key, language)?;
        check_template(
            &TemplateInput {
                key: t.key.clone(),
                language: t.language.as_str().to_owned(),
                subject: t.subject.clone(),
                body: t.body.clone(),
            },
            batch.kind.map(std::slice::from_ref).unwrap_or_default(),
        )?;
        let compiled = template::Compiled::new(&t.subject, &t.body).map_err(template_error)?;
        by_language.insert(language.as_str(), (compiled, t.language));
    }
    let total = members.len();
    let mut pages = Vec::with_capacity(total);
    let mut sent: Vec<(i64, String)> = Vec::with_capacity(total);
    for (i, m) in members.iter().enumerate() {
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let (compiled, language) = &by_language[m.language.as_str()];
        let extra = (batch.extra)(i, *language);
        let qr = (batch.qr)(i);
        let paper = Paper {
            org: &org,
            head: &head,
            window,
        };
        let (p, subject) =
            letter_pages(m, compiled, *language, &paper, extra.as_ref(), qr.as_ref())?;
        pages.extend(p);
        sent.push((m.id, subject));
        if i % 20 == 0 {
            progress(i, total);
        }
    }
    let page_count = pages.len();
    let bytes = pdf::render(&org.name, pages, logo.as_ref());
    if cancel.load(Ordering::SeqCst) {
        return Err(Error::Cancelled);
    }
    // The history and the file together: the file is renamed into place
    // inside the transaction, so either both happen or neither.
    let work = reg.begin()?;
    let at = now();
    for (id, subject) in &sent {
        work.history_writes().record(&HistoryLine {
            member_id: *id,
            at,
            kind: HistoryKind::Letter,
            field: Some(key),
            old: None,
            new: Some(subject),
            effective: None,
        })?;
    }
    (batch.after)(&*work)?;
    write_pdf(batch.out, &bytes)?;
    work.commit()?;
    progress(total, total);
    Ok(PdfSummary {
        items: total,
        pages: page_count,
    })
}

/// The calibration page for the organisation's window preset and offsets.
pub fn calibration(reg: &dyn Store, out: &Path) -> Result<PdfSummary> {
    let s = settings(reg)?;
    let language = reg
        .language()?
        .or_else(|| reg.org().ok().flatten().map(|o| o.country.language()))
        .unwrap_or(Language::Sv);
    let page = layout::calibration(current_window(&s), &s.window, language.as_str());
    write_pdf(out, &pdf::render("Medlem", vec![page], None))?;
    Ok(PdfSummary { items: 1, pages: 1 })
}

/// Address labels for the members `query` selects.
pub fn labels(
    reg: &dyn Store,
    query: &ListQuery,
    sheet: Sheet,
    households: bool,
    offset: (f32, f32),
    out: &Path,
) -> Result<PdfSummary> {
    let errors = offset_errors(offset.0, offset.1);
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let org = reg.org_or_err()?;
    let language = org.country.language();
    let people: Vec<labels::Addressee> = selection(reg, query)?
        .iter()
        .map(|m| labels::Addressee {
            first_name: m.contact.first_name.clone(),
            last_name: m.contact.last_name.clone(),
            address: m.contact.address.clone(),
        })
        .collect();
    for p in &people {
        printable(
            &format!("{} {}", p.first_name, p.last_name),
            &format!(
                "{} {} {} {} {} {} {}",
                p.first_name,
                p.last_name,
                p.address.care_of,
                p.address.address1,
                p.address.address2,
                p.address.postcode,
                p.address.city
            ),
        )?;
    }
    let (pages, count) = labels::layout(
        &people,
        sheet,
        households,
        offset.0,
        offset.1,
        org.country.as_str(),
        language.as_str(),
    )
    .map_err(|e| Error::AddressTooLong(e.name))?;
    let page_count = pages.len();
    write_pdf(out, &pdf::render(&org.name, pages, None))?;
    Ok(PdfSummary {
        items: count,
        pages: page_count,
    })
}

/// A member list or a signature sheet for the members `query` selects.
pub fn list(
    reg: &dyn Store,
    query: &ListQuery,
    kind: lists::Kind,
    out: &Path,
) -> Result<PdfSummary> {
    let members = selection(reg, query)?;
    list_of(reg, &members, kind, None, None, out)
}

/// A member list or signature sheet of `members`, titled `title` (default:
/// the kind of list), with `subtitle` after the organisation's name
/// (default: today's date).
pub(crate) fn list_of(
    reg: &dyn Store,
    members: &[Member],
    kind: lists::Kind,
    title: Option<&str>,
    subtitle: Option<&str>,
    out: &Path,
) -> Result<PdfSummary> {
    let org = reg.org_or_err()?;
    let language = reg.print_language()?;
    let rows: Vec<lists::Row> = members
        .iter()
        .map(|m| lists::Row {
            number: m.number.clone(),
            name: format!("{}, {}", m.contact.last_name, m.contact.first_name),
            address: [
                m.contact.address.address1.as_str(),
                &format!("{} {}", m.contact.address.postcode, m.contact.address.city),
            ]
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
            status: status_word(m.status.as_str(), language).to_owned(),
        })
        .collect();
    for r in &rows {
        printable(&r.name, &format!("{} {} {}", r.name, r.number, r.address))?;
    }
    let mut h = headings(kind, language);
    if let Some(t) = title {
        printable(t, t)?;
        h.title = t.to_owned();
    }
    let subtitle = subtitle.map_or_else(|| date_text(today(), language), str::to_owned);
    printable(&subtitle, &subtitle)?;
    let pages = lists::layout(kind, &org.name, &subtitle, &rows, &h);
    let count = pages.len();
    write_pdf(out, &pdf::render(&h.title, pages, None))?;
    Ok(PdfSummary {
        items: rows.len(),
        pages: count,
    })
}

fn status_word(status: &str, language: Language) -> &'static str {
    let i = match language {
        Language::Sv => 0,
        Language::Da => 1,
        Language::Nb => 2,
        Language::En => 3,
    };
    let words: [[&str; 4]; 4] = [
        ["Sökande", "Ansøger", "Søker", "Applicant"],
        ["Aktiv", "Aktiv", "Aktiv", "Active"],
        ["Utträdd", "Udmeldt", "Utmeldt", "Resigned"],
        ["Avliden", "Afdød", "Avdød", "Deceased"],
    ];
    let row = match status {
        "applicant" => 0,
        "active" => 1,
        "resigned" => 2,
        _ => 3,
    };
    words[row][i]
}

fn headings(kind: lists::Kind, language: Language) -> lists::Headings {
    let (title_members, title_sign, number, name, address, status, signature, page) = match language
    {
        Language::Sv => (
            "Medlemslista",
            "Namnlista för underskrift",
            "Nr",
            "Namn",
            "Adress",
            "Status",
            "Underskrift",
            "Sida {n} av {total}",
        ),
        Language::Da => (
            "Medlemsliste",
            "Underskriftsliste",
            "Nr.",
            "Navn",
            "Adresse",
            "Status",
            "Underskrift",
            "Side {n} af {total}",
        ),
        Language::Nb => (
            "Medlemsliste",
            "Signaturliste",
            "Nr.",
            "Navn",
            "Adresse",
            "Status",
            "Signatur",
            "Side {n} av {total}",
        ),
        Language::En => (
            "Member list",
            "Signature sheet",
            "No.",
            "Name",
            "Address",
            "Status",
            "Signature",
            "Page {n} of {total}",
        ),
    };
    lists::Headings {
        title: match kind {
            lists::Kind::Members => title_members,
            lists::Kind::Signatures => title_sign,
        }
        .to_owned(),
        number: number.to_owned(),
        name: name.to_owned(),
        address: address.to_owned(),
        status: status.to_owned(),
        signature: signature.to_owned(),
        page,
    }
}
