//! Hostile strings in every text field a person types: each is either kept
//! as exactly that text (and then comes out as text in the PDF, CSV, xlsx
//! and calendar file) or refused with an error on that very field, and a
//! refusal changes nothing. Never a crash.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use calamine::{open_workbook, Data, Reader, Xlsx};
use medlem_core::export::{self, ExportFormat};
use medlem_core::grants::outgoing::{self, OutgoingInput};
use medlem_core::grants::{self, ApplicationInput, FundInput, LineInput, StepInput};
use medlem_core::letters::{self, LetterSettings, TemplateInput};
use medlem_core::meetings::{self, Meeting, MeetingInput};
use medlem_core::*;

use crate::letters::{org, page_text, pages};

/// The strings of the issue; the long one is made in [`hostile`].
const SHORT: &[&str] = &[
    "<img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\",\"y\")",
    "'); DROP TABLE members;--",
    "a\u{202E}fdp.exe",
    "a\u{0}b",
    "Åsa \u{1F44D}\u{1F3FD} \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
];

fn hostile() -> Vec<String> {
    let mut all: Vec<String> = SHORT.iter().map(|s| s.to_string()).collect();
    all.push("x".repeat(100_000));
    all
}

/// One text field: how to save a thing with `value` in it (on a register
/// that already holds what the thing needs) and read the field back, and how
/// many such things the register holds.
struct Field {
    name: &'static str,
    save: fn(&mut SqliteRegister, &str) -> Result<String>,
    count: fn(&SqliteRegister) -> usize,
}

fn member_with(r: &mut SqliteRegister, set: impl FnOnce(&mut MemberInput)) -> Result<Member> {
    let mut m = crate::person("Åsa", "Öberg");
    m.contact.address.address1 = "Storgatan 1".into();
    m.contact.address.postcode = "111 22".into();
    m.contact.address.city = "Stockholm".into();
    set(&mut m);
    let id = r.create(&m)?.id;
    r.get(id)
}

fn members(r: &SqliteRegister) -> usize {
    r.list(&ListQuery::default()).unwrap().total as usize
}

fn meeting_input(set: impl FnOnce(&mut MeetingInput)) -> MeetingInput {
    let mut m = MeetingInput {
        kind: "member_meeting".into(),
        title: "Medlemsmöte".into(),
        starts: "2027-03-16 18:00".into(),
        ends: "20:00".into(),
        ..Default::default()
    };
    set(&mut m);
    m
}

fn meeting_with(r: &mut SqliteRegister, set: impl FnOnce(&mut MeetingInput)) -> Result<Meeting> {
    let id = meetings::create(r, &meeting_input(set))?.id;
    meetings::get(r, id)
}

fn meetings_count(r: &SqliteRegister) -> usize {
    meetings::list(r).unwrap().len()
}

fn fund_with(r: &mut SqliteRegister, set: impl FnOnce(&mut FundInput)) -> Result<grants::Fund> {
    let mut f = FundInput {
        name: "Initiativpotten".into(),
        period: "2027".into(),
        budget: "10000".into(),
        ..Default::default()
    };
    set(&mut f);
    grants::fund_create(r, &f)
}

fn funds(r: &SqliteRegister) -> usize {
    grants::funds(r).unwrap().len()
}

fn application_with(
    r: &mut SqliteRegister,
    set: impl FnOnce(&mut ApplicationInput),
) -> Result<grants::ApplicationView> {
    let fund = match grants::funds(r).unwrap().first() {
        Some(f) => f.fund.id,
        None => fund_with(r, |_| {}).unwrap().id,
    };
    let member = member_with(r, |_| {}).unwrap().id;
    let mut a = ApplicationInput {
        fund_id: fund,
        applicant_kind: "member".into(),
        applicant: grants::Applicant {
            member_id: Some(member),
            ..Default::default()
        },
        title: "Studiecirkel".into(),
        amount: "1000".into(),
        ..Default::default()
    };
    set(&mut a);
    grants::apply(r, &a)
}

fn applications(r: &SqliteRegister) -> usize {
    grants::applications(r, &Default::default()).unwrap().len()
}

/// An application submitted and then rejected, or approved, with `input`.
fn decided(r: &mut SqliteRegister, input: StepInput) -> Result<grants::Application> {
    let id = application_with(r, |_| {}).unwrap().application.id;
    for step in ["submit", "review"] {
        grants::step(
            r,
            id,
            &StepInput {
                step: step.into(),
                ..Default::default()
            },
        )
        .unwrap();
    }
    Ok(grants::step(r, id, &input)?.application)
}

fn decisions(r: &SqliteRegister) -> usize {
    grants::applications(r, &Default::default())
        .unwrap()
        .iter()
        .filter(|a| a.stage != grants::Stage::InReview)
        .count()
}

fn outgoing_with(
    r: &mut SqliteRegister,
    set: impl FnOnce(&mut OutgoingInput),
) -> Result<outgoing::Outgoing> {
    let mut o = OutgoingInput {
        funder: "Arvsfonden".into(),
        title: "Ungdomsläger".into(),
        amount: "50000".into(),
        ..Default::default()
    };
    set(&mut o);
    outgoing::save(r, None, &o)
}

fn outgoings(r: &SqliteRegister) -> usize {
    outgoing::list(r).unwrap().len()
}

fn template_with(r: &mut SqliteRegister, subject: &str, body: &str) -> Result<letters::Template> {
    letters::save_template(
        r,
        &TemplateInput {
            key: "notice".into(),
            language: "sv".into(),
            subject: subject.into(),
            body: body.into(),
        },
        LETTER_KINDS,
    )
}

fn saved_templates(r: &SqliteRegister) -> usize {
    letters::templates(r)
        .unwrap()
        .iter()
        .filter(|t| !t.is_default)
        .count()
}

fn org_with(r: &mut SqliteRegister, set: impl FnOnce(&mut OrgInput)) -> Result<Org> {
    let o0 = r.org()?.unwrap();
    let mut o = OrgInput {
        name: o0.name,
        country: "SE".into(),
        postal_address: o0.postal_address,
        org_number: o0.org_number,
    };
    set(&mut o);
    r.update_org(&o)?;
    Ok(r.org()?.unwrap())
}

/// Changes of the organisation: its row is always there, so what counts is
/// whether its name, address or number moved away from where they started.
fn org_changed(r: &SqliteRegister) -> usize {
    let o = r.org().unwrap().unwrap();
    let start = org("SE").org().unwrap().unwrap();
    usize::from(
        o.name != start.name
            || o.postal_address != start.postal_address
            || o.org_number != start.org_number,
    )
}

fn fields() -> Vec<Field> {
    macro_rules! member {
        ($name:literal, |$m:ident, $v:ident| $set:expr, |$got:ident| $read:expr) => {
            Field {
                name: $name,
                save: |r, $v| {
                    let $got = member_with(r, |$m| $set)?;
                    Ok($read)
                },
                count: members,
            }
        };
    }
    macro_rules! meeting {
        ($name:literal, $field:ident) => {
            Field {
                name: $name,
                save: |r, v| Ok(meeting_with(r, |m| m.$field = v.into())?.details.$field),
                count: meetings_count,
            }
        };
    }
    vec![
        member!("firstName", |m, v| m.contact.first_name = v.into(), |g| g
            .contact
            .first_name),
        member!("lastName", |m, v| m.contact.last_name = v.into(), |g| g
            .contact
            .last_name),
        member!("email", |m, v| m.contact.email = v.into(), |g| g
            .contact
            .email),
        member!("phone", |m, v| m.contact.phone = v.into(), |g| g
            .contact
            .phone),
        member!("careOf", |m, v| m.contact.address.care_of = v.into(), |g| g
            .contact
            .address
            .care_of),
        member!(
            "address1",
            |m, v| m.contact.address.address1 = v.into(),
            |g| g.contact.address.address1
        ),
        member!(
            "address2",
            |m, v| m.contact.address.address2 = v.into(),
            |g| g.contact.address.address2
        ),
        member!(
            "postcode",
            |m, v| m.contact.address.postcode = v.into(),
            |g| g.contact.address.postcode
        ),
        member!("city", |m, v| m.contact.address.city = v.into(), |g| g
            .contact
            .address
            .city),
        member!(
            "country",
            |m, v| m.contact.address.country = v.into(),
            |g| g.contact.address.country
        ),
        member!("number", |m, v| m.number = v.into(), |g| g.number),
        member!("notes", |m, v| m.notes = v.into(), |g| g.notes),
        Field {
            name: "name",
            save: |r, v| Ok(r.create_branch(v)?.name),
            count: |r| r.branches().unwrap().len(),
        },
        Field {
            name: "name",
            save: |r, v| Ok(r.create_workplace(v, None)?.name),
            count: |r| r.workplaces().unwrap().len(),
        },
        Field {
            name: "name",
            save: |r, v| Ok(selections::save(r, v, &ListQuery::default())?.name),
            count: |r| selections::list(r).unwrap().len(),
        },
        Field {
            name: "name",
            save: |r, v| Ok(org_with(r, |o| o.name = v.into())?.name),
            count: org_changed,
        },
        Field {
            name: "postalAddress",
            save: |r, v| Ok(org_with(r, |o| o.postal_address = v.into())?.postal_address),
            count: org_changed,
        },
        Field {
            name: "orgNumber",
            save: |r, v| Ok(org_with(r, |o| o.org_number = v.into())?.org_number),
            count: org_changed,
        },
        meeting!("title", title),
        meeting!("venue", venue),
        meeting!("agenda", agenda),
        meeting!("note", note),
        meeting!("onlineLink", online_link),
        Field {
            name: "name",
            save: |r, v| Ok(fund_with(r, |f| f.name = v.into())?.name),
            count: funds,
        },
        Field {
            name: "period",
            save: |r, v| Ok(fund_with(r, |f| f.period = v.into())?.period),
            count: funds,
        },
        Field {
            name: "note",
            save: |r, v| Ok(fund_with(r, |f| f.note = v.into())?.note),
            count: funds,
        },
        Field {
            name: "title",
            save: |r, v| {
                Ok(application_with(r, |a| a.title = v.into())?
                    .application
                    .details
                    .title)
            },
            count: applications,
        },
        Field {
            name: "purpose",
            save: |r, v| {
                Ok(application_with(r, |a| a.purpose = v.into())?
                    .application
                    .details
                    .purpose)
            },
            count: applications,
        },
        Field {
            name: "activity",
            save: |r, v| {
                Ok(application_with(r, |a| a.activity = v.into())?
                    .application
                    .details
                    .activity)
            },
            count: applications,
        },
        Field {
            name: "lines.0.item",
            save: |r, v| {
                let view = application_with(r, |a| {
                    a.lines = vec![LineInput {
                        item: v.into(),
                        amount: "1000".into(),
                    }]
                })?;
                Ok(view.lines[0].item.clone())
            },
            count: applications,
        },
        Field {
            name: "reason",
            save: |r, v| {
                let input = StepInput {
                    step: "reject".into(),
                    reason: v.into(),
                    ..Default::default()
                };
                Ok(decided(r, input)?.reason)
            },
            count: decisions,
        },
        Field {
            name: "conditions",
            save: |r, v| {
                let input = StepInput {
                    step: "approve".into(),
                    amount: "1000".into(),
                    conditions: v.into(),
                    ..Default::default()
                };
                Ok(decided(r, input)?.conditions)
            },
            count: decisions,
        },
        Field {
            name: "funder",
            save: |r, v| Ok(outgoing_with(r, |o| o.funder = v.into())?.details.funder),
            count: outgoings,
        },
        Field {
            name: "title",
            save: |r, v| Ok(outgoing_with(r, |o| o.title = v.into())?.details.title),
            count: outgoings,
        },
        Field {
            name: "note",
            save: |r, v| Ok(outgoing_with(r, |o| o.note = v.into())?.details.note),
            count: outgoings,
        },
        Field {
            name: "subject",
            save: |r, v| Ok(template_with(r, v, "Hej!")?.subject),
            count: saved_templates,
        },
        Field {
            name: "body",
            save: |r, v| Ok(template_with(r, "Kallelse", v)?.body),
            count: saved_templates,
        },
        Field {
            name: "contact",
            save: |r, v| {
                let s = letters::settings(r)?;
                Ok(letters::set_settings(
                    r,
                    &LetterSettings {
                        contact: v.into(),
                        ..s
                    },
                )?
                .contact)
            },
            count: |r| usize::from(!letters::settings(r).unwrap().contact.is_empty()),
        },
    ]
}

#[test]
fn every_text_field_keeps_a_hostile_string_as_text_or_refuses_it_on_that_field() {
    let mut tried = 0;
    let mut kept = 0;
    for (n, field) in fields().into_iter().enumerate() {
        for value in hostile() {
            tried += 1;
            let shown: String = value.chars().take(30).collect();
            let mut r = org("SE");
            let before = (field.count)(&r);
            match (field.save)(&mut r, &value) {
                Ok(stored) => {
                    kept += 1;
                    assert_eq!(
                        stored,
                        value.trim(),
                        "field {n} {}: {shown:?} kept as itself",
                        field.name
                    );
                    assert_eq!(
                        (field.count)(&r),
                        before + 1,
                        "field {n} {}: {shown:?} saved once",
                        field.name
                    );
                }
                Err(e) => {
                    let on_field = e.fields().iter().any(|f| f.field == field.name);
                    assert!(
                        on_field,
                        "field {n} {}: {shown:?} refused on another field or not as a field error: {e:?}",
                        field.name
                    );
                    assert_eq!(
                        (field.count)(&r),
                        before,
                        "field {n} {}: {shown:?} refused and nothing written",
                        field.name
                    );
                }
            }
        }
    }
    println!(
        "hostile inputs tried: {tried} ({kept} kept as text, {} refused on their field)",
        tried - kept
    );
    assert!(tried >= 7 * 38, "every field with every string");
}

#[test]
fn hidden_characters_are_refused_and_readable_hostile_text_is_kept_in_names() {
    let mut r = org("SE");
    for bad in [
        "a\u{202E}fdp.exe",
        "a\u{0}b",
        "Anna\nAndersson",
        "\u{2066}x\u{2069}",
    ] {
        let e = member_with(&mut r, |m| m.contact.first_name = bad.into()).unwrap_err();
        assert_eq!(e.fields()[0].code.as_str(), "invalid_character", "{bad:?}");
    }
    // A postal address and notes have lines; still no NUL.
    member_with(&mut r, |m| m.notes = "rad ett\nrad två\tflik".into()).unwrap();
    let e = member_with(&mut r, |m| m.notes = "a\u{0}b".into()).unwrap_err();
    assert_eq!(e.fields()[0].code.as_str(), "invalid_character");
    assert_eq!(members(&r), 1);
}

/// The strings a member's name keeps.
fn kept_in_names() -> Vec<String> {
    let mut r = org("SE");
    hostile()
        .into_iter()
        .filter(|v| member_with(&mut r, |m| m.contact.first_name = v.clone()).is_ok())
        .collect()
}

fn xlsx_strings(path: &Path) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range
        .rows()
        .flat_map(|row| row.iter())
        .filter_map(|d| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn kept_hostile_text_comes_out_as_text_in_csv_xlsx_pdf_and_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let kept = kept_in_names();
    assert!(kept.len() >= 4, "{kept:?}");
    let mut r = org("SE");
    for (i, v) in kept.iter().enumerate() {
        member_with(&mut r, |m| {
            m.contact.first_name = v.clone();
            m.contact.last_name = format!("Nr{i}");
            m.contact.address.city = v.clone();
        })
        .unwrap();
    }
    let export = |format, name: &str| {
        let out = dir.path().join(name);
        crate::export::run(&r, &ListQuery::default(), format, Language::Sv, &out).unwrap();
        out
    };

    // CSV: each value comes back exactly (a formula only with its guard).
    let csv = std::fs::read_to_string(export(ExportFormat::Csv, "m.csv")).unwrap();
    let cells: Vec<String> = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes())
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for v in &kept {
        assert!(
            cells.iter().any(|c| export::unneutralise(c) == v),
            "{v:?} in the CSV"
        );
        assert!(
            !cells.iter().any(|c| c.starts_with('=')),
            "no cell starts a formula"
        );
    }

    // xlsx: string cells, never formulas.
    let strings = xlsx_strings(&export(ExportFormat::Xlsx, "m.xlsx"));
    for v in &kept {
        assert!(
            strings.iter().any(|s| export::unneutralise(s) == v),
            "{v:?} a string cell of the xlsx"
        );
    }

    // PDF: the letters print each as text (an emoji as U+FFFD).
    let pdf = dir.path().join("brev.pdf");
    letters::letters(
        &mut r,
        "welcome",
        &ListQuery::default(),
        &pdf,
        &mut |_, _| {},
        &AtomicBool::new(false),
        LETTER_KINDS,
    )
    .unwrap();
    let text: String = (1..=pages(&pdf)).map(|n| page_text(&pdf, n)).collect();
    for v in &kept {
        let printed: String = v
            .split_whitespace()
            .filter(|w| w.chars().all(|c| (c as u32) < 0x2000))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&printed), "{printed:?} printed in: {text}");
    }
    assert!(
        text.contains('\u{FFFD}'),
        "the emoji printed as a replacement"
    );

    // The calendar file: each as one escaped text value, no new property.
    for v in &kept {
        let m = meeting_with(&mut r, |m| {
            m.title = v.clone();
            m.venue = v.clone();
        })
        .unwrap();
        let ics = meetings::ics::calendar(&m, "Fackklubben Verkstaden");
        let unfolded = ics.replace("\r\n ", "");
        let summary = unfolded
            .lines()
            .find_map(|l| l.strip_prefix("SUMMARY:"))
            .expect("a SUMMARY");
        let unescaped = summary
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
        assert_eq!(&unescaped, v);
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.lines().all(|l| l.len() <= 75), "folded lines");
    }
}
