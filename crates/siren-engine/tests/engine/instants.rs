//! Instants at the edges, through every path that reads or prints one: leap seconds (read as
//! the next second, as PHP 8.2 reads them), triggers past year 9999, and fractions of a second
//! in what is printed. Expected values by hand, and from PHP 8.2 where a schedule is applied.

use crate::support::cases::recipe;
use serde_json::{json, Value};
use siren_engine::{Code, Engine, EngineError};

fn next_runs(schedule: &str, from: &str, zone: &str, count: usize) -> Result<Vec<String>, EngineError> {
    siren_engine::next_runs(&json!({"schedule": [schedule], "from": from, "timeZone": zone, "count": count}))
}

/// A topScoreWins preview (10 points a course, 10 % of revenue) with these records.
fn preview_input(events: Value, transactions: Value, extra: Value) -> Value {
    let mut input = json!({
        "recipe": recipe("topScoreWins", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"courseCompleted": 10}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "events": events,
        "transactions": transactions,
    });
    for (key, value) in extra.as_object().expect("an object") {
        input[key] = value.clone();
    }
    input
}

/// The preview of the object path, and the bulk path's (records loaded from JSON) byte for byte.
fn both_paths(input: &Value) -> Value {
    let object = serde_json::to_string(&siren_engine::preview_scores(input).expect("previews")).expect("serializes");
    let mut engine = Engine::new();
    engine.load_events_json(input["events"].to_string().as_bytes()).expect("events load");
    engine.load_transactions_json(input["transactions"].to_string().as_bytes()).expect("transactions load");
    let mut without = input.clone();
    let records = without.as_object_mut().expect("an object");
    records.remove("events");
    records.remove("transactions");
    let bulk = serde_json::to_string(&engine.preview(&without).expect("previews")).expect("serializes");
    assert_eq!(object, bulk);
    serde_json::from_str(&object).expect("JSON")
}

fn course(id: &str, who: &str, at: &str) -> Value {
    json!({"id": id, "collaboratorId": who, "type": "courseCompleted", "occurredAt": at})
}

#[test]
fn a_leap_second_is_the_next_second_for_next_runs() {
    // PHP 8.2: new DateTime("2016-12-31T23:59:60Z") is 2017-01-01T00:00:00+00:00.
    let from = "2016-12-31T23:59:60Z";
    assert_eq!(
        next_runs("+1 second", from, "UTC", 2).expect("runs"),
        ["2017-01-01T00:00:01+00:00", "2017-01-01T00:00:02+00:00"]
    );
    assert_eq!(next_runs("+1 hour", from, "UTC", 1).expect("runs"), ["2017-01-01T01:00:00+00:00"]);
    assert_eq!(next_runs("first day of next month", from, "UTC", 1).expect("runs"), ["2017-02-01T00:00:00+00:00"]);
    assert_eq!(next_runs("+1 day", from, "America/New_York", 1).expect("runs"), ["2017-01-01T19:00:00-05:00"]);
}

#[test]
fn an_event_in_a_leap_second_counts_alike_on_both_paths() {
    // 23:59:60 is 00:00:00 of the next day, so inside a window that starts then; 23:59:59.999
    // is before it. `lastDistributionAt` may be a leap second too.
    let events = json!([
        course("e1", "ana", "2016-12-31T23:59:60Z"),
        course("e2", "ben", "2016-12-31T23:59:59.999Z"),
        course("e3", "cy", "2016-12-31T18:59:60.5-05:00"),
    ]);
    for last in ["2017-01-01T00:00:00Z", "2016-12-31T23:59:60Z"] {
        let input =
            preview_input(events.clone(), json!([]), json!({"lastDistributionAt": last, "at": "2017-01-15T00:00:00Z"}));
        let preview = both_paths(&input);
        assert_eq!(
            preview["window"],
            json!({"start": "2017-01-01T00:00:00+00:00", "end": "2017-02-01T00:00:00+00:00"})
        );
        let board: Vec<(&str, &str)> = preview["leaderboard"]
            .as_array()
            .expect("a leaderboard")
            .iter()
            .map(|entry| (entry["collaboratorId"].as_str().unwrap(), entry["reachedAt"].as_str().unwrap()))
            .collect();
        assert_eq!(board, [("ana", "2017-01-01T00:00:00+00:00"), ("cy", "2017-01-01T00:00:00.500+00:00")]);
    }
}

#[test]
fn a_range_ending_in_9999_is_simulated() {
    let input = json!({
        "recipe": recipe("topScoreWins", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"courseCompleted": 10}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "start": "9999-10-01T00:00:00Z",
        "end": "9999-12-31T23:59:59Z",
        "events": [course("e1", "ana", "9999-12-15T10:00:00Z")],
        "transactions": [{"id": "t1", "occurredAt": "9999-12-20T10:00:00Z", "total": "50.00"}],
    });
    // The trigger after `end` is 10000-01-01 (as in PHP): it ends the range, it is not refused.
    let simulation = serde_json::to_value(siren_engine::simulate(&input).expect("simulates")).expect("serializes");
    let triggers: Vec<&str> =
        simulation["cycles"].as_array().unwrap().iter().map(|c| c["triggerAt"].as_str().unwrap()).collect();
    assert_eq!(triggers, ["9999-11-01T00:00:00+00:00", "9999-12-01T00:00:00+00:00"]);
    let mut engine = Engine::new();
    engine.load_events_json(input["events"].to_string().as_bytes()).expect("events load");
    engine.load_transactions_json(input["transactions"].to_string().as_bytes()).expect("transactions load");
    let mut without = input.clone();
    without.as_object_mut().unwrap().remove("events");
    without.as_object_mut().unwrap().remove("transactions");
    let bulk = serde_json::to_value(engine.simulate(&without).expect("simulates")).expect("serializes");
    assert_eq!(bulk, simulation);

    // A trigger up to `end` is shown, so it must be a year the engine prints: in +05:00,
    // 10000-01-01T00:00+05:00 is 9999-12-31T19:00Z, within a range ending at 23:59:59Z.
    let mut east = input.clone();
    east["timeZone"] = json!("+05:00");
    east["start"] = json!("9999-11-01T00:00:00+05:00");
    let error = siren_engine::simulate(&east).expect_err("a trigger in year 10000 is in the range");
    assert_eq!((error.code, error.path.as_str()), (Code::ScheduleOutOfRange, "/recipe/distributors/d/schedule/0"));
    east["end"] = json!("9999-12-31T18:59:59Z");
    let simulation = serde_json::to_value(siren_engine::simulate(&east).expect("simulates")).expect("serializes");
    assert_eq!(simulation["cycles"][0]["triggerAt"], "9999-12-01T00:00:00+05:00");
    assert_eq!(simulation["cycles"].as_array().map(Vec::len), Some(1));

    // Every path that would return or print it refuses the same trigger.
    let error = next_runs("+1 month", "9999-12-01T00:00:00Z", "UTC", 1).expect_err("year 10000");
    assert_eq!((error.code, error.path.as_str()), (Code::ScheduleOutOfRange, "/schedule/0"));
    let preview = preview_input(
        json!([]),
        json!([]),
        json!({"lastDistributionAt": "9999-12-01T00:00:00Z", "at": "9999-12-15T00:00:00Z"}),
    );
    let error = siren_engine::preview_scores(&preview).expect_err("the window would end in 10000");
    assert_eq!((error.code, error.path.as_str()), (Code::ScheduleOutOfRange, "/recipe/distributors/d/schedule/0"));
}

#[test]
fn printed_instants_keep_their_milliseconds() {
    // ana and ben reach 10 points 300 ms apart: ben wins by earliestToReach, and the printed
    // reachedAt shows why. The window starts at a lastDistributionAt with milliseconds and
    // "first day of next month" keeps them, as PHP does (2026-02-01T00:00:00.250000+00:00).
    let input = preview_input(
        json!([course("e1", "ana", "2026-01-31T10:00:00.300Z"), course("e2", "ben", "2026-01-31T05:00:00-05:00")]),
        json!([{"id": "t1", "occurredAt": "2026-01-10T10:00:00.042Z", "total": "100.00"}]),
        json!({"lastDistributionAt": "2026-01-01T00:00:00.250Z", "at": "2026-01-31T12:00:00.125Z"}),
    );
    let preview = both_paths(&input);
    assert_eq!(
        preview["window"],
        json!({"start": "2026-01-01T00:00:00.250+00:00", "end": "2026-02-01T00:00:00.250+00:00"})
    );
    assert_eq!(preview["triggerAt"], "2026-02-01T00:00:00.250+00:00");
    assert_eq!(preview["at"], "2026-01-31T12:00:00.125+00:00");
    assert_eq!(preview["leaderboard"][0]["collaboratorId"], "ben");
    assert_eq!(preview["leaderboard"][0]["reachedAt"], "2026-01-31T10:00:00+00:00");
    assert_eq!(preview["leaderboard"][1]["reachedAt"], "2026-01-31T10:00:00.300+00:00");
    assert_eq!(preview["allocations"], json!([{"collaboratorId": "ben", "amount": "10.00"}]));
    assert_eq!(preview["explanation"]["revenue"]["transactions"][0]["occurredAt"], "2026-01-10T10:00:00.042+00:00");
    assert_eq!(preview["explanation"]["window"]["countedUntil"], "2026-01-31T12:00:00.125+00:00");
}
