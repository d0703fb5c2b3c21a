//! Letter templates: the shipped defaults (`templates/*.txt`), the user's
//! versions kept in the store, the check of every merge field, and the kinds
//! of letter that bring merge fields of their own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::template as engine;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::letters::SavedTemplate;
use crate::store::Store;
use crate::types::dates::now;
use crate::types::Language;
use crate::validate::{text_problem, Lines};

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
    (
        "invoice",
        Language::Sv,
        include_str!("templates/invoice.sv.txt"),
    ),
    (
        "invoice",
        Language::Da,
        include_str!("templates/invoice.da.txt"),
    ),
    (
        "invoice",
        Language::Nb,
        include_str!("templates/invoice.nb.txt"),
    ),
    (
        "invoice",
        Language::En,
        include_str!("templates/invoice.en.txt"),
    ),
    (
        "invoice_reminder",
        Language::Sv,
        include_str!("templates/invoice_reminder.sv.txt"),
    ),
    (
        "invoice_reminder",
        Language::Da,
        include_str!("templates/invoice_reminder.da.txt"),
    ),
    (
        "invoice_reminder",
        Language::Nb,
        include_str!("templates/invoice_reminder.nb.txt"),
    ),
    (
        "invoice_reminder",
        Language::En,
        include_str!("templates/invoice_reminder.en.txt"),
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
    if let Some(code) = text_problem(&input.subject, 200, Lines::One) {
        errors.push(FieldError::new("subject", code));
    }
    if let Some(code) = text_problem(&input.body, 20_000, Lines::Many) {
        errors.push(FieldError::new("body", code));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let extra = kind_of(kinds, input.key.trim()).map_or(&[][..], |k| k.fields);
    engine::check("subject", &input.subject, extra).map_err(template_error)?;
    engine::check("body", &input.body, extra).map_err(template_error)?;
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

pub(super) fn kind_of<'k>(kinds: &'k [LetterKind], key: &str) -> Option<&'k LetterKind> {
    kinds.iter().find(|k| key.starts_with(k.key_prefix))
}

pub(super) fn template_error(e: engine::TemplateError) -> Error {
    match e {
        engine::TemplateError::UnknownField { part, field } => Error::Template {
            part,
            field: Some(field),
            line: None,
            detail: String::new(),
        },
        engine::TemplateError::Syntax { part, line, detail } => Error::Template {
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
        now(),
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
