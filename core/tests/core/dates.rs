//! The one date parser and timestamps compared as time, not text.

use medlem_core::dates::parse_date;
use medlem_core::Timestamp;

fn check_date(input: &str, expect: Option<&str>) {
    assert_eq!(
        parse_date(input).map(|d| d.to_string()).as_deref(),
        expect,
        "{input:?}"
    );
}

#[test]
fn dates_are_read_one_way_everywhere() {
    check_date("2027-03-16", Some("2027-03-16"));
    check_date(" 2027-03-16 ", Some("2027-03-16"));
    check_date("2027-3-16", None);
    check_date("2027-02-29", None);
    check_date("16.3.2027", None);
    check_date("<script>", None);
    check_date("", None);
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
