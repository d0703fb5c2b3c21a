//! The seat logic, data-driven: a script of replies and capacity changes,
//! and the places it must give.
//!
//! Script: `3+` person 3 says yes, `3-` no, `cap=2` lowers or raises the
//! capacity (refused if below the seats taken), `cap=2!` the same, the
//! latest seated going back to the waiting list, `cap=-` no limit.
//! Expected: `seated 1 2; waiting 3 4; promoted 3` (promoted since the
//! start, in order).

use medlem_core::meetings::seats::{Overflow, Place, SeatError, Seats};

fn run(capacity: Option<u32>, invited: &[i64], script: &str) -> (Seats, Vec<i64>) {
    let mut s = Seats::new(capacity, invited.iter().copied());
    let mut promoted = Vec::new();
    for step in script.split_whitespace() {
        if let Some(c) = step.strip_prefix("cap=") {
            let (c, overflow) = match c.strip_suffix('!') {
                Some(c) => (c, Overflow::ToWaitingList),
                None => (c, Overflow::Refuse),
            };
            let c = if c == "-" {
                None
            } else {
                Some(c.parse().unwrap())
            };
            s.set_capacity(c, overflow).unwrap();
        } else {
            let (who, yes) = match step.strip_suffix('+') {
                Some(w) => (w, true),
                None => (step.strip_suffix('-').unwrap(), false),
            };
            s.reply(who.parse().unwrap(), yes).unwrap();
        }
        promoted.extend(s.take_promoted());
    }
    (s, promoted)
}

fn check(capacity: Option<u32>, invited: &[i64], script: &str, expect: &str) {
    let (s, promoted) = run(capacity, invited, script);
    let list = |v: &[i64]| {
        v.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let got = format!(
        "seated {}; waiting {}; promoted {}",
        list(s.seated()),
        list(s.waiting()),
        list(&promoted)
    );
    let got = got.replace("  ", " ").replace(" ;", ";");
    assert_eq!(got.trim_end(), expect, "script {script:?}");
}

const FIVE: &[i64] = &[1, 2, 3, 4, 5];

#[test]
fn seats_fill_then_the_waiting_list_then_promotion_in_order() {
    // Fill to capacity, overflow to the waiting list in order of reply.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+",
        "seated 1 2 3; waiting 4 5; promoted",
    );
    // A seated no: the first who waits gets the seat.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 2-",
        "seated 1 3 4; waiting 5; promoted 4",
    );
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 2- 1-",
        "seated 3 4 5; waiting; promoted 4 5",
    );
    // A waiting no leaves the list; nobody is promoted.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 4-",
        "seated 1 2 3; waiting 5; promoted",
    );
    // A no before any yes, then a yes: a seat if there is one.
    check(Some(3), FIVE, "1- 2+ 1+", "seated 2 1; waiting; promoted");
    // Saying yes twice changes nothing.
    check(
        Some(2),
        FIVE,
        "1+ 1+ 2+ 3+ 3+",
        "seated 1 2; waiting 3; promoted",
    );
    // No limit.
    check(
        None,
        FIVE,
        "1+ 2+ 3+ 4+ 5+",
        "seated 1 2 3 4 5; waiting; promoted",
    );
    // More seats go to the first who wait.
    check(
        Some(2),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ cap=4",
        "seated 1 2 3 4; waiting 5; promoted 3 4",
    );
    check(
        Some(2),
        FIVE,
        "1+ 2+ 3+ 4+ cap=-",
        "seated 1 2 3 4; waiting; promoted 3 4",
    );
    // Fewer seats, explicitly: the latest seated go back to the front.
    check(
        Some(4),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ cap=2!",
        "seated 1 2; waiting 3 4 5; promoted",
    );
}

#[test]
fn places_say_where_each_person_stands() {
    let (s, _) = run(Some(2), FIVE, "1+ 2+ 3+ 4+ 5-");
    assert_eq!(s.place(1), Place::Seated);
    assert_eq!(s.place(3), Place::Waiting(1));
    assert_eq!(s.place(4), Place::Waiting(2));
    assert_eq!(s.place(5), Place::Declined);
    assert_eq!(s.place(9), Place::NoReply);
    assert_eq!(s.seats_left(), Some(0));
}

#[test]
fn refusals_change_nothing() {
    // A reply from someone not invited.
    let (mut s, _) = run(Some(2), FIVE, "1+ 2+ 3+");
    let before = s.clone();
    assert_eq!(s.reply(42, true), Err(SeatError::NotInvited(42)));
    assert_eq!(s, before);
    // A capacity below the seats taken, without saying what happens.
    assert_eq!(
        s.set_capacity(Some(1), Overflow::Refuse),
        Err(SeatError::BelowSeated {
            seated: 2,
            capacity: 1
        })
    );
    assert_eq!(s, before, "never a silent drop");
    // An invited guest added later may reply.
    s.invite(42);
    assert_eq!(s.reply(42, true), Ok(Place::Waiting(2)));
}
