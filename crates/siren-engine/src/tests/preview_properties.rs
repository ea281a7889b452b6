//! Properties of the preview core (proptest): allocations always sum exactly to the pool and are
//! never negative; scores do not depend on event order; proportional shares are monotone in
//! score; and no input, however malformed, makes the engine panic.

use chrono::{DateTime, Duration, FixedOffset};
use proptest::prelude::*;
use serde_json::{json, Value};
use siren_engine::config::{ConfigHistory, ConfigVersion, LineItemFilters};
use siren_engine::diagnostics::Pointer;
use siren_engine::model::{compare_ids, Event, TieBreak};
use siren_engine::resolvers::{allocate, Contender, Resolver};
use siren_engine::scoring::{score, Period, Window};
use std::collections::BTreeMap;

fn base_instant() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z").unwrap()
}

fn resolver_strategy() -> impl Strategy<Value = Resolver> {
    prop_oneof![
        Just(Resolver::TopScoreWins),
        Just(Resolver::PerformanceSharedPool),
        Just(Resolver::SharedEngagementPool)
    ]
}

fn tie_strategy() -> impl Strategy<Value = TieBreak> {
    prop_oneof![Just(TieBreak::EarliestToReach), Just(TieBreak::Split), Just(TieBreak::LowestCollaboratorId)]
}

/// Contenders as (score, reachedAt) rows; `contenders` names them `c0`, `c1`, …
fn contenders_strategy() -> impl Strategy<Value = Vec<(i64, Option<DateTime<FixedOffset>>)>> {
    rows_strategy(1_000_000, 1000)
}

/// Rows with scores up to `max_score`, reached within `minutes` minutes (few values: ties).
fn rows_strategy(max_score: i64, minutes: i64) -> impl Strategy<Value = Vec<(i64, Option<DateTime<FixedOffset>>)>> {
    prop::collection::vec((0i64..=max_score, 0i64..minutes), 0..25).prop_map(|rows| {
        rows.into_iter()
            .map(|(score, minutes)| (score, (score > 0).then(|| base_instant() + Duration::minutes(minutes))))
            .collect()
    })
}

fn contenders<'a>(ids: &'a [String], rows: &[(i64, Option<DateTime<FixedOffset>>)]) -> Vec<Contender<'a>> {
    ids.iter()
        .zip(rows)
        .map(|(id, &(score, reached_at))| Contender { collaborator_id: id, score, reached_at })
        .collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("c{i}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn allocations_sum_exactly_to_the_pool(
        pool in prop_oneof![0i128..1000, 0i128..=1_000_000_000_000_000_000i128],
        rows in contenders_strategy(),
        resolver in resolver_strategy(),
        tie in tie_strategy(),
    ) {
        let ids = ids(rows.len());
        let contenders = contenders(&ids, &rows);
        let result = allocate(resolver, pool, &contenders, tie).unwrap();
        let allocated: i128 = result.shares.iter().map(|s| s.amount_minor).sum();
        prop_assert!(result.shares.iter().all(|s| s.amount_minor >= 0));
        if contenders.iter().any(|c| c.score > 0) {
            prop_assert_eq!(allocated, pool);
            prop_assert_eq!(result.unawarded_minor, 0);
        } else {
            prop_assert_eq!(allocated, 0);
            prop_assert_eq!(result.unawarded_minor, pool);
        }
        // Every leftover unit is handed out once, to a distinct participant.
        prop_assert!(result.remainder_order.len() <= result.shares.len());
    }

    /// Shares come in the order leftover units are considered, and the units go to a prefix of
    /// it: larger remainder first, then higher score, earlier reach (never reached last), then
    /// the lower id. The expected order is sorted here from the shares, with no help from the
    /// resolver's own ordering.
    #[test]
    fn leftover_units_go_by_remainder_then_leaderboard_order(
        pool in 0i128..100_000,
        rows in prop_oneof![rows_strategy(4, 3), contenders_strategy()],
        resolver in resolver_strategy(),
        tie in tie_strategy(),
    ) {
        let ids = ids(rows.len());
        let contenders = contenders(&ids, &rows);
        let result = allocate(resolver, pool, &contenders, tie).unwrap();
        let of = |id: &str| contenders.iter().find(|c| c.collaborator_id == id).map(|c| (c.score, c.reached_at));
        let mut expected: Vec<&str> = result.shares.iter().map(|s| s.collaborator_id).collect();
        let remainder = |id: &str| result.shares.iter().find(|s| s.collaborator_id == id).map(|s| s.remainder);
        expected.sort_by(|a, b| {
            let ((score_a, reached_a), (score_b, reached_b)) = (of(a).unwrap(), of(b).unwrap());
            remainder(b)
                .cmp(&remainder(a))
                .then(score_b.cmp(&score_a))
                .then(reached_a.is_none().cmp(&reached_b.is_none()))
                .then(reached_a.cmp(&reached_b))
                .then(compare_ids(a, b))
        });
        let order: Vec<&str> = result.shares.iter().map(|s| s.collaborator_id).collect();
        prop_assert_eq!(&order, &expected);
        let handed = result.shares.iter().take_while(|s| s.leftover_unit).count();
        prop_assert!(result.shares.iter().skip(handed).all(|s| !s.leftover_unit));
        let handed_to: Vec<&str> = result.remainder_order.iter().map(|&place| contenders[place].collaborator_id).collect();
        prop_assert_eq!(handed_to, order[..handed].to_vec());
    }

    #[test]
    fn proportional_shares_are_monotone_in_score(pool in 0i128..10_000_000, rows in contenders_strategy()) {
        let ids = ids(rows.len());
        let contenders = contenders(&ids, &rows);
        let result = allocate(Resolver::PerformanceSharedPool, pool, &contenders, TieBreak::default()).unwrap();
        let score_of: BTreeMap<&str, i64> = contenders.iter().map(|c| (c.collaborator_id, c.score)).collect();
        for a in &result.shares {
            for b in &result.shares {
                if score_of[a.collaborator_id] > score_of[b.collaborator_id] {
                    prop_assert!(a.amount_minor >= b.amount_minor, "{} > {} in score but not in amount", a.collaborator_id, b.collaborator_id);
                }
            }
        }
    }

    #[test]
    fn scores_do_not_depend_on_event_order(
        rows in prop::collection::vec((0usize..5, 0usize..3, -100i64..3000), 0..60),
        seed in any::<u64>(),
    ) {
        let kinds = ["referredSiteVisit", "courseCompleted", "unknownThing"];
        let events: Vec<Event> = rows.iter().enumerate().map(|(i, (who, kind, minutes))| Event {
            index: i,
            id: Some(format!("e{i}")),
            collaborator_id: format!("c{who}"),
            kind: kinds[*kind].to_string(),
            occurred_at: base_instant() + Duration::minutes(*minutes),
            points: None,
        }).collect();
        let config = ConfigHistory { versions: vec![ConfigVersion {
            effective_from: None,
            engagement_types: BTreeMap::from([("referredSiteVisit".to_string(), 1), ("courseCompleted".to_string(), 10)]),
            revenue_percentage: 10.into(),
            transaction_compilers: vec![],
            line_item_filters: LineItemFilters::default(),
            eligible_collaborators: None,
        }]};
        let period = Period {
            window: Window { start: base_instant(), end: base_instant() + Duration::minutes(2000) },
            cutoff: base_instant() + Duration::minutes(1500),
        };
        let forward = score(&events, &period, &config, None, &Pointer::root()).unwrap();
        // A deterministic shuffle, re-indexed as if the host had sent them in that order.
        let mut shuffled = events.clone();
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for (i, e) in shuffled.iter_mut().enumerate() { e.index = i; }
        let backward = score(&shuffled, &period, &config, None, &Pointer::root()).unwrap();
        prop_assert_eq!(forward, backward);
    }

    #[test]
    fn malformed_input_never_panics(mutation in mutation_strategy()) {
        let mut input = valid_input();
        apply(&mut input, &mutation);
        // Either a preview or a located error; reaching here means no panic.
        match super::support::cases::run(&input) {
            Ok(preview) => prop_assert!(serde_json::to_string(&preview).is_ok()),
            Err(error) => prop_assert!(!error.message.is_empty()),
        }
    }
}

fn valid_input() -> Value {
    json!({
        "recipe": super::support::cases::recipe("performanceSharedPool", "USD", "first day of next month"),
        "distributorKey": "d",
        "config": {"engagementTypes": {"manual": 0, "referredSiteVisit": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "discounts"]},
        "timeZone": "UTC",
        "at": "2026-03-31T00:00:00Z",
        "window": {"start": "2026-03-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"},
        "collaborators": [{"id": "a"}, {"id": 2, "status": "active"}],
        "events": [
            {"id": "e1", "collaboratorId": "a", "type": "manual", "occurredAt": "2026-03-05T00:00:00Z", "points": 5},
            {"id": 2, "collaboratorId": 2, "type": "referredSiteVisit", "occurredAt": "2026-03-06T00:00:00Z"}
        ],
        "transactions": [
            {"id": "t1", "occurredAt": "2026-03-05T00:00:00Z", "currency": "USD", "details": [
                {"type": "product", "amount": "49.99", "quantity": 2, "sku": "A", "categories": ["x"], "ownerCollaboratorIds": ["a"]},
                {"type": "discount", "amount": 5}
            ], "refunds": [{"occurredAt": "2026-03-07T00:00:00Z", "amount": "10"}]},
            {"id": 7, "occurredAt": "2026-03-08T00:00:00Z", "total": 100}
        ],
        "policies": {"tieBreak": "split", "carryOverUnawarded": false}
    })
}

/// Replace the value at one of the input's paths with a hostile value.
#[derive(Debug, Clone)]
struct Mutation {
    path: &'static str,
    value: Value,
}

fn hostile_values() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        Just(json!(true)),
        Just(json!([])),
        Just(json!({})),
        Just(json!("")),
        Just(json!("not a thing")),
        Just(json!("2026-03-05T00:00:00")),
        Just(json!("9999-12-31T23:59:59+14:00")),
        Just(json!("-1")),
        Just(serde_json::from_str::<Value>("1e30").unwrap()),
        Just(serde_json::from_str::<Value>("-1e-30").unwrap()),
        Just(serde_json::from_str::<Value>("123456789012345678901234567890").unwrap()),
        Just(serde_json::from_str::<Value>("9223372036854775807").unwrap()),
        Just(serde_json::from_str::<Value>("18446744073709551616").unwrap()),
        Just(json!(0)),
        Just(json!(1.5)),
        Just(json!([{"a": 1}])),
        "[a-zA-Z0-9 .:+-]{0,12}".prop_map(Value::String),
        any::<i64>().prop_map(|n| json!(n)),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let paths = [
        "",
        "/recipe",
        "/recipe/distributors",
        "/recipe/distributors/d",
        "/recipe/distributors/d/units",
        "/recipe/distributors/d/distributionResolver",
        "/recipe/distributors/d/status",
        "/recipe/distributors/d/schedule",
        "/distributorKey",
        "/config",
        "/timeZone",
        "/at",
        "/window",
        "/window/start",
        "/window/end",
        "/collaborators",
        "/collaborators/0",
        "/collaborators/1/id",
        "/collaborators/1/status",
        "/events",
        "/events/0",
        "/events/0/points",
        "/events/0/occurredAt",
        "/events/1/collaboratorId",
        "/events/1/type",
        "/transactions",
        "/transactions/0",
        "/transactions/0/details",
        "/transactions/0/details/0/amount",
        "/transactions/0/details/0/quantity",
        "/transactions/0/details/0/type",
        "/transactions/0/details/1",
        "/transactions/0/refunds/0/amount",
        "/transactions/0/refunds/0/occurredAt",
        "/transactions/1/total",
        "/transactions/1/id",
        "/transactions/0/currency",
        "/policies",
        "/policies/tieBreak",
        "/policies/carryOverUnawarded",
    ];
    (prop::sample::select(paths.to_vec()), hostile_values()).prop_map(|(path, value)| Mutation { path, value })
}

fn apply(input: &mut Value, mutation: &Mutation) {
    if mutation.path.is_empty() {
        *input = mutation.value.clone();
    } else if let Some(slot) = input.pointer_mut(mutation.path) {
        *slot = mutation.value.clone();
    }
}
