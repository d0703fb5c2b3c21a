//! Instant search, filters, sorting and paging.

use medlem_core::*;

use crate::{person, register};

/// A register with a handful of members that exercise Nordic letters.
fn sample() -> SqliteRegister {
    let mut r = register();
    let wp = r.create_workplace("Bryggeriet", None).unwrap();
    let b = r.create_branch("Klubb Väst").unwrap();
    let rows = [
        ("Åsa", "Östlund", "a.o@example.se", "Malmö", None),
        ("Ole", "Ostrowski", "ole@example.dk", "Århus", None),
        ("Émile", "Müller", "emile@example.no", "Oslo", Some(wp.id)),
        ("Søren", "Ærø", "soren@example.dk", "Odense", None),
        ("Zacharias", "Åberg", "zack@example.se", "Örebro", None),
        (
            "Anna",
            "Andersson",
            "anna.a@example.se",
            "Umeå",
            Some(wp.id),
        ),
    ];
    for (first, last, email, city, workplace_id) in rows {
        r.create(&MemberInput {
            contact: medlem_core::Contact {
                email: email.into(),
                address: medlem_core::PostalAddress {
                    city: city.into(),
                    ..Default::default()
                },
                ..person(first, last).contact
            },
            workplace_id,
            branch_id: if first == "Anna" { Some(b.id) } else { None },
            ..person(first, last)
        })
        .unwrap();
    }
    r
}

/// Searches and compares the last names found, in list order.
fn check(r: &SqliteRegister, search: &str, expect: &[&str]) {
    let page = r
        .list(&ListQuery {
            search: search.into(),
            ..Default::default()
        })
        .unwrap();
    let got: Vec<_> = page.items.iter().map(|m| m.last_name.as_str()).collect();
    assert_eq!(got, expect, "search {search:?}");
    assert_eq!(page.total as usize, expect.len());
}

#[test]
fn search_folds_case_and_keeps_nordic_letters_distinct() {
    let r = sample();
    check(&r, "öst", &["Östlund"]);
    check(&r, "ÖST", &["Östlund"]);
    check(&r, "Öst", &["Östlund"]);
    check(&r, "ost", &["Ostrowski"]);
    check(&r, "ærø", &["Ærø"]);
    check(&r, "ÆRØ", &["Ærø"]);
    check(&r, "sø", &["Ærø"]);
}

#[test]
fn search_lets_accents_match_their_base_letter() {
    let r = sample();
    check(&r, "emile", &["Müller"]);
    check(&r, "Émile", &["Müller"]);
    check(&r, "muller", &["Müller"]);
    check(&r, "müll", &["Müller"]);
}

#[test]
fn search_covers_number_email_city_and_workplace() {
    let r = sample();
    check(&r, "bryggeriet", &["Andersson", "Müller"]);
    check(&r, "örebro", &["Åberg"]);
    check(&r, "example.dk", &["Ostrowski", "Ærø"]);
    check(&r, "anna.a", &["Andersson"]);
    check(&r, "3", &["Müller"]);
    check(&r, "åsa östlund", &["Östlund"]);
    check(&r, "åsa ostrowski", &[]);
}

#[test]
fn hostile_search_text_is_just_text() {
    let r = sample();
    check(&r, "\"); DROP TABLE members; --", &[]);
    check(&r, "NEAR(a b)", &[]);
    check(
        &r,
        "*",
        &[
            "Andersson",
            "Müller",
            "Ostrowski",
            "Åberg",
            "Ærø",
            "Östlund",
        ],
    );
    check(&r, "<script>", &[]);
    assert_eq!(r.list(&ListQuery::default()).unwrap().total, 6);
}

#[test]
fn lists_sort_in_the_swedish_alphabet_and_page() {
    let r = sample();
    check(
        &r,
        "",
        &[
            "Andersson",
            "Müller",
            "Ostrowski",
            "Åberg",
            "Ærø",
            "Östlund",
        ],
    );
    let q = |sort, desc, offset, limit| ListQuery {
        sort,
        desc,
        offset,
        limit,
        ..Default::default()
    };
    let names = |p: MemberPage| p.items.into_iter().map(|m| m.last_name).collect::<Vec<_>>();
    assert_eq!(
        names(r.list(&q(SortKey::Name, true, 0, 2)).unwrap()),
        ["Östlund", "Ærø"]
    );
    assert_eq!(
        names(r.list(&q(SortKey::Name, false, 2, 2)).unwrap()),
        ["Ostrowski", "Åberg"]
    );
    assert_eq!(
        names(r.list(&q(SortKey::City, false, 0, 50)).unwrap()),
        [
            "Östlund",
            "Ærø",
            "Müller",
            "Andersson",
            "Ostrowski",
            "Åberg"
        ],
        "Malmö Odense Oslo Umeå Århus Örebro"
    );
    assert_eq!(
        names(r.list(&q(SortKey::Number, true, 0, 3)).unwrap()),
        ["Andersson", "Åberg", "Ærø"]
    );
    let page = r.list(&q(SortKey::Name, false, 0, 100_000)).unwrap();
    assert_eq!(page.items.len(), 6, "the limit is clamped, not refused");
}

#[test]
fn filters_combine_with_search() {
    let mut r = sample();
    let aberg = r
        .list(&ListQuery {
            search: "åberg".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    r.set_status(aberg, Status::Resigned, chrono::Local::now().date_naive())
        .unwrap();
    let q = ListQuery {
        status: Some(Status::Resigned),
        ..Default::default()
    };
    let page = r.list(&q).unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|m| m.last_name.as_str())
            .collect::<Vec<_>>(),
        ["Åberg"]
    );
    let b = r.branches().unwrap()[0].id;
    let w = r.workplaces().unwrap()[0].id;
    let page = r
        .list(&ListQuery {
            branch_id: Some(b),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    let page = r
        .list(&ListQuery {
            workplace_id: Some(w),
            search: "mü".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.items[0].last_name, "Müller");
    assert_eq!(page.total, 1);
}

#[test]
fn renaming_a_member_updates_the_index() {
    let mut r = sample();
    let id = r
        .list(&ListQuery {
            search: "ostrowski".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    let m = r.get(id).unwrap();
    r.update(
        id,
        &MemberInput {
            number: m.number,
            contact: medlem_core::Contact {
                email: m.contact.email,
                address: medlem_core::PostalAddress {
                    city: m.contact.address.city,
                    ..Default::default()
                },
                ..person("Ole", "Nordmann").contact
            },
            ..person("Ole", "Nordmann")
        },
    )
    .unwrap();
    check(&r, "ostrowski", &[]);
    check(&r, "nordm", &["Nordmann"]);
}

#[test]
fn a_search_with_thousands_of_hits_pages_in_name_order() {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    medlem_core::demo::create(&mut r, 3000).unwrap();
    // Expected: every active member with a word starting with "exa" (the
    // e-mail domain): thousands of hits, so the list walks the name order.
    let mut all = Vec::new();
    let mut q = ListQuery {
        limit: 500,
        ..Default::default()
    };
    loop {
        let page = r.list(&q).unwrap();
        let n = page.items.len();
        all.extend(page.items);
        if n < 500 {
            break;
        }
        q.offset += 500;
    }
    assert_eq!(all.len(), 3000);
    let words = |m: &MemberRow| {
        let wp = m.workplace_name.clone().unwrap_or_default();
        text::search_words(&format!(
            "{} {} {} {} {} {}",
            m.first_name, m.last_name, m.number, m.email, m.city, wp
        ))
    };
    let expected: Vec<i64> = all
        .iter()
        .filter(|m| m.status == Status::Active && words(m).iter().any(|w| w.starts_with("exa")))
        .map(|m| m.id)
        .collect();
    assert!(
        expected.len() > 2000 && expected.len() < 3000,
        "dense: {}",
        expected.len()
    );
    let mut got = Vec::new();
    let mut q = ListQuery {
        search: "exa".into(),
        status: Some(Status::Active),
        limit: 500,
        ..Default::default()
    };
    loop {
        let page = r.list(&q).unwrap();
        assert_eq!(page.total as usize, expected.len());
        let n = page.items.len();
        got.extend(page.items.into_iter().map(|m| m.id));
        if n < 500 {
            break;
        }
        q.offset += 500;
    }
    assert_eq!(got, expected, "same members in the same (name) order");
}

#[test]
fn search_counts_members_and_prospects_apart() {
    let mut r = sample();
    r.create(&MemberInput {
        kind: "prospect".into(),
        ..person("Åsa", "Östberg")
    })
    .unwrap();
    let count = |kind| {
        r.list(&ListQuery {
            search: "ös".into(),
            kind,
            ..Default::default()
        })
        .unwrap()
    };
    let names = |p: &MemberPage| {
        p.items
            .iter()
            .map(|m| m.last_name.clone())
            .collect::<Vec<_>>()
    };
    let all = count(None);
    assert_eq!(
        (all.total, names(&all)),
        (2, vec!["Östberg".to_owned(), "Östlund".to_owned()])
    );
    let members = count(Some(Kind::Member));
    assert_eq!(
        (members.total, names(&members)),
        (1, vec!["Östlund".to_owned()])
    );
    let prospects = count(Some(Kind::Prospect));
    assert_eq!(
        (prospects.total, names(&prospects)),
        (1, vec!["Östberg".to_owned()])
    );
}

#[test]
fn a_huge_search_reads_its_beginning_and_answers() {
    let r = sample();
    let find = |search: String| {
        r.list(&ListQuery {
            search,
            ..Default::default()
        })
        .unwrap()
    };
    // A pasted page: its first words are what is searched.
    let page = find(format!("Östlund {}", "x".repeat(100_000)));
    assert_eq!(page.total, 0, "the first 200 characters include the x's");
    let words = find(format!("Öst {}", "ö ".repeat(20_000)));
    let names: Vec<&str> = words.items.iter().map(|m| m.last_name.as_str()).collect();
    assert_eq!(names, ["Östlund"]);
    // Only its first 200 characters: a name further in is not searched.
    let late = find(format!("{}Östlund", " ".repeat(10) + &"a ".repeat(150)));
    assert_eq!(late.total, find("a".into()).total);
    assert_eq!(
        medlem_core::text::searched(&"å".repeat(1000))
            .chars()
            .count(),
        medlem_core::text::MAX_SEARCH_CHARS
    );
}
