//! The one date parser (the ways people write a date, and which part is
//! wrong) and timestamps compared as time, not text.

use medlem_core::dates::{local_time_problem, parse_date, parse_local_time, read_date};
use medlem_core::FieldCode;
use medlem_core::Timestamp;

fn check_date(input: &str, expect: Option<&str>) {
    assert_eq!(
        parse_date(input).map(|d| d.to_string()).as_deref(),
        expect,
        "{input:?}"
    );
}

#[test]
fn dates_are_read_as_people_write_them_in_the_four_languages() {
    for written in [
        "2026-12-31",
        " 2026-12-31 ",
        "31.12.2026",
        "31/12/2026",
        "31-12-2026",
        "2026-12-31",
    ] {
        check_date(written, Some("2026-12-31"));
    }
    check_date("5.3.2027", Some("2027-03-05"));
    check_date("2027-3-5", Some("2027-03-05"));
    check_date("05/03/2027", Some("2027-03-05"));
    check_date("2027-02-29", None);
    check_date("<script>", None);
    check_date("=HYPERLINK(\"x\")", None);
    check_date("", None);
    check_date("31.12.26", None);
    check_date("2026/12/31", None);
    check_date("31.12-2026", None);
    check_date("+1.12.2026", None);
}

#[test]
fn a_date_that_is_not_one_says_which_part_is_wrong() {
    let code = |s: &str| read_date(s).map_err(FieldCode::from);
    assert_eq!(code("2026-13-40"), Err(FieldCode::InvalidMonth));
    assert_eq!(code("40.13.2026"), Err(FieldCode::InvalidMonth));
    assert_eq!(code("2026-00-10"), Err(FieldCode::InvalidMonth));
    assert_eq!(code("2026-02-30"), Err(FieldCode::InvalidDay));
    assert_eq!(code("31/04/2026"), Err(FieldCode::InvalidDay));
    assert_eq!(code("0.1.2026"), Err(FieldCode::InvalidDay));
    assert_eq!(code("next friday"), Err(FieldCode::InvalidDate));
    assert_eq!(code("2026-12"), Err(FieldCode::InvalidDate));
    assert_eq!(FieldCode::InvalidMonth.as_str(), "invalid_month");
    assert_eq!(FieldCode::InvalidDay.as_str(), "invalid_day");
    // A meeting's start: the date part is blamed the same way.
    assert_eq!(
        FieldCode::from(local_time_problem("2027-13-16 18:00")),
        FieldCode::InvalidMonth
    );
    assert_eq!(
        parse_local_time("16.3.2027 18:00").map(|t| t.to_string()),
        Some("2027-03-16 18:00:00".to_owned())
    );
}

#[test]
fn timestamps_compare_as_time_and_are_written_as_rfc3339_utc() {
    let utc = Timestamp::parse("2026-11-22T12:00:00Z").unwrap();
    let oslo = Timestamp::parse("2026-11-22T13:00:00+01:00").unwrap();
    // As text the second sorts after the first; as time they are the same.
    assert_eq!(utc, oslo);
    assert_eq!(oslo.to_string(), "2026-11-22T12:00:00Z");
    let later = Timestamp::parse("2026-11-22T12:00:01Z").unwrap();
    assert!(later > oslo);
    // JSON carries the same text, and reads it back.
    let json = serde_json::to_string(&later).unwrap();
    assert_eq!(json, "\"2026-11-22T12:00:01Z\"");
    assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), later);
    assert!(serde_json::from_str::<Timestamp>("\"garbage\"").is_err());
    assert_eq!(Timestamp::parse("=HYPERLINK(\"x\")"), None);
    // The form Medlem writes is read directly; anything off in it is not a time.
    for bad in [
        "2026-13-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-11-22T24:00:00Z",
        "2026-11-22T1a:00:00Z",
    ] {
        assert_eq!(Timestamp::parse(bad), None, "{bad}");
    }
    assert_eq!(Timestamp::parse(" 2026-11-22T12:00:01Z ").unwrap(), later);
}
