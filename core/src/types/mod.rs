//! Domain types. They double as the DTOs of the shells (camelCase JSON), see
//! docs/commands.md.

pub mod books;
pub mod dates;
pub mod dues;
pub mod grants;
pub mod meetings;
pub mod money;
pub mod payments;

pub use dates::Timestamp;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a string enum with its wire names and `parse`/`as_str`.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $s)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use string_enum;

string_enum!(
    /// The three countries Medlem is made for.
    Country { Se = "SE", Dk = "DK", No = "NO" }
);

impl Country {
    /// The currency follows the country.
    pub fn currency(self) -> Currency {
        match self {
            Country::Se => Currency::Sek,
            Country::Dk => Currency::Dkk,
            Country::No => Currency::Nok,
        }
    }

    /// The UI language a member of this country most likely reads.
    pub fn language(self) -> Language {
        match self {
            Country::Se => Language::Sv,
            Country::Dk => Language::Da,
            Country::No => Language::Nb,
        }
    }
}

string_enum!(Currency { Sek = "SEK", Dkk = "DKK", Nok = "NOK" });

string_enum!(
    /// Languages of the UI and of a member's letters.
    Language { Sv = "sv", Da = "da", Nb = "nb", En = "en" }
);

string_enum!(
    /// A member, or a prospect (a non-member kept apart, e.g. a colleague).
    Kind { Member = "member", Prospect = "prospect" }
);

string_enum!(Status {
    Applicant = "applicant",
    Active = "active",
    Resigned = "resigned",
    Deceased = "deceased",
});

impl Status {
    /// Which status changes make sense, from the status a member has today
    /// (a change that is waiting is replaced by the next one).
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Applicant, Active | Resigned | Deceased)
                | (Active, Resigned | Deceased)
                | (Resigned, Active | Deceased)
        )
    }
}

string_enum!(MembershipType {
    Ordinary = "ordinary",
    Student = "student",
    Retired = "retired",
    Honorary = "honorary",
    Supporting = "supporting",
});

string_enum!(RoleKind {
    BoardMember = "board_member",
    Chair = "chair",
    Treasurer = "treasurer",
    Auditor = "auditor",
    ShopSteward = "shop_steward",
});

string_enum!(SortKey {
    Name = "name",
    Number = "number",
    City = "city",
    Joined = "joined",
    Status = "status",
    Workplace = "workplace",
    Email = "email",
});

// A column of the member table (`views`).
string_enum!(TableColumn {
    Number = "number",
    Name = "name",
    City = "city",
    Workplace = "workplace",
    Status = "status",
    Joined = "joined",
    Email = "email",
});

impl TableColumn {
    /// The list order a click on this column's header chooses.
    pub fn sort(self) -> SortKey {
        match self {
            TableColumn::Number => SortKey::Number,
            TableColumn::Name => SortKey::Name,
            TableColumn::City => SortKey::City,
            TableColumn::Workplace => SortKey::Workplace,
            TableColumn::Status => SortKey::Status,
            TableColumn::Joined => SortKey::Joined,
            TableColumn::Email => SortKey::Email,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Org {
    pub name: String,
    pub country: Country,
    pub postal_address: String,
    pub org_number: String,
    pub currency: Currency,
}

/// What the user types to create or change the organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OrgInput {
    pub name: String,
    pub country: String,
    pub postal_address: String,
    pub org_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    pub id: i64,
    pub name: String,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workplace {
    pub id: i64,
    pub name: String,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub member_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: Option<i64>,
    pub role: RoleKind,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// A role term as typed: dates still text, checked by validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleInput {
    pub id: Option<i64>,
    pub role: String,
    pub from: String,
    pub to: Option<String>,
}

/// Who someone is and how to reach them: the name, the postal address, the
/// e-mail and the phone, as a member and a member as typed both carry them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Contact {
    pub first_name: String,
    pub last_name: String,
    #[serde(flatten)]
    pub address: PostalAddress,
    pub email: String,
    pub phone: String,
}

impl Contact {
    /// Each field by the name the form and the history use, with its text.
    pub fn fields(&self) -> [(&'static str, &str); 10] {
        let a = &self.address;
        [
            ("firstName", &self.first_name),
            ("lastName", &self.last_name),
            ("careOf", &a.care_of),
            ("address1", &a.address1),
            ("address2", &a.address2),
            ("postcode", &a.postcode),
            ("city", &a.city),
            ("country", &a.country),
            ("email", &self.email),
            ("phone", &self.phone),
        ]
    }
}

/// Where the post reaches someone: c/o, street lines, postcode, city and country.
/// A member and a member as typed carry it flattened, so in JSON and in the UI
/// its fields stand beside the name (`careOf`, `address1`, … `country`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PostalAddress {
    pub care_of: String,
    pub address1: String,
    pub address2: String,
    pub postcode: String,
    pub city: String,
    /// ISO 3166 alpha-2; empty means the organisation's country.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    /// Name, address, e-mail and phone, at the top level of the JSON.
    #[serde(flatten)]
    pub contact: Contact,
    pub birth_date: Option<NaiveDate>,
    pub language: Language,
    pub membership_type: MembershipType,
    /// The status today.
    pub status: Status,
    /// The day today's status began.
    pub status_date: NaiveDate,
    /// A status change dated after today, waiting for its day.
    pub scheduled: Option<Scheduled>,
    pub joined_date: Option<NaiveDate>,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    pub notes: String,
    pub roles: Vec<Role>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Counts the member's saves: a form sends back the one it opened, and
    /// a save after someone else's is refused (`member_changed`).
    pub version: i64,
}

/// A status change set for a day after today: until `date` the member keeps
/// their status, from `date` they have this one (nobody needs to do anything
/// on the day). One change waits at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scheduled {
    pub status: Status,
    pub date: NaiveDate,
}

/// A member as typed into the form, the CLI or an import: everything is text
/// until [`crate::validate`] has checked it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MemberInput {
    /// Empty: assigned automatically (highest numeric number + 1).
    pub number: String,
    pub kind: String,
    /// Name, address, e-mail and phone, at the top level of the JSON.
    #[serde(flatten)]
    pub contact: Contact,
    pub birth_date: Option<String>,
    pub language: String,
    pub membership_type: String,
    /// Used on create only; later changes go through `set_status`.
    pub status: String,
    pub joined_date: Option<String>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub notes: String,
    pub roles: Vec<RoleInput>,
    /// On an update: the member's `version` when the form was opened; a
    /// save after another one since is refused. `None`: no such check (an
    /// import, the CLI).
    pub version: Option<i64>,
}

/// One line of the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRow {
    pub id: i64,
    pub number: String,
    pub kind: Kind,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub city: String,
    /// The status today.
    pub status: Status,
    /// A status change dated after today, waiting for its day.
    pub scheduled: Option<Scheduled>,
    pub joined_date: Option<NaiveDate>,
    pub branch_name: Option<String>,
    pub workplace_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberPage {
    pub total: i64,
    pub offset: i64,
    pub items: Vec<MemberRow>,
}

/// What the list shows: search text, filters, order and page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ListQuery {
    pub search: String,
    pub status: Option<Status>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub kind: Option<Kind>,
    /// Only these members (picked by hand in the list), within the filters
    /// above; `None`: no such limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<i64>>,
    pub sort: SortKey,
    pub desc: bool,
    pub offset: i64,
    pub limit: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            search: String::new(),
            status: None,
            branch_id: None,
            workplace_id: None,
            kind: None,
            ids: None,
            sort: SortKey::Name,
            desc: false,
            offset: 0,
            limit: 50,
        }
    }
}

/// The longest page a caller may ask for.
pub const MAX_PAGE: i64 = 500;

string_enum!(HistoryKind {
    Created = "created",
    Changed = "changed",
    Status = "status",
    // A status change that was waiting for its day was called off (another
    // change replaced it, or the member keeps their status): `old_value` the
    // status kept, `new_value` the one that was set, `effective_date` its day.
    Unscheduled = "unscheduled",
    Role = "role",
    // A letter was printed: `field` is the template, `new_value` the subject.
    Letter = "letter",
    // Was at a meeting: `field` is the meeting's title, `new_value` its kind,
    // `effective_date` its day.
    Attended = "attended",
    // Written by an import: `new_value` is the file's name (never its folder).
    Imported = "imported",
    // An invoice was written or changed: `field` the period, `old_value` and
    // `new_value` its status before and after, `effective_date` the day.
    Invoice = "invoice",
    // A payment booked or reversed: `field` the invoice's period (none:
    // credit on the member), `new_value` the amount in minor units (or
    // `old_value` when reversed), `effective_date` the payment's day.
    Payment = "payment",
});

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub kind: HistoryKind,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub effective_date: Option<NaiveDate>,
    /// The officer (the database user) who wrote it on the office server;
    /// none in a file (one officer's) or for a line moved from a file.
    #[serde(default)]
    pub by: Option<String>,
}
