//! Meetings through the commands, as the window calls them.

use serde_json::{json, Value};

use crate::{app, temp_db, App};

fn member(app: &App, first: &str) -> Value {
    app.ok(
        "member_create",
        json!({"member": {"firstName": first, "lastName": "Ek", "address1": "Storgatan 1", "postcode": "21122", "city": "Malmö", "email": format!("{}@example.se", first.to_lowercase())}}),
    )
}

fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["memberId"].as_i64().unwrap())
        .collect()
}

#[test]
fn a_meeting_from_creation_to_the_day_through_the_commands() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE"}}),
    );
    let people: Vec<i64> = ["Anna", "Bo", "Cilla", "Dan", "Eva"]
        .iter()
        .map(|n| member(&app, n)["id"].as_i64().unwrap())
        .collect();

    // Refused input names the fields, nothing is created.
    let e = app.err(
        "meeting_create",
        json!({"meeting": {"kind": "member_meeting", "title": "", "starts": "2027-03-16 18:00", "onlineLink": "javascript:alert(1)"}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "title", "code": "required"}, {"field": "onlineLink", "code": "invalid_link"}])
    );
    assert_eq!(app.ok("meetings_list", json!({})), json!([]));

    let m = app.ok(
        "meeting_create",
        json!({"meeting": {"kind": "member_meeting", "title": "Medlemsmöte", "starts": "2027-03-16T18:00", "ends": "20:00", "capacity": 3, "venue": "Folkets hus"}}),
    );
    assert_eq!(m["timeZone"], "Europe/Stockholm");
    assert_eq!(m["starts"], "2027-03-16T18:00:00");
    let id = m["id"].clone();
    let invited = app.ok(
        "meeting_invite",
        json!({"id": id, "selection": {"how": "email"}}),
    );
    assert_eq!(invited["invited"], 5);
    assert_eq!(invited["byEmail"], 5);
    assert_eq!(
        app.ok("meeting_emails", json!({"id": id}))
            .as_array()
            .unwrap()
            .len(),
        5
    );

    for p in &people {
        app.ok(
            "meeting_reply",
            json!({"id": id, "memberId": p, "yes": true}),
        );
    }
    let o = app.ok("meeting_get", json!({"id": id}));
    assert_eq!(
        (o["seatsTaken"].as_i64(), o["seatsLeft"].as_i64()),
        (Some(3), Some(0))
    );
    assert_eq!(ids(&o["waiting"]), [people[3], people[4]]);
    let out = app.ok(
        "meeting_reply",
        json!({"id": id, "memberId": people[1], "yes": false}),
    );
    assert_eq!(out["place"], "declined");
    assert_eq!(ids(&out["promoted"]), [people[3]]);
    assert_eq!(ids(&out["overview"]["waiting"]), [people[4]]);
    let pdf = dir.path().join("plats.pdf");
    let seat = app.ok(
        "meeting_letters_print",
        json!({"id": id, "seats": true, "path": pdf, "onProgress": "__CHANNEL__:1"}),
    );
    assert_eq!(seat["summary"]["items"], 1);
    assert!(pdf.exists());
    assert_eq!(
        app.ok("meeting_get", json!({"id": id}))["promoted"],
        json!([])
    );

    // Capacity below the seats taken: refused, or moved when asked.
    let lower = json!({"kind": "member_meeting", "title": "Medlemsmöte", "starts": "2027-03-16T18:00", "capacity": 2});
    let e = app.err("meeting_update", json!({"id": id, "meeting": lower}));
    assert_eq!(e["code"], "below_seated");
    app.ok(
        "meeting_update",
        json!({"id": id, "meeting": lower, "moveToWaiting": true}),
    );
    assert_eq!(app.ok("meeting_get", json!({"id": id}))["seatsTaken"], 2);

    // Not invited.
    let stranger = member(&app, "Främling")["id"].clone();
    let e = app.err(
        "meeting_reply",
        json!({"id": id, "memberId": stranger, "yes": true}),
    );
    assert_eq!(e["code"], "not_invited");

    // The people list, attendance, papers.
    let page = app.ok(
        "meeting_people",
        json!({"id": id, "query": {"limit": 3, "keep": [people[4]]}}),
    );
    assert_eq!(page["found"], 5);
    assert_eq!(page["rows"].as_array().unwrap().len(), 3);
    assert_eq!(page["rows"][0]["place"], "seated");
    assert_eq!(page["places"]["seated"], 2);
    assert_eq!(page["kept"][0]["memberId"], people[4]);
    let seated = app.ok(
        "meeting_people",
        json!({"id": id, "query": {"place": "seated", "limit": 10}}),
    );
    assert_eq!(seated["found"], 2);
    let e = app.err(
        "meeting_people",
        json!({"id": id, "query": {"place": "somewhere", "limit": 10}}),
    );
    assert!(
        e.to_string().contains("somewhere"),
        "an unknown place is named: {e}"
    );
    let a = app.ok(
        "meeting_attend",
        json!({"id": id, "memberId": people[0], "present": true}),
    );
    assert_eq!(a["attended"], true);
    let h = app.ok("member_history", json!({"id": people[0]}));
    assert_eq!(h[0]["kind"], "attended");
    let sign = dir.path().join("namnlista.pdf");
    assert_eq!(
        app.ok("meeting_signatures_print", json!({"id": id, "path": sign}))["items"],
        2
    );
    let ics = dir.path().join("mote.ics");
    app.ok("meeting_ics_save", json!({"id": id, "path": ics}));
    assert!(std::fs::read_to_string(&ics)
        .unwrap()
        .contains("DTSTART;TZID=Europe/Stockholm:20270316T180000"));
    // Invited by e-mail: no letters to print.
    let pdf = dir.path().join("inbjudan.pdf");
    let e = app.err(
        "meeting_letters_print",
        json!({"id": id, "seats": false, "path": pdf, "onProgress": "__CHANNEL__:1"}),
    );
    assert_eq!(e["code"], "nothing_to_print");
    // Taken off the list, then the meeting removed.
    let o = app.ok("meeting_uninvite", json!({"id": id, "memberId": people[4]}));
    assert_eq!(o["invited"], 4);
    app.ok("meeting_delete", json!({"id": id}));
    assert_eq!(
        app.err("meeting_get", json!({"id": id}))["code"],
        "not_found"
    );
}

#[test]
fn statutes_voter_roll_repeats_and_the_invitation_preview() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE"}}),
    );
    let anna = member(&app, "Anna");
    let st = app.ok("statutes_get", json!({}));
    assert_eq!(
        (st["noticeMinDays"].as_i64(), st["noticeMaxDays"].as_i64()),
        (Some(14), Some(42))
    );
    let e = app.err(
        "statutes_set",
        json!({"statutes": {"noticeMinDays": 30, "noticeMaxDays": 7}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "noticeMaxDays", "code": "date_order"}])
    );
    app.ok(
        "statutes_set",
        json!({"statutes": {"noticeMinDays": 14, "noticeMaxDays": 42, "quorumCount": 1}}),
    );

    let m = app.ok(
        "meeting_create",
        json!({"meeting": {"kind": "annual_general_meeting", "title": "Årsmöte", "starts": "2099-03-16 18:00"}}),
    );
    let id = m["id"].clone();
    let e = app.err(
        "meeting_voters_freeze",
        json!({"id": id, "cutoff": "1 mars"}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "cutoff", "code": "invalid_date"}])
    );
    let v = app.ok(
        "meeting_voters_freeze",
        json!({"id": id, "cutoff": "2099-02-01"}),
    );
    assert_eq!(
        (v["voters"].as_i64(), v["quorate"].as_bool()),
        (Some(1), Some(false))
    );
    let roll = dir.path().join("rostlangd.pdf");
    assert_eq!(
        app.ok("meeting_voters_print", json!({"id": id, "path": roll}))["items"],
        1
    );
    // Invitations far too early for the statutes: warned.
    let s = app.ok("meeting_invite", json!({"id": id, "selection": {}}));
    assert_eq!(s["warnings"][0]["code"], "notice_too_early");
    app.ok(
        "meeting_attend",
        json!({"id": id, "memberId": anna["id"], "present": true}),
    );
    assert_eq!(
        app.ok("meeting_get", json!({"id": id}))["voters"]["quorate"],
        true
    );

    let more = app.ok(
        "meeting_repeat",
        json!({"id": id, "every": "year", "count": 2}),
    );
    assert_eq!(more[1]["starts"], "2101-03-16T18:00:00");
    let e = app.err(
        "meeting_repeat",
        json!({"id": id, "every": "fortnight", "count": 2}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "every", "code": "invalid_choice"}])
    );
    assert_eq!(
        app.ok("meetings_list", json!({})).as_array().unwrap().len(),
        3
    );

    // The invitation template previews with an example meeting.
    let all = app.ok("letter_templates_list", json!({}));
    let inv = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "meeting_invitation" && t["language"] == "sv")
        .unwrap()
        .clone();
    let page = app.ok(
        "letter_preview",
        json!({"template": inv, "memberId": anna["id"]}),
    );
    let texts: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["text"].as_str())
        .collect();
    assert!(texts.contains(&"Inbjudan: Medlemsmöte"), "{texts:?}");
    // A meeting field in an ordinary letter is unknown.
    let e = app.err(
        "letter_template_save",
        json!({"template": {"key": "kallelse", "language": "sv", "subject": "{{ meeting.title }}", "body": "x"}}),
    );
    assert_eq!(e["code"], "unknown_field");
}
