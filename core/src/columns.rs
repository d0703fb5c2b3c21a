//! The columns of a member file: what export writes and import recognises.
//!
//! Export writes the header in one language; import recognises every
//! language's header, plus the common variants people's own spreadsheets use.

use crate::types::{Language, Member, Role};

/// One member field as a spreadsheet column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Number,
    Kind,
    FirstName,
    LastName,
    CareOf,
    Address1,
    Address2,
    Postcode,
    City,
    Country,
    Email,
    Phone,
    BirthDate,
    Language,
    MembershipType,
    Status,
    StatusDate,
    JoinedDate,
    Branch,
    Workplace,
    Notes,
    Roles,
}

impl Column {
    /// Every column, in export order.
    pub const ALL: &'static [Column] = &[
        Column::Number,
        Column::Kind,
        Column::FirstName,
        Column::LastName,
        Column::CareOf,
        Column::Address1,
        Column::Address2,
        Column::Postcode,
        Column::City,
        Column::Country,
        Column::Email,
        Column::Phone,
        Column::BirthDate,
        Column::Language,
        Column::MembershipType,
        Column::Status,
        Column::StatusDate,
        Column::JoinedDate,
        Column::Branch,
        Column::Workplace,
        Column::Notes,
        Column::Roles,
    ];

    /// The DTO field name (`firstName`), also used in saved mappings and
    /// problem reports.
    pub fn key(self) -> &'static str {
        match self {
            Column::Number => "number",
            Column::Kind => "kind",
            Column::FirstName => "firstName",
            Column::LastName => "lastName",
            Column::CareOf => "careOf",
            Column::Address1 => "address1",
            Column::Address2 => "address2",
            Column::Postcode => "postcode",
            Column::City => "city",
            Column::Country => "country",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::BirthDate => "birthDate",
            Column::Language => "language",
            Column::MembershipType => "membershipType",
            Column::Status => "status",
            Column::StatusDate => "statusDate",
            Column::JoinedDate => "joinedDate",
            Column::Branch => "branch",
            Column::Workplace => "workplace",
            Column::Notes => "notes",
            Column::Roles => "roles",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.iter().copied().find(|c| c.key() == key)
    }

    /// The header export writes, in `language`.
    pub fn header(self, language: Language) -> &'static str {
        let names = self.names();
        match language {
            Language::Sv => names[0],
            Language::Da => names[1],
            Language::Nb => names[2],
            Language::En => names[3],
        }
    }

    /// Headers in sv, da, nb, en order, then further variants import knows.
    fn names(self) -> &'static [&'static str] {
        match self {
            Column::Number => &[
                "Medlemsnummer",
                "Medlemsnummer",
                "Medlemsnummer",
                "Member number",
                "Medlemsnr",
                "Medlemsnr.",
                "Medl.nr",
                "Member no",
                "Member no.",
                "Membership number",
                "Nr",
                "Nummer",
                "Number",
                "Member ID",
                "ID",
            ],
            Column::Kind => &["Typ av post", "Posttype", "Posttype", "Record type", "Kind"],
            Column::FirstName => &[
                "Förnamn",
                "Fornavn",
                "Fornavn",
                "First name",
                "Firstname",
                "Given name",
                "Fornamn",
            ],
            Column::LastName => &[
                "Efternamn",
                "Efternavn",
                "Etternavn",
                "Last name",
                "Lastname",
                "Surname",
                "Family name",
                "Efternamn/släktnamn",
            ],
            Column::CareOf => &["c/o", "c/o", "c/o", "c/o", "C/O", "Care of", "co"],
            Column::Address1 => &[
                "Adress",
                "Adresse",
                "Adresse",
                "Address",
                "Gatuadress",
                "Utdelningsadress",
                "Vejnavn",
                "Gateadresse",
                "Street address",
                "Address 1",
                "Adress 1",
                "Adresse 1",
            ],
            Column::Address2 => &[
                "Adress 2",
                "Adresse 2",
                "Adresse 2",
                "Address 2",
                "Adressrad 2",
            ],
            Column::Postcode => &[
                "Postnummer",
                "Postnummer",
                "Postnummer",
                "Postcode",
                "Postnr",
                "Postnr.",
                "Post code",
                "Postal code",
                "Zip",
                "Zip code",
            ],
            Column::City => &[
                "Postort",
                "By",
                "Poststed",
                "City",
                "Ort",
                "Postdistrikt",
                "Sted",
                "Town",
                "Town or city",
            ],
            Column::Country => &["Land", "Land", "Land", "Country"],
            Column::Email => &[
                "E-post",
                "E-mail",
                "E-post",
                "Email",
                "Epost",
                "E-postadress",
                "Mail",
                "Emailadresse",
                "E-mailadresse",
                "Email address",
                "E-mail address",
            ],
            Column::Phone => &[
                "Telefon",
                "Telefon",
                "Telefon",
                "Phone",
                "Mobil",
                "Mobilnummer",
                "Telefonnummer",
                "Mobile",
                "Phone number",
                "Tlf",
                "Tlf.",
                "Mobiltelefon",
            ],
            Column::BirthDate => &[
                "Födelsedatum",
                "Fødselsdato",
                "Fødselsdato",
                "Birth date",
                "Född",
                "Født",
                "Date of birth",
                "Birthday",
                "Fødselsdag",
            ],
            Column::Language => &["Språk", "Sprog", "Språk", "Language"],
            Column::MembershipType => &[
                "Medlemstyp",
                "Medlemstype",
                "Medlemstype",
                "Membership type",
                "Medlemskap",
                "Membership",
            ],
            Column::Status => &["Status", "Status", "Status", "Status", "Medlemsstatus"],
            Column::StatusDate => &["Statusdatum", "Statusdato", "Statusdato", "Status date"],
            Column::JoinedDate => &[
                "Inträdesdatum",
                "Indmeldt",
                "Innmeldt",
                "Joined",
                "Inträde",
                "Medlem sedan",
                "Indmeldelsesdato",
                "Innmeldingsdato",
                "Member since",
                "Joined date",
                "Join date",
                "Startdatum",
            ],
            Column::Branch => &[
                "Avdelning",
                "Afdeling",
                "Avdeling",
                "Branch",
                "Klubb",
                "Klub",
                "Lokalavdelning",
                "Club",
                "Forening",
                "Lag",
            ],
            Column::Workplace => &[
                "Arbetsplats",
                "Arbejdsplads",
                "Arbeidsplass",
                "Workplace",
                "Arbetsgivare",
                "Arbejdsgiver",
                "Arbeidsgiver",
                "Employer",
                "Företag",
                "Virksomhed",
            ],
            Column::Notes => &[
                "Anteckningar",
                "Noter",
                "Notater",
                "Notes",
                "Anteckning",
                "Kommentar",
                "Bemærkninger",
                "Merknader",
                "Comment",
                "Comments",
                "Note",
            ],
            Column::Roles => &[
                "Uppdrag",
                "Hverv",
                "Verv",
                "Roles",
                "Roller",
                "Förtroendeuppdrag",
            ],
        }
    }

    /// The column a header names, if any: case, spaces, dots and dashes do
    /// not matter (`E-post`, `e post`, `EPOST`).
    pub fn recognise(header: &str) -> Option<Column> {
        if let Some(c) = Column::from_key(header.trim()) {
            return Some(c);
        }
        let h = normalise(header);
        if h.is_empty() {
            return None;
        }
        Column::ALL
            .iter()
            .copied()
            .find(|c| c.names().iter().any(|n| normalise(n) == h))
    }
}

/// A member's value in `column`, as text (dates `YYYY-MM-DD`, codes as in
/// the JSON DTOs, roles as [`format_roles`]).
pub fn cell(m: &Member, column: Column) -> String {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    match column {
        Column::Number => m.number.clone(),
        Column::Kind => m.kind.to_string(),
        Column::FirstName => m.contact.first_name.clone(),
        Column::LastName => m.contact.last_name.clone(),
        Column::CareOf => m.contact.address.care_of.clone(),
        Column::Address1 => m.contact.address.address1.clone(),
        Column::Address2 => m.contact.address.address2.clone(),
        Column::Postcode => m.contact.address.postcode.clone(),
        Column::City => m.contact.address.city.clone(),
        Column::Country => m.contact.address.country.clone(),
        Column::Email => m.contact.email.clone(),
        Column::Phone => m.contact.phone.clone(),
        Column::BirthDate => date(m.birth_date),
        Column::Language => m.language.to_string(),
        Column::MembershipType => m.membership_type.to_string(),
        Column::Status => m.status.to_string(),
        Column::StatusDate => m.status_date.to_string(),
        Column::JoinedDate => date(m.joined_date),
        Column::Branch => m.branch_name.clone().unwrap_or_default(),
        Column::Workplace => m.workplace_name.clone().unwrap_or_default(),
        Column::Notes => m.notes.clone(),
        Column::Roles => format_roles(&m.roles),
    }
}

/// Roles as one cell: `chair 2020-01-01..2022-12-31; shop_steward 2024-01-01..`.
pub fn format_roles(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| {
            let to = r.to.map(|d| d.to_string()).unwrap_or_default();
            format!("{} {}..{}", r.role, r.from, to)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn normalise(s: &str) -> String {
    crate::text::fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '/')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(header: &str, expect: Option<Column>) {
        assert_eq!(Column::recognise(header), expect, "{header:?}");
    }

    #[test]
    fn nordic_headers() {
        check("Förnamn", Some(Column::FirstName));
        check("Fornavn", Some(Column::FirstName));
        check("FIRST NAME", Some(Column::FirstName));
        check("Etternavn", Some(Column::LastName));
        check("Postnr.", Some(Column::Postcode));
        check("Poststed", Some(Column::City));
        check("E-mail", Some(Column::Email));
        check("e post", Some(Column::Email));
        check("Medlemsnr.", Some(Column::Number));
        check("Indmeldt", Some(Column::JoinedDate));
        check("Arbeidsplass", Some(Column::Workplace));
        check("Skostorlek", None);
        check("", None);
    }

    #[test]
    fn every_export_header_is_recognised_as_itself() {
        for c in Column::ALL {
            for l in Language::ALL {
                assert_eq!(Column::recognise(c.header(*l)), Some(*c), "{c:?} in {l}");
            }
            assert_eq!(Column::from_key(c.key()), Some(*c));
        }
    }
}
