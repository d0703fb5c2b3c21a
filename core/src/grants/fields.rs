//! The `grant.*` merge fields of decision and reminder letters, written in
//! the letter's language.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::money;
use crate::letters::markup::lines;
use crate::letters::LetterKind;
use crate::types::dates::date_text;
use crate::types::Language;

/// The merge fields a grant letter knows besides the member's and the
/// organisation's.
pub const FIELDS: &[&str] = &[
    "grant.number",
    "grant.title",
    "grant.fund",
    "grant.applicant",
    "grant.requested",
    "grant.approved",
    "grant.paid",
    "grant.conditions",
    "grant.reason",
    "grant.planned_date",
    "grant.report_due",
];

/// Grant letters: templates whose key starts with `grant_` may use
/// [`FIELDS`]; the preview shows [`sample`].
pub const LETTERS: LetterKind = LetterKind {
    key_prefix: "grant_",
    context: "grant",
    fields: FIELDS,
    sample,
};

/// What a grant letter says about its application.
pub struct Values<'a> {
    pub number: i64,
    pub title: &'a str,
    pub fund: &'a str,
    pub applicant: &'a str,
    pub requested: i64,
    pub approved: Option<i64>,
    pub paid: Option<i64>,
    pub conditions: &'a str,
    pub reason: &'a str,
    pub planned_date: Option<NaiveDate>,
    pub report_due: Option<NaiveDate>,
}

/// The values of [`FIELDS`] (without the `grant.` prefix).
pub fn values(v: &Values, language: Language) -> BTreeMap<&'static str, String> {
    let amount = |a: Option<i64>| a.map(|a| money::format(a, language)).unwrap_or_default();
    let date = |d: Option<NaiveDate>| d.map(|d| date_text(d, language)).unwrap_or_default();
    BTreeMap::from([
        ("number", v.number.to_string()),
        ("title", v.title.to_owned()),
        ("fund", v.fund.to_owned()),
        ("applicant", v.applicant.to_owned()),
        ("requested", money::format(v.requested, language)),
        ("approved", amount(v.approved)),
        ("paid", amount(v.paid)),
        ("conditions", lines(v.conditions)),
        ("reason", lines(v.reason)),
        ("planned_date", date(v.planned_date)),
        ("report_due", date(v.report_due)),
    ])
}

/// Example values for the preview of a grant letter.
pub fn sample(today: NaiveDate, language: Language) -> BTreeMap<&'static str, String> {
    let (title, fund, conditions, reason) = match language {
        Language::Sv => (
            "Workshop om arbetsmiljö",
            "Initiativpotten 2027",
            "Skicka en kort redovisning med kvitton senast en månad efter aktiviteten.",
            "Potten är förbrukad för i år.",
        ),
        Language::Da => (
            "Workshop om arbejdsmiljø",
            "Initiativpuljen 2027",
            "Send en kort rapport med kvitteringer senest en måned efter aktiviteten.",
            "Puljen er brugt op i år.",
        ),
        Language::Nb => (
            "Workshop om arbeidsmiljø",
            "Initiativpotten 2027",
            "Send en kort rapport med kvitteringer senest en måned etter aktiviteten.",
            "Potten er brukt opp for i år.",
        ),
        Language::En => (
            "Workshop on the working environment",
            "Initiative pool 2027",
            "Send a short report with receipts within a month of the activity.",
            "The pool has been used up for this year.",
        ),
    };
    values(
        &Values {
            number: 17,
            title,
            fund,
            applicant: "Åsa Östlund",
            requested: 1_000_000,
            approved: Some(800_000),
            paid: Some(800_000),
            conditions,
            reason,
            planned_date: Some(today + chrono::Days::new(30)),
            report_due: Some(today + chrono::Days::new(60)),
        },
        language,
    )
}
