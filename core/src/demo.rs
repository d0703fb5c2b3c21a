//! A generated demo register with Nordic names, for trying Medlem out and for
//! benchmarks. Deterministic: the same count gives the same register.

use chrono::{Duration, NaiveDate};

use crate::error::{Error, FieldCode, Result};
use crate::store::members::Indexing;
use crate::store::{Store, UnitOfWork};
use crate::types::dates::now;
use crate::types::*;
use crate::validate::ValidMember;

pub const FIRST: &[&str] = &[
    "Anna",
    "Åsa",
    "Märta",
    "Björn",
    "Lars",
    "Karin",
    "Sören",
    "Ingrid",
    "Mikael",
    "Eva",
    "Jörgen",
    "Linnéa",
    "Oskar",
    "Maja",
    "Elin",
    "Erik",
    "Søren",
    "Mette",
    "Kjersti",
    "Ole",
    "Frida",
    "Håkan",
    "Gunnar",
    "Sigrid",
    "Astrid",
    "Nils",
    "Henrik",
    "Ærling",
    "Øystein",
    "Sofie",
    "Emil",
    "Ida",
    "Johan",
    "Birgitta",
    "Pål",
    "Liv",
    "Ragnhild",
    "Torbjörn",
    "Annika",
    "Rasmus",
    "Camilla",
    "Zacharias",
    "Émilie",
    "Jürgen",
    "Ali",
    "Fatima",
    "Mohammed",
    "Leila",
    "Dragan",
    "Aino",
];

pub const LAST: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Östlund",
    "Åberg",
    "Ängström",
    "Hansen",
    "Jensen",
    "Nielsen",
    "Pedersen",
    "Sørensen",
    "Rasmussen",
    "Johansen",
    "Olsen",
    "Berg",
    "Haugen",
    "Hagen",
    "Bakke",
    "Lie",
    "Dahl",
    "Strøm",
    "Lindqvist",
    "Sjöberg",
    "Ekström",
    "Holm",
    "Nyström",
    "Lundgren",
    "Bergström",
    "Mäkinen",
    "Virtanen",
    "Kovačević",
    "Yilmaz",
    "Müller",
    "Ærøe",
    "Fjeld",
    "Vik",
    "Søndergaard",
    "Kristiansen",
    "Wikström",
    "Hedlund",
    "Öberg",
    "Zetterberg",
    "Blom",
];

pub const CITIES: &[(&str, &str)] = &[
    ("111 22", "Stockholm"),
    ("411 03", "Göteborg"),
    ("211 20", "Malmö"),
    ("753 20", "Uppsala"),
    ("581 83", "Linköping"),
    ("903 25", "Umeå"),
    ("972 31", "Luleå"),
    ("702 10", "Örebro"),
    ("721 30", "Västerås"),
    ("352 30", "Växjö"),
];

const STREETS: &[&str] = &[
    "Storgatan",
    "Kungsgatan",
    "Drottninggatan",
    "Skolvägen",
    "Björkvägen",
    "Ringvägen",
    "Järnvägsgatan",
    "Åvägen",
    "Industrigatan",
    "Smedjegatan",
];

const BRANCHES: &[&str] = &["Klubb Norr", "Klubb Syd", "Klubb Väst"];

const WORKPLACES: &[&str] = &[
    "Verkstaden AB",
    "Sjukhuset",
    "Kommunförrådet",
    "Bryggeriet",
    "Tryckeriet Öst",
    "Lagret i Hallsberg",
    "Skolan på Åsen",
    "Bussdepån",
];

/// A tiny deterministic generator (SplitMix64); good enough for demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A generated member: index `i` of a register.
pub fn member(rng: &mut Rng, i: usize, branches: &[i64], workplaces: &[i64]) -> ValidMember {
    let first = rng.pick(FIRST).to_owned();
    let last = rng.pick(LAST).to_owned();
    let (postcode, city) = CITIES[rng.below(CITIES.len())];
    let base = NaiveDate::from_ymd_opt(1950, 1, 1).expect("valid date");
    let birth = base + Duration::days(rng.below(55 * 365) as i64);
    let joined = NaiveDate::from_ymd_opt(1990, 1, 1).expect("valid date")
        + Duration::days(rng.below(35 * 365) as i64);
    let status = match rng.below(20) {
        0 => Status::Applicant,
        1 | 2 => Status::Resigned,
        _ => Status::Active,
    };
    let ascii = |s: &str| -> String {
        crate::text::fold(s)
            .chars()
            .map(|c| match c {
                'å' | 'ä' | 'æ' => 'a',
                'ö' | 'ø' => 'o',
                c => c,
            })
            .collect()
    };
    ValidMember {
        number: Some((1000 + i).to_string()),
        kind: if rng.below(25) == 0 {
            Kind::Prospect
        } else {
            Kind::Member
        },
        contact: Contact {
            email: format!("{}.{}{}@example.se", ascii(&first), ascii(&last), i),
            phone: format!(
                "070-{:03} {:02} {:02}",
                rng.below(1000),
                rng.below(100),
                rng.below(100)
            ),
            address: PostalAddress {
                address1: format!("{} {}", rng.pick(STREETS), 1 + rng.below(80)),
                postcode: postcode.to_owned(),
                city: city.to_owned(),
                country: "SE".to_owned(),
                ..PostalAddress::default()
            },
            first_name: first,
            last_name: last,
        },
        birth_date: Some(birth),
        language: Language::Sv,
        membership_type: match rng.below(10) {
            0 => MembershipType::Student,
            1 => MembershipType::Retired,
            _ => MembershipType::Ordinary,
        },
        status,
        joined_date: Some(joined),
        branch_id: branches.get(rng.below(branches.len().max(1))).copied(),
        workplace_id: workplaces.get(rng.below(workplaces.len().max(1))).copied(),
        notes: String::new(),
        roles: if i.is_multiple_of(40) {
            vec![Role {
                id: None,
                role: RoleKind::ShopSteward,
                from: joined,
                to: None,
            }]
        } else {
            Vec::new()
        },
    }
}

/// Creates the demo organisation, its branches and workplaces and `count`
/// members inside `work`. Refused when the register already has an
/// organisation.
pub fn fill(work: &dyn UnitOfWork, count: usize) -> Result<()> {
    let w = work.member_writes();
    if w.has_org()? {
        return Err(Error::field("name", FieldCode::Duplicate));
    }
    w.insert_org(
        &Org {
            name: "Demoföreningen".into(),
            country: Country::Se,
            postal_address: "Box 123\n111 22 Stockholm".into(),
            org_number: "802400-0000".into(),
            currency: Currency::Sek,
        },
        now(),
    )?;
    let mut branches = Vec::new();
    for b in BRANCHES {
        branches.push(w.insert_branch(b)?);
    }
    let mut workplaces = Vec::new();
    for (i, name) in WORKPLACES.iter().enumerate() {
        workplaces.push(w.insert_workplace(name, Some(branches[i % branches.len()]))?);
    }
    let mut rng = Rng::new(0x4D45_444C_454D);
    for i in 0..count {
        let m = member(&mut rng, i, &branches, &workplaces);
        let status_date = m.joined_date.unwrap_or_default();
        w.insert_member(&m, status_date, Indexing::rebuild_after(Country::Se))?;
    }
    w.rebuild_search_index()
}

/// Fills an empty register with a generated demo organisation of `count`
/// members, in one unit of work.
pub fn create(store: &mut dyn Store, count: usize) -> Result<Org> {
    let work = store.begin()?;
    fill(&*work, count)?;
    work.commit()?;
    store.org_or_err()
}
