//! Checking what a person typed before anything is written.

use chrono::NaiveDate;

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::types::*;

/// A checked member, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    /// `None`: assign the next free number.
    pub number: Option<String>,
    pub kind: Kind,
    pub contact: Contact,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    pub membership_type: MembershipType,
    pub status: Status,
    pub joined_date: Option<NaiveDate>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub notes: String,
    pub roles: Vec<Role>,
}

const MAX_TEXT: usize = 200;
const MAX_NOTES: usize = 10_000;
const MAX_NUMBER: usize = 20;

/// Collects every problem of one input, so the form can show them all at once.
#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn fail(&mut self, field: &str, code: FieldCode) {
        self.errors.push(FieldError::new(field, code));
    }

    /// Trimmed text on one line, refused when longer than `max` characters
    /// or holding a hidden character ([`text_problem`]).
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if let Some(code) = text_problem(v, max, Lines::One) {
            self.fail(field, code);
        }
        v.to_owned()
    }

    /// Trimmed text that may have several lines (notes, a postal address).
    pub fn lines(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if let Some(code) = text_problem(v, max, Lines::Many) {
            self.fail(field, code);
        }
        v.to_owned()
    }

    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let v = self.text(field, value, max);
        if v.is_empty() {
            self.fail(field, FieldCode::Required);
        }
        v
    }

    pub fn date(&mut self, field: &str, value: Option<&str>) -> Option<NaiveDate> {
        let v = value.map(str::trim).filter(|v| !v.is_empty())?;
        match crate::types::dates::read_date(v) {
            Ok(d) => Some(d),
            Err(problem) => {
                self.fail(field, problem.into());
                None
            }
        }
    }

    pub fn choice<T>(
        &mut self,
        field: &str,
        value: &str,
        default: T,
        parse: fn(&str) -> Option<T>,
    ) -> T {
        let v = value.trim();
        if v.is_empty() {
            return default;
        }
        parse(v).unwrap_or_else(|| {
            self.fail(field, FieldCode::InvalidChoice);
            default
        })
    }

    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(Error::Validation(self.errors))
        }
    }
}

/// Whether a text field may hold line breaks (and tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// A character no text field keeps: control characters (NUL among them;
/// line breaks and tabs only where the field has lines) and the
/// bidirectional embeddings, overrides and isolates, which make text show in
/// another order than it is stored (`a\u{202E}fdp.exe` shows as
/// `aexe.pdf`).
pub fn hidden_char(value: &str, lines: Lines) -> Option<char> {
    value.chars().find(|&c| match c {
        '\n' | '\r' | '\t' => lines == Lines::One,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    })
}

/// What is wrong with a free text of at most `max` characters, if anything.
pub fn text_problem(value: &str, max: usize, lines: Lines) -> Option<FieldCode> {
    if value.chars().count() > max {
        Some(FieldCode::TooLong)
    } else if hidden_char(value, lines).is_some() {
        Some(FieldCode::InvalidCharacter)
    } else {
        None
    }
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain
/// after it, no spaces or angle brackets.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let bad = |c: char| {
        c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"')
    };
    // An address that starts like a formula (`=1+1@x.se`) would run as one
    // where a list of addresses is pasted into a spreadsheet.
    let formula = local.starts_with(['=', '+', '-', '@']);
    !local.is_empty()
        && !formula
        && !domain.contains('@')
        && !s.chars().any(bad)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|p| !p.is_empty())
}

/// Member numbers: 1–20 letters, digits or `-`, starting with a letter or digit.
pub fn is_member_number(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= MAX_NUMBER
        && s.chars().all(|c| c.is_alphanumeric() || c == '-')
        && s.chars().next().is_some_and(char::is_alphanumeric)
}

/// Checks a member as typed. `today` decides what counts as a future birth date.
pub fn member(
    input: &MemberInput,
    default_language: Language,
    today: NaiveDate,
) -> Result<ValidMember> {
    let mut c = Checker::default();
    let number = input.number.trim();
    let number = if number.is_empty() {
        None
    } else if is_member_number(number) {
        Some(number.to_owned())
    } else {
        c.fail("number", FieldCode::InvalidNumber);
        None
    };
    let who = &input.contact;
    let first_name = c.required("firstName", &who.first_name, MAX_TEXT);
    let last_name = c.required("lastName", &who.last_name, MAX_TEXT);
    let email = c.text("email", &who.email, MAX_TEXT);
    if !email.is_empty() && !is_email(&email) {
        c.fail("email", FieldCode::InvalidEmail);
    }
    let birth_date = c.date("birthDate", input.birth_date.as_deref());
    if birth_date.is_some_and(|d| d > today) {
        c.fail("birthDate", FieldCode::InFuture);
    }
    let joined_date = c.date("joinedDate", input.joined_date.as_deref());
    let a = &who.address;
    let country = c.text("country", &a.country, 2).to_uppercase();
    let iso = country.len() == 2 && country.chars().all(|ch| ch.is_ascii_alphabetic());
    if !country.is_empty() && !iso {
        c.fail("country", FieldCode::InvalidChoice);
    }
    let mut roles = Vec::with_capacity(input.roles.len());
    for (i, r) in input.roles.iter().enumerate() {
        let kind = RoleKind::parse(r.role.trim());
        if kind.is_none() {
            c.fail(&format!("roles.{i}.role"), FieldCode::InvalidChoice);
        }
        let from_field = format!("roles.{i}.from");
        let from = if r.from.trim().is_empty() {
            c.fail(&from_field, FieldCode::Required);
            None
        } else {
            c.date(&from_field, Some(&r.from))
        };
        let to = c.date(&format!("roles.{i}.to"), r.to.as_deref());
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                c.fail(&format!("roles.{i}.to"), FieldCode::DateOrder);
            }
        }
        if let (Some(role), Some(from)) = (kind, from) {
            roles.push(Role {
                id: r.id,
                role,
                from,
                to,
            });
        }
    }
    let valid = ValidMember {
        number,
        kind: c.choice("kind", &input.kind, Kind::Member, Kind::parse),
        contact: Contact {
            address: PostalAddress {
                care_of: c.text("careOf", &a.care_of, MAX_TEXT),
                address1: c.text("address1", &a.address1, MAX_TEXT),
                address2: c.text("address2", &a.address2, MAX_TEXT),
                postcode: c.text("postcode", &a.postcode, 20),
                city: c.text("city", &a.city, MAX_TEXT),
                country,
            },
            phone: c.text("phone", &who.phone, 40),
            first_name,
            last_name,
            email,
        },
        language: c.choice(
            "language",
            &input.language,
            default_language,
            Language::parse,
        ),
        membership_type: c.choice(
            "membershipType",
            &input.membership_type,
            MembershipType::Ordinary,
            MembershipType::parse,
        ),
        status: c.choice("status", &input.status, Status::Active, Status::parse),
        notes: c.lines("notes", &input.notes, MAX_NOTES),
        birth_date,
        joined_date,
        branch_id: input.branch_id,
        workplace_id: input.workplace_id,
        roles,
    };
    c.finish(valid)
}

/// An organisation as typed: its name, country, postal address and number.
pub fn org(input: &OrgInput) -> Result<(String, Country, String, String)> {
    let mut c = Checker::default();
    let name = c.required("name", &input.name, 200);
    let country = c.choice("country", &input.country, Country::Se, Country::parse);
    if input.country.trim().is_empty() {
        c.fail("country", FieldCode::Required);
    }
    let address = c.lines("postalAddress", &input.postal_address, 500);
    let number = c.text("orgNumber", &input.org_number, 20);
    c.finish((name, country, address, number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in ["anna@example.se", "a.b+c@sub.example.dk", "ærø@eksempel.dk"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in [
            "anna@",
            "@example.se",
            "anna@example",
            "a b@x.se",
            "a@@x.se",
            "<a@x.se>",
            "a@x..se",
            "=1+1@x.se",
            "+1@x.se",
            "-2@x.se",
            "a\u{0}b@x.se",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            crate::types::dates::parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        for bad in ["2023-02-29", "2024-13-45", "24-01-01", "", "igår"] {
            assert_eq!(crate::types::dates::parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers() {
        assert!(is_member_number("1001"));
        assert!(is_member_number("A-17"));
        assert!(!is_member_number("-1"));
        assert!(!is_member_number("1 001"));
        assert!(!is_member_number("123456789012345678901"));
    }
}
