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
pub mod template;
pub mod wrap;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::history::HistoryLine;
use crate::store::letters::SavedTemplate;
use crate::store::{Store, UnitOfWork};
use crate::types::dates::{date_text, now, today};
use crate::types::{HistoryKind, Language, ListQuery, Member, Org};

pub use labels::Sheet;
pub use layout::{Window, PRESETS};
pub use page::{Item, Page};

/// A template as the window edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    /// `welcome`, `notice` or the user's own (letters, digits, `-`, `_`).
    pub key: String,
    pub language: Language,
    pub subject: String,
    pub body: String,
    /// Shipped with Medlem and not changed.
    pub is_default: bool,
}

/// The templates Medlem ships: (key, language, text). The text's first
/// line is the subject, the rest the body.
const DEFAULTS: &[(&str, Language, &str)] = &[
    (
        "welcome",
        Language::Sv,
        include_str!("templates/welcome.sv.txt"),
    ),
    (
        "welcome",
        Language::Da,
        include_str!("templates/welcome.da.txt"),
    ),
    (
        "welcome",
        Language::Nb,
        include_str!("templates/welcome.nb.txt"),
    ),
    (
        "welcome",
        Language::En,
        include_str!("templates/welcome.en.txt"),
    ),
    (
        "notice",
        Language::Sv,
        include_str!("templates/notice.sv.txt"),
    ),
    (
        "notice",
        Language::Da,
        include_str!("templates/notice.da.txt"),
    ),
    (
        "notice",
        Language::Nb,
        include_str!("templates/notice.nb.txt"),
    ),
    (
        "notice",
        Language::En,
        include_str!("templates/notice.en.txt"),
    ),
    (
        "meeting_invitation",
        Language::Sv,
        include_str!("templates/meeting_invitation.sv.txt"),
    ),
    (
        "meeting_invitation",
        Language::Da,
        include_str!("templates/meeting_invitation.da.txt"),
    ),
    (
        "meeting_invitation",
        Language::Nb,
        include_str!("templates/meeting_invitation.nb.txt"),
    ),
    (
        "meeting_invitation",
        Language::En,
        include_str!("templates/meeting_invitation.en.txt"),
    ),
    (
        "meeting_seat",
        Language::Sv,
        include_str!("templates/meeting_seat.sv.txt"),
    ),
    (
        "meeting_seat",
        Language::Da,
        include_str!("templates/meeting_seat.da.txt"),
    ),
    (
        "meeting_seat",
        Language::Nb,
        include_str!("templates/meeting_seat.nb.txt"),
    ),
    (
        "meeting_seat",
        Language::En,
        include_str!("templates/meeting_seat.en.txt"),
    ),
    (
        "grant_approval",
        Language::Sv,
        include_str!("templates/grant_approval.sv.txt"),
    ),
    (
        "grant_approval",
        Language::Da,
        include_str!("templates/grant_approval.da.txt"),
    ),
    (
        "grant_approval",
        Language::Nb,
        include_str!("templates/grant_approval.nb.txt"),
    ),
    (
        "grant_approval",
        Language::En,
        include_str!("templates/grant_approval.en.txt"),
    ),
    (
        "grant_rejection",
        Language::Sv,
        include_str!("templates/grant_rejection.sv.txt"),
    ),
    (
        "grant_rejection",
        Language::Da,
        include_str!("templates/grant_rejection.da.txt"),
    ),
    (
        "grant_rejection",
        Language::Nb,
        include_str!("templates/grant_rejection.nb.txt"),
    ),
    (
        "grant_rejection",
        Language::En,
        include_str!("templates/grant_rejection.en.txt"),
    ),
    (
        "grant_reminder",
        Language::Sv,
        include_str!("templates/grant_reminder.sv.txt"),
    ),
    (
        "grant_reminder",
        Language::Da,
        include_str!("templates/grant_reminder.da.txt"),
    ),
    (
        "grant_reminder",
        Language::Nb,
        include_str!("templates/grant_reminder.nb.txt"),
    ),
    (
        "grant_reminder",
        Language::En,
        include_str!("templates/grant_reminder.en.txt"),
    ),
];

fn default_template(key: &str, language: Language) -> Option<Template> {
    DEFAULTS
        .iter()
        .find(|(k, l, _)| *k == key && *l == language)
        .map(|(k, l, text)| {
            let (subject, body) = text.split_once('\n').unwrap_or((text, ""));
            Template {
                key: (*k).to_owned(),
                language: *l,
                subject: subject.trim().to_owned(),
                body: body.trim_matches('\n').to_owned(),
                is_default: true,
            }
        })
}

/// Every template: the defaults (or the user's version of them) and the
/// user's own, sorted by key and language.
pub fn templates(reg: &dyn Store) -> Result<Vec<Template>> {
    let mut all: BTreeMap<(String, &'static str), Template> = BTreeMap::new();
    for (key, language, _) in DEFAULTS {
        if let Some(t) = default_template(key, *language) {
            all.insert((t.key.clone(), language.as_str()), t);
        }
    }
    for saved in reg.letters().saved_templates()? {
        let SavedTemplate {
            key,
            language,
            subject,
            body,
        } = saved;
        let Some(language) = Language::parse(&language) else {
            continue;
        };
        all.insert(
            (key.clone(), language.as_str()),
            Template {
                key,
                language,
                subject,
                body,
                is_default: false,
            },
        );
    }
    Ok(all.into_values().collect())
}

/// The template `key` in `language`, falling back to the organisation's
/// language, then any language the template exists in.
pub fn template(reg: &dyn Store, key: &str, language: Language) -> Result<Template> {
    let all = templates(reg)?;
    let fallback = reg
        .org()?
        .map(|o| o.country.language())
        .unwrap_or(Language::Sv);
    [language, fallback]
        .iter()
        .find_map(|l| all.iter().find(|t| t.key == key && t.language == *l))
        .or_else(|| all.iter().find(|t| t.key == key))
        .cloned()
        .ok_or(Error::NotFound("template"))
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// What the window sends to save a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TemplateInput {
    pub key: String,
    pub language: String,
    pub subject: String,
    pub body: String,
}

/// Checks a template: the key, the language, and every merge field.
pub fn check_template(input: &TemplateInput, kinds: &[LetterKind]) -> Result<(String, Language)> {
    let mut errors = Vec::new();
    if !valid_key(input.key.trim()) {
        errors.push(FieldError::new("key", FieldCode::InvalidChoice));
    }
    let language = Language::parse(input.language.trim());
    if language.is_none() {
        errors.push(FieldError::new("language", FieldCode::InvalidChoice));
    }
    if input.subject.trim().is_empty() {
        errors.push(FieldError::new("subject", FieldCode::Required));
    }
    if input.subject.chars().count() > 200 {
        errors.push(FieldError::new("subject", FieldCode::TooLong));
    }
    if input.body.chars().count() > 20_000 {
        errors.push(FieldError::new("body", FieldCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let extra = kind_of(kinds, input.key.trim()).map_or(&[][..], |k| k.fields);
    template::check("subject", &input.subject, extra).map_err(template_error)?;
    template::check("body", &input.body, extra).map_err(template_error)?;
    Ok((
        input.key.trim().to_owned(),
        language.unwrap_or(Language::Sv),
    ))
}

/// A kind of letter that brings merge fields of its own: a meeting letter
/// (key `meeting_…`) the meeting's, a grant letter (`grant_…`) the
/// application's. The areas that print them define their kind
/// (`meetings::fields::LETTERS`, `grants::fields::LETTERS`) and the caller
/// passes the kinds in ([`crate::LETTER_KINDS`]), so letters never import
/// the areas that use them.
pub struct LetterKind {
    /// Templates whose key starts with this are of this kind.
    pub key_prefix: &'static str,
    /// The name the fields have in a template (`meeting` for
    /// `{{ meeting.title }}`).
    pub context: &'static str,
    /// The merge fields the kind adds.
    pub fields: &'static [&'static str],
    /// Example values for the preview, in the letter's language.
    pub sample: fn(chrono::NaiveDate, Language) -> BTreeMap<&'static str, String>,
}

fn kind_of<'k>(kinds: &'k [LetterKind], key: &str) -> Option<&'k LetterKind> {
    kinds.iter().find(|k| key.starts_with(k.key_prefix))
}

fn template_error(e: template::TemplateError) -> Error {
    match e {
        template::TemplateError::UnknownField { part, field } => Error::Template {
            part,
            field: Some(field),
            line: None,
            detail: String::new(),
        },
        template::TemplateError::Syntax { part, line, detail } => Error::Template {
            part,
            field: None,
            line,
            detail,
        },
    }
}

/// Saves the user's version of a template (all merge fields known).
pub fn save_template(
    reg: &mut dyn Store,
    input: &TemplateInput,
    kinds: &[LetterKind],
) -> Result<Template> {
    let (key, language) = check_template(input, kinds)?;
    let work = reg.begin()?;
    work.letter_writes().save_template(
        &SavedTemplate {
            key: key.clone(),
            language: language.as_str().to_owned(),
            subject: input.subject.trim().to_owned(),
            body: input.body.clone(),
        },
        &now(),
    )?;
    work.commit()?;
    template(reg, &key, language)
}

/// Goes back to the shipped version (or removes the user's own template).
pub fn reset_template(reg: &mut dyn Store, key: &str, language: Language) -> Result<()> {
    let work = reg.begin()?;
    work.letter_writes()
        .remove_template(key, language.as_str())?;
    work.commit()
}

/// How the organisation's letters are laid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LetterSettings {
    /// One of [`PRESETS`].
    pub window: String,
    /// Fine offsets of the address, mm (right, down).
    pub offset_x: f32,
    pub offset_y: f32,
    /// E-mail, phone, web: printed in the letterhead and footer.
    pub contact: String,
}

impl Default for LetterSettings {
    fn default() -> Self {
        LetterSettings {
            window: "se_right".to_owned(),
            offset_x: 0.0,
            offset_y: 0.0,
            contact: String::new(),
        }
    }
}

const SET_LETTERS: &str = "letter_settings";
const LOGO: &str = "logo";
/// Offsets beyond this are a mistake, not a fine adjustment.
const MAX_OFFSET: f32 = 30.0;

/// `offsetX` / `offsetY` refused when not a number of mm within ±30.
fn offset_errors(x: f32, y: f32) -> Vec<FieldError> {
    [("offsetX", x), ("offsetY", y)]
        .into_iter()
        .filter(|(_, v)| !v.is_finite() || v.abs() > MAX_OFFSET)
        .map(|(field, _)| FieldError::new(field, FieldCode::InvalidNumber))
        .collect()
}

/// The organisation's letter settings; the default window follows its
/// country.
pub fn settings(reg: &dyn Store) -> Result<LetterSettings> {
    if let Some(s) = reg
        .setting(SET_LETTERS)?
        .and_then(|s| serde_json::from_str::<LetterSettings>(&s).ok())
    {
        return Ok(s);
    }
    let window = match reg.org()?.map(|o| o.country.as_str()) {
        Some("DK") => "dk_left",
        Some("NO") => "no_left",
        _ => "se_right",
    };
    Ok(LetterSettings {
        window: window.to_owned(),
        ..LetterSettings::default()
    })
}

pub fn set_settings(reg: &mut dyn Store, s: &LetterSettings) -> Result<LetterSettings> {
    let mut errors = Vec::new();
    if !PRESETS.iter().any(|(id, _)| *id == s.window) {
        errors.push(FieldError::new("window", FieldCode::InvalidChoice));
    }
    errors.extend(offset_errors(s.offset_x, s.offset_y));
    if s.contact.chars().count() > 200 {
        errors.push(FieldError::new("contact", FieldCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let s = LetterSettings {
        contact: s.contact.trim().to_owned(),
        ..s.clone()
    };
    let work = reg.begin()?;
    work.put_setting(SET_LETTERS, &serde_json::to_string(&s).unwrap_or_default())?;
    work.commit()?;
    Ok(s)
}

/// Sets (or with `None` removes) the logo: a PNG or JPEG of at most 2 MB.
pub fn set_logo(reg: &mut dyn Store, bytes: Option<&[u8]>) -> Result<()> {
    if let Some(b) = bytes {
        if b.len() > 2_000_000 || decode_logo(b).is_none() {
            return Err(Error::field("logo", FieldCode::InvalidChoice));
        }
    }
    let work = reg.begin()?;
    work.letter_writes().put_file(LOGO, bytes)?;
    work.commit()
}

/// Has the organisation a logo?
pub fn has_logo(reg: &dyn Store) -> Result<bool> {
    reg.letters().has_file(LOGO)
}

fn logo(reg: &dyn Store) -> Result<Option<printpdf::RawImage>> {
    Ok(reg.letters().file(LOGO)?.as_deref().and_then(decode_logo))
}

fn decode_logo(bytes: &[u8]) -> Option<printpdf::RawImage> {
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !is_png && !is_jpeg {
        return None;
    }
    printpdf::RawImage::decode_from_bytes(bytes, &mut Vec::new()).ok()
}

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

fn member_address(m: &Member) -> address::Address {
    address::Address {
        name: format!("{} {}", m.first_name, m.last_name)
            .trim()
            .to_owned(),
        care_of: m.care_of.clone(),
        address1: m.address1.clone(),
        address2: m.address2.clone(),
        postcode: m.postcode.clone(),
        city: m.city.clone(),
        country: m.country.clone(),
    }
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
            first_name => m.first_name.clone(),
            last_name => m.last_name.clone(),
            name => format!("{} {}", m.first_name, m.last_name).trim().to_owned(),
            number => m.number.clone(),
            email => m.email.clone(),
            phone => m.phone.clone(),
            address => address_lines.join(", "),
            postcode => m.postcode.clone(),
            city => m.city.clone(),
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
fn letter_pages(
    m: &Member,
    tmpl: &template::Compiled,
    language: Language,
    org: &Org,
    head: &layout::Letterhead,
    window: Window,
    extra: Option<&Extra>,
) -> Result<(Vec<Page>, String)> {
    let lines = address::lines(&member_address(m), org.country.as_str(), language.as_str());
    let ctx = context(m, org, &lines, language, extra);
    let subject = tmpl.render("subject", &ctx).map_err(template_error)?;
    let subject = markup::restore(subject.trim()).replace('\n', " ");
    let body = tmpl.render("body", &ctx).map_err(template_error)?;
    let who = format!("{} {} ({})", m.first_name, m.last_name, m.number);
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
    let (mut pages, _) = letter_pages(
        &m,
        &compiled,
        tmpl.language,
        &org,
        &head,
        current_window(&s),
        sample.as_ref(),
    )?;
    Ok(pages.swap_remove(0))
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
        let (p, subject) =
            letter_pages(m, compiled, *language, &org, &head, window, extra.as_ref())?;
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
            at: &at,
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
            first_name: m.first_name.clone(),
            last_name: m.last_name.clone(),
            address: member_address(m),
        })
        .collect();
    for p in &people {
        printable(
            &format!("{} {}", p.first_name, p.last_name),
            &format!(
                "{} {} {} {} {} {}",
                p.address.name,
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
    let language = reg.language()?.unwrap_or(org.country.language());
    let rows: Vec<lists::Row> = members
        .iter()
        .map(|m| lists::Row {
            number: m.number.clone(),
            name: format!("{}, {}", m.last_name, m.first_name),
            address: [m.address1.as_str(), &format!("{} {}", m.postcode, m.city)]
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
