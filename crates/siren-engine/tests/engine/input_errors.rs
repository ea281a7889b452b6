//! How unreadable input is reported: JSON syntax errors at the line and column an editor shows,
//! a byte order mark skipped by every reader alike, and dates that do not exist named by the
//! field that is wrong.

use serde_json::{json, Value};
use siren_engine::{next_runs, parse_json, validate_recipe, Engine};

fn not_json(text: &str) -> String {
    let error = parse_json(text).expect_err("not JSON");
    assert_eq!((error.code.as_str(), error.path.as_str()), ("input.notJson", ""), "{text:?}");
    error.message
}

#[test]
fn json_syntax_errors_are_placed_as_editors_place_them() {
    assert_eq!(not_json(""), "The input is not valid JSON: EOF while parsing a value (line 1, column 1).");
    assert_eq!(
        not_json("{\n  \"a\": 1,\n  \"é\": x\n}"),
        "The input is not valid JSON: expected value (line 3, column 8)."
    );
    assert_eq!(not_json("{\"a\": 1,}"), "The input is not valid JSON: trailing comma (line 1, column 9).");
    assert_eq!(not_json("{\n"), "The input is not valid JSON: EOF while parsing an object (line 2, column 1).");
    assert_eq!(not_json("\u{feff}\u{feff}{}"), "The input is not valid JSON: expected value (line 1, column 1).");
}

#[test]
fn a_byte_order_mark_is_skipped_by_every_reader() {
    let recipe = "\u{feff}{\"version\": 1, \"name\": \"R\", \"description\": \"D\"}";
    assert_eq!(parse_json(recipe).expect("a BOM is skipped"), json!({"version": 1, "name": "R", "description": "D"}));
    let report = validate_recipe(&parse_json(recipe).unwrap(), None).expect("validates");
    assert!(report.valid, "{:?}", report.errors);
    let mut engine = Engine::new();
    let events = "\u{feff}[{\"collaboratorId\": \"a\", \"type\": \"manual\", \"occurredAt\": \"2026-01-02T00:00:00Z\", \"points\": 3}]";
    engine.load_events_json(events.as_bytes()).expect("a BOM before the array is skipped");
    assert_eq!(engine.event_count(), 1);
    let error = engine.load_transactions_json(b"\xEF\xBB\xBF[").expect_err("truncated");
    assert_eq!(error.message, "The data is not a JSON array of objects: EOF while parsing a list (line 1, column 1).");
}

#[test]
fn a_date_that_does_not_exist_names_the_wrong_field() {
    let message = |from: &str| -> String {
        let input: Value = json!({"schedule": ["+1 day"], "from": from, "timeZone": "UTC", "count": 1});
        let error = next_runs(&input).expect_err("refused");
        assert_eq!((error.code.as_str(), error.path.as_str()), ("time.invalidTimestamp", "/from"), "{from}");
        error.message
    };
    assert_eq!(
        message("2026-13-01T00:00:00+02:00"),
        "The timestamp \"2026-13-01T00:00:00+02:00\" has month 13; a month is 1 to 12."
    );
    assert_eq!(message("2026-00-10"), "The timestamp \"2026-00-10\" has month 0; a month is 1 to 12.");
    assert_eq!(
        message("2026-02-29T00:00:00Z"),
        "The timestamp \"2026-02-29T00:00:00Z\" has day 29; February 2026 has days 1 to 28."
    );
    assert_eq!(
        message("2026-04-31T00:00:00Z"),
        "The timestamp \"2026-04-31T00:00:00Z\" has day 31; April 2026 has days 1 to 30."
    );
    assert_eq!(
        message("2026-01-01T24:00:00Z"),
        "The timestamp \"2026-01-01T24:00:00Z\" has hour 24; an hour is 0 to 23."
    );
    assert_eq!(message("2026-01-01 10:75Z"), "The timestamp \"2026-01-01 10:75Z\" has minute 75; a minute is 0 to 59.");
    assert_eq!(
        message("2026-01-01T10:15:61Z"),
        "The timestamp \"2026-01-01T10:15:61Z\" has second 61; a second is 0 to 59 (60 for a leap second)."
    );
    // A valid date in the wrong shape keeps the shape message.
    assert!(message("01/02/2026").contains("is not ISO-8601 with an offset"));
    assert_eq!(
        next_runs(&json!({"schedule": ["+1 day"], "from": "2024-02-29T00:00:00Z", "timeZone": "UTC", "count": 1}))
            .unwrap(),
        ["2024-03-01T00:00:00+00:00"]
    );
}
