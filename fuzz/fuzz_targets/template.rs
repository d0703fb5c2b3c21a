//! A letter template, as a letter is made from it: the input's first line
//! is the subject, the rest the body (the shipped templates' own format),
//! and what follows a NUL is the value every merge field gets. The template
//! is checked (`letters::check_template`: key, lengths, syntax, every merge
//! field known), compiled and rendered (`template::Compiled`), its body
//! split into blocks (`markup::parse`) and the address and body laid out on
//! pages (`address::lines`, `layout::layout`, which wraps). Never a panic;
//! a template that passes the check always compiles.

#![no_main]

use std::collections::BTreeMap;

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use medlem_core::letters::{self, address, layout, markup, template};
use medlem_core::{Language, PostalAddress};
use minijinja::Value;

fuzz_target!(init: medlem_fuzz::init("template"), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (source, value) = text.split_once('\0').unwrap_or((&text, "Åsa-Maria **Öst** - 1001"));
    let (subject, body) = source.split_once('\n').unwrap_or((source, ""));
    let language = Language::ALL[data.len() % Language::ALL.len()];
    // The key picks which kind's merge fields are known, as it does in the app.
    let key = if body.contains("meeting.") {
        "meeting_invitation"
    } else if body.contains("grant.") {
        "grant_approval"
    } else {
        "welcome"
    };
    let input = letters::TemplateInput {
        key: key.into(),
        language: language.as_str().into(),
        subject: subject.into(),
        body: body.into(),
    };
    // The check alone, for the parser's errors too.
    let _ = template::check("body", body, &[]);
    if letters::check_template(&input, medlem_core::LETTER_KINDS).is_err() {
        return;
    }
    let compiled = match template::Compiled::new(subject, body) {
        Ok(c) => c,
        Err(e) => panic!("a checked template does not compile: {e:?}"),
    };
    let ctx = context(key, value, language);
    let (Ok(subject), Ok(body)) = (compiled.render("subject", &ctx), compiled.render("body", &ctx))
    else {
        return;
    };
    let subject = markup::restore(subject.trim()).replace('\n', " ");
    let blocks = markup::parse(&body);
    let lines = address::lines(
        value,
        &PostalAddress {
            care_of: String::new(),
            address1: value.into(),
            address2: String::new(),
            postcode: "123 45".into(),
            city: value.into(),
            country: String::new(),
        },
        "SE",
        language.as_str(),
    );
    let head = layout::Letterhead {
        name: "Fackklubben Verkstaden".into(),
        address: vec!["Box 1".into(), "111 22 Stockholm".into()],
        org_number: "Org.nr 802000-0000".into(),
        contact: "info@verkstaden.se".into(),
        has_logo: false,
    };
    let _ = layout::layout(&layout::Letter {
        head: &head,
        window: letters::PRESETS[0].1,
        address: &lines,
        date: "3 december 2026",
        subject: &subject,
        body: &blocks,
        language: language.as_str(),
        qr: None,
    });
});

/// The merge values, shaped as `letters::context` shapes them: every
/// member and organisation field `value`, and the kind's own fields its
/// sample values.
fn context(key: &str, value: &str, language: Language) -> Value {
    let base = minijinja::context! {
        member => minijinja::context! {
            first_name => value, last_name => value, name => value, number => value,
            email => value, phone => value, address => value, postcode => value,
            city => value, joined_date => value,
        },
        org => minijinja::context! { name => value, address => value, org_number => value },
        today => value,
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date");
    match medlem_core::LETTER_KINDS
        .iter()
        .find(|k| key.starts_with(k.key_prefix))
    {
        None => base,
        Some(kind) => minijinja::context! {
            ..Value::from_serialize(BTreeMap::from([(kind.context, (kind.sample)(today, language))])),
            ..base
        },
    }
}
