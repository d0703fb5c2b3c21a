//! Funds and grant applications through the commands.

use serde_json::{json, Value};

use crate::{app, temp_db, App};

fn member(app: &App, first: &str) -> Value {
    app.ok(
        "member_create",
        json!({"member": {"firstName": first, "lastName": "Ek", "address1": "Storgatan 1", "postcode": "21122", "city": "Malmö"}}),
    )
}

fn application(app: &App, fund: &Value, member: &Value) -> i64 {
    let v = app.ok(
        "grant_apply",
        json!({"application": {"fundId": fund["id"], "applicantKind": "member", "memberId": member["id"],
               "title": "Workshop", "lines": [{"item": "Föreläsare", "amount": "8 000"}, {"item": "Lokal", "amount": "2000"}]}}),
    );
    assert_eq!(v["application"]["requested"], 1_000_000);
    v["application"]["id"].as_i64().unwrap()
}

fn step(app: &App, id: i64, step: Value) -> Result<Value, Value> {
    app.call("grant_step", json!({"id": id, "step": step}))
}

#[test]
fn a_fund_from_creation_to_payment_through_the_commands() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE"}}),
    );
    let e = app.err(
        "fund_create",
        json!({"fund": {"name": "Initiativpotten", "period": "2027", "budget": "<script>"}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "budget", "code": "invalid_amount"}])
    );
    assert_eq!(app.ok("funds_list", json!({})), json!([]));
    let fund = app.ok(
        "fund_create",
        json!({"fund": {"name": "Initiativpotten", "period": "2027", "budget": "25000", "cap": "10000", "deadlines": ["2027-03-31"]}}),
    );
    let people: Vec<Value> = ["Anna", "Bo", "Cilla"]
        .iter()
        .map(|n| member(&app, n))
        .collect();
    let ids: Vec<i64> = people.iter().map(|m| application(&app, &fund, m)).collect();
    for id in &ids {
        step(&app, *id, json!({"step": "submit"})).unwrap();
    }
    step(&app, ids[0], json!({"step": "approve", "amount": "10000"})).unwrap();
    step(
        &app,
        ids[1],
        json!({"step": "approve", "amount": "10000", "conditions": "Kvitton"}),
    )
    .unwrap();
    let e = step(&app, ids[2], json!({"step": "approve", "amount": "10000"})).unwrap_err();
    assert_eq!(e["code"], "above_remaining");
    let paid = step(
        &app,
        ids[0],
        json!({"step": "pay", "date": "2027-04-02", "reference": "Bg 1"}),
    )
    .unwrap();
    assert_eq!(paid["application"]["stage"], "paid");
    let o = app.ok("fund_get", json!({"id": fund["id"]}));
    assert_eq!(
        [
            &o["budget"],
            &o["requested"],
            &o["committed"],
            &o["paid"],
            &o["remaining"]
        ],
        [
            &json!(2_500_000),
            &json!(1_000_000),
            &json!(1_000_000),
            &json!(1_000_000),
            &json!(500_000)
        ]
    );
    assert_eq!(o["fund"]["deadlines"], json!(["2027-03-31"]));
    let e = app.err(
        "fund_update",
        json!({"id": fund["id"], "fund": {"name": "Initiativpotten", "period": "2027", "budget": "15000"}}),
    );
    assert_eq!(e["code"], "budget_below_used");

    // The list, one application with its steps, letters, attachments.
    let list = app.ok(
        "grants_list",
        json!({"query": {"fundId": fund["id"], "stage": "approved"}}),
    );
    assert_eq!(list.as_array().unwrap().len(), 1);
    let v = app.ok("grant_get", json!({"id": ids[0]}));
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["create", "submit", "approve", "pay"]);
    let pdf = dir.path().join("beslut.pdf");
    assert_eq!(
        app.ok("grant_letter_print", json!({"id": ids[0], "path": pdf}))["items"],
        1
    );
    let e = app.err("grant_letter_print", json!({"id": ids[2], "path": pdf}));
    assert_eq!(e["code"], "nothing_to_print");
    let file = dir.path().join("budget.csv");
    std::fs::write(&file, "Föreläsare;8000\n").unwrap();
    let a = app.ok("grant_attach", json!({"id": ids[0], "path": file}));
    assert_eq!(a["name"], "budget.csv");
    let copy = dir.path().join("copy.csv");
    app.ok(
        "grant_attachment_save",
        json!({"file": a["id"], "path": copy}),
    );
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&file).unwrap());
    app.ok("grant_detach", json!({"file": a["id"]}));
    let e = app.err("grant_detach", json!({"file": a["id"]}));
    assert_eq!(e["code"], "not_found");
    let e = app.err("grant_reminders_print", json!({"path": pdf}));
    assert_eq!(e["code"], "nothing_to_print");

    // The club's own applications.
    let e = app.err(
        "outgoing_save",
        json!({"id": null, "outgoing": {"funder": "", "title": "Kurs", "amount": "1"}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "funder", "code": "required"}])
    );
    let out = app.ok("outgoing_save", json!({"id": null, "outgoing": {"funder": "Förbundet", "title": "Kurs", "amount": "15000", "deadline": "2027-05-01"}}));
    assert_eq!(out["status"], "planned");
    assert_eq!(
        app.ok("outgoing_list", json!({})).as_array().unwrap().len(),
        1
    );
    app.ok("outgoing_delete", json!({"id": out["id"]}));
    let e = app.err("fund_delete", json!({"id": fund["id"]}));
    assert_eq!(e["code"], "fund_has_applications");
}
