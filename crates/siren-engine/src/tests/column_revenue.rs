//! The revenue pass over transaction columns (`bulk::revenue`) against the pool's own pass over
//! the same transactions built (`pool::revenue_since_last_distribution`): the same result, field
//! for field, wherever it gives one, and no result where the pool's decimals could fail.

use chrono::{DateTime, FixedOffset};
use serde_json::{json, Value};
use siren_engine::bulk::revenue as column_revenue;
use siren_engine::bulk::transactions::{
    self as transaction_columns, TransactionColumns, TransactionIds, TransactionTable,
};
use siren_engine::bulk::Engine;
use siren_engine::config::{self, ConfigHistory};
use siren_engine::diagnostics::{EngineError, Pointer};
use siren_engine::money::Units;
use siren_engine::pool::{self, PoolResult};
use siren_engine::registry::ValidationOptions;
use siren_engine::scoring::{Period, Window};
use std::collections::BTreeSet;

const JAN_1: f64 = 1_767_225_600_000.0; // 2026-01-01T00:00:00Z in ms
const HOUR: f64 = 3_600_000.0;

/// Transactions as columns with everything columns carry: numeric and text ids, shared
/// instants, statuses, currencies, totals with and without lines, every line type, quantities
/// (0 too), SKUs, categories, owners, and full and partial refunds before, in and after windows.
/// With a seed of 100 or more, the transactions come in time order (as an export often has them).
fn generated(n: usize, seed: u64, amount_scale: u32) -> TransactionColumns {
    let mut state = seed;
    let mut next = move |m: u64| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) % m
    };
    let unit = 10f64.powi(amount_scale as i32);
    let (mut texts, mut numbers) = (Vec::new(), Vec::new());
    let mut c = TransactionColumns {
        amount_scale,
        status_index: Some(vec![]),
        currencies: Some(vec![]),
        total: Some(vec![]),
        line_quantity: Some(vec![]),
        line_skus: Some(vec![]),
        line_categories: Some(vec![]),
        line_owner_collaborator_ids: Some(vec![]),
        refund_amount: Some(vec![]),
        ..TransactionColumns::default()
    };
    for i in 0..n {
        // Hours of the quarter, few enough that instants repeat and ids break ties.
        // Seeds from 100 to 199: in time order. From 200: ids as numbers, out of order.
        let hour = if (100..200).contains(&seed) { (i * 90 * 24 / n.max(1)) as u64 } else { next(90 * 24) };
        let at = JAN_1 + hour as f64 * HOUR;
        texts.push(if next(3) == 0 { format!("{}", n - i) } else { format!("t{i}") });
        numbers.push(((i * 7919) % n.max(1)) as f64);
        c.occurred_at_ms.push(at);
        c.status_index.as_mut().unwrap().push([0, 0, 0, 0, 0, 1, 2][next(7) as usize]);
        c.currencies
            .as_mut()
            .unwrap()
            .push([None, None, None, Some("USD"), Some("usd"), Some("EUR")][next(6) as usize].map(String::from));
        let lines = next(5);
        let has_total = lines == 0 || next(3) == 0;
        c.total.as_mut().unwrap().push(if has_total {
            (next(400) as f64) * unit + next(unit as u64) as f64
        } else {
            f64::NAN
        });
        for _ in 0..lines {
            c.line_transaction_index.push(i as u32);
            c.line_type_index.push(next(6) as u8);
            c.line_amount.push((next(300) as f64) * unit + next(unit as u64) as f64);
            c.line_quantity.as_mut().unwrap().push(if next(2) == 0 { 1 } else { next(4) as u32 });
            c.line_skus
                .as_mut()
                .unwrap()
                .push([None, Some("MUG"), Some("BOOK"), Some("CLUB")][next(4) as usize].map(String::from));
            c.line_categories.as_mut().unwrap().push(match next(4) {
                0 => vec!["books".into()],
                1 => vec!["mugs".into(), "gifts".into()],
                _ => vec![],
            });
            c.line_owner_collaborator_ids.as_mut().unwrap().push(if next(3) == 0 { vec!["c1".into()] } else { vec![] });
        }
        for _ in 0..next(4).saturating_sub(1) {
            c.refund_transaction_index.push(i as u32);
            // Never before the sale (`transactions.refundBeforeSale`).
            c.refund_occurred_at_ms.push(at + next(40 * 24) as f64 * HOUR);
            let partial = next(3) != 0;
            c.refund_amount.as_mut().unwrap().push(if partial {
                (next(60) as f64) * unit + next(unit as u64) as f64
            } else {
                f64::NAN
            });
        }
    }
    c.transaction_ids = if seed >= 200 { TransactionIds::Numbers(numbers) } else { texts.into() };
    c
}

/// The ids of columns that have them as text.
fn text_ids(columns: &mut TransactionColumns) -> &mut Vec<String> {
    match &mut columns.transaction_ids {
        TransactionIds::Text(ids) => ids,
        TransactionIds::Numbers(_) => panic!("ids as numbers"),
    }
}

fn history(versions: Value) -> ConfigHistory {
    let (history, diagnostics) = config::parse(&versions, &ValidationOptions::default());
    history.unwrap_or_else(|| panic!("config: {diagnostics:?}"))
}

/// Versions with every compiler and line-item filter, percentages with decimals, a window
/// before the first version, and a version without compilers.
fn configs() -> Vec<ConfigHistory> {
    let types = json!({"manual": 1});
    vec![
        history(json!([
            {"engagementTypes": types, "revenuePercentage": 10, "transactionCompilers": ["lineItems", "discounts", "fees", "shipping", "taxes"]},
            {"effectiveFrom": "2026-01-20T00:00:00Z", "engagementTypes": types, "revenuePercentage": "12.5",
             "transactionCompilers": ["lineItems", "discounts"], "lineItemFilters": {"withSkus": ["MUG", "CLUB"], "collaboratorOwned": true}},
            {"effectiveFrom": "2026-02-05T00:00:00Z", "engagementTypes": types, "revenuePercentage": 7,
             "transactionCompilers": ["lineItems", "shipping"], "lineItemFilters": {"inCategories": ["books"], "withTypes": ["subscription"]}},
            {"effectiveFrom": "2026-02-25T00:00:00Z", "engagementTypes": types, "revenuePercentage": 20, "transactionCompilers": ["lineItems", "fees", "taxes"]}
        ])),
        history(json!([
            {"effectiveFrom": "2026-01-15T00:00:00Z", "engagementTypes": types, "revenuePercentage": "33.333", "transactionCompilers": ["lineItems", "discounts"]},
            {"effectiveFrom": "2026-02-10T00:00:00Z", "engagementTypes": types, "revenuePercentage": "33.3330", "transactionCompilers": []},
            {"effectiveFrom": "2026-03-10T00:00:00Z", "engagementTypes": types, "revenuePercentage": 100, "transactionCompilers": ["shipping"]}
        ])),
    ]
}

fn instant(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn periods() -> Vec<Period> {
    let period = |start: &str, end: &str, cutoff: &str| Period {
        window: Window { start: instant(start), end: instant(end) },
        cutoff: instant(cutoff),
    };
    vec![
        period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-01-31T23:59:59Z"),
        period("2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00", "2026-02-20T12:00:00+01:00"),
        period("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-31T23:59:59Z"),
        period("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-15T00:00:00Z"),
        // Under the second config, only refunds reach back to the version without compilers.
        period("2026-03-10T00:00:00Z", "2026-04-01T00:00:00Z", "2026-03-31T23:59:59Z"),
    ]
}

/// The pool's pass over `table` built, and the column pass over it.
fn both(
    table: &TransactionTable,
    period: &Period,
    config: &ConfigHistory,
    units: &Units,
) -> (Result<PoolResult, EngineError>, Option<PoolResult>) {
    some(table, &(0..table.len()).collect::<Vec<_>>(), period, config, units)
}

/// `both` over the transactions at `positions` only (as a simulation passes a window's).
fn some(
    table: &TransactionTable,
    positions: &[usize],
    period: &Period,
    config: &ConfigHistory,
    units: &Units,
) -> (Result<PoolResult, EngineError>, Option<PoolResult>) {
    let path = Pointer::root().key("transactions");
    let format = |t: DateTime<FixedOffset>| t.to_rfc3339();
    let built = table.transactions();
    let chosen = built.iter().filter(|t| positions.contains(&t.index)).collect();
    let pool = pool::revenue_since_last_distribution(chosen, period, config, units, &path, &format);
    (pool, column_revenue::revenue(table, positions, period, config, units, &path, &format))
}

#[test]
fn the_column_pass_gives_the_pools_result() {
    let mut methods = BTreeSet::new();
    let mut reasons = BTreeSet::new();
    let mut listed = (0, 0, 0);
    // Amounts in cents, in thousandths (finer than USD's cents) and in whole units, under a
    // currency with cents, one with thousandths (shares then have a finer scale than amounts)
    // and one without minor units (shares round to whole units).
    for (n, seed, amount_scale, currency) in [
        (0, 1, 2, "USD"),
        (1, 2, 2, "USD"),
        (60, 3, 3, "USD"),
        (400, 4, 2, "BHD"),
        (3_000, 5, 2, "USD"),
        (700, 6, 0, "JPY"),
        (700, 7, 3, "JPY"),
        (3_000, 100, 2, "USD"),
        (3_000, 200, 2, "USD"),
    ] {
        let table = transaction_columns::read(generated(n, seed, amount_scale)).unwrap();
        let units = Units::lookup(currency).unwrap();
        for (c, config) in configs().iter().enumerate() {
            for (p, period) in periods().iter().enumerate() {
                let (expected, actual) = both(&table, period, config, &units);
                let case = format!("n={n} seed={seed} scale={amount_scale} {currency} config {c} period {p}");
                let expected = expected.unwrap_or_else(|e| panic!("{case}: the pool's pass failed: {e:?}"));
                let actual = actual.unwrap_or_else(|| panic!("{case}: the column pass gave no result"));
                assert_eq!(actual, expected, "{case}");
                // Equal values may differ in scale; what is shown must not.
                assert_eq!(actual.sales.normalize().to_string(), expected.sales.normalize().to_string(), "{case}");
                assert_eq!(actual.pool_exact.to_string(), expected.pool_exact.to_string(), "{case}");
                methods.extend(expected.refunds_explained.iter().map(|r| r.method));
                reasons.extend(expected.excluded.keys().copied());
                listed.0 = listed.0.max(expected.sales_explained.len());
                listed.1 = listed.1.max(expected.refunds_explained.len());
                listed.2 = listed.2.max(expected.excluded.values().map(|ids| ids.count).max().unwrap_or(0));
                if n <= 400 {
                    let positions: Vec<usize> = (0..n).filter(|t| t % 3 != 1).collect();
                    let (expected, actual) = some(&table, &positions, period, config, &units);
                    assert_eq!(actual, Some(expected.unwrap()), "{case}, two thirds");
                }
            }
        }
    }
    // The data reaches every rule and every cap.
    assert_eq!(methods, BTreeSet::from(["capped", "full", "proportional"]));
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert_eq!((listed.0, listed.1), (pool::MAX_EXPLAINED_SALES, pool::MAX_EXPLAINED_SALES));
    assert!(listed.2 > siren_engine::scoring::MAX_LISTED_IDS, "{listed:?}");
}

/// One complete sale in January of `amount` units × `quantity` at `amount_scale`.
fn one_sale(amount: f64, quantity: u32, amount_scale: u32) -> TransactionColumns {
    TransactionColumns {
        transaction_ids: vec!["t1".to_string()].into(),
        occurred_at_ms: vec![JAN_1 + HOUR],
        amount_scale,
        line_transaction_index: vec![0],
        line_type_index: vec![0],
        line_amount: vec![amount],
        line_quantity: Some(vec![quantity]),
        ..TransactionColumns::default()
    }
}

#[test]
fn the_column_pass_gives_way_where_the_pools_decimals_could_fail() {
    let january = &periods()[0];
    let usd = Units::lookup("USD").unwrap();
    let ten = history(
        json!([{"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]}]),
    );
    // A line of 2^53 − 1 cents × a billion does not fit 64 bits (it fits the pool's 96).
    let table = transaction_columns::read(one_sale(9_007_199_254_740_991.0, 1_000_000_000, 2)).unwrap();
    let (pool, columns) = both(&table, january, &ten, &usd);
    assert_eq!(columns, None);
    assert_eq!(pool.unwrap().sales.normalize().to_string(), "90071992547409910000000");
    // An amount at 10^-12 times a percentage of 15 decimals needs 27 places, and the pool ÷ 100
    // 29: the column pass leaves it to the pool's, which computes it exactly in 256 bits
    // (1.23e-10 × 12.345678901234567 ÷ 100). With 14, both compute it.
    let table = transaction_columns::read(one_sale(123.0, 1, 12)).unwrap();
    let fine = history(
        json!([{"engagementTypes": {"manual": 1}, "revenuePercentage": "12.345678901234567", "transactionCompilers": ["lineItems"]}]),
    );
    let (pool, columns) = both(&table, january, &fine, &usd);
    assert_eq!(columns, None);
    assert_eq!(pool.unwrap().pool_exact.to_string(), "0.00000000001518518504851851741");
    let coarser = history(
        json!([{"engagementTypes": {"manual": 1}, "revenuePercentage": "12.34567890123456", "transactionCompilers": ["lineItems"]}]),
    );
    let (pool, columns) = both(&table, january, &coarser, &usd);
    let pool = pool.unwrap();
    assert_eq!(pool.pool_exact.to_string(), "0.0000000000151851850485185088");
    assert_eq!(columns, Some(pool));

    // 200 sales of 5 × 10^-12 add up to 10^-9: times a percentage of 17 decimals, each needs 29
    // places (the pool computes them in 256 bits), their sum 26 (and the pool ÷ 100 28).
    let mut many = one_sale(5.0, 1, 12);
    for i in 1..200 {
        text_ids(&mut many).push(format!("t{}", i + 1));
        many.occurred_at_ms.push(JAN_1 + HOUR);
        many.line_transaction_index.push(i);
        many.line_type_index.push(0);
        many.line_amount.push(5.0);
    }
    many.line_quantity = None;
    let table = transaction_columns::read(many).unwrap();
    let finer = history(
        json!([{"engagementTypes": {"manual": 1}, "revenuePercentage": "1.12345678901234567", "transactionCompilers": ["lineItems"]}]),
    );
    let (pool, columns) = both(&table, january, &finer, &usd);
    assert_eq!(columns, None);
    // 200 × 5e-12 × 1.12345678901234567 ÷ 100.
    assert_eq!(pool.unwrap().pool_exact.to_string(), "0.0000000000112345678901234567");

    // A loaded handle gives the pool's result either way.
    let mut engine = Engine::new();
    engine.load_transaction_columns(one_sale(9_007_199_254_740_991.0, 1_000_000_000, 2)).unwrap();
    let input = json!({
        "recipe": {"version": 1, "name": "R", "description": "R", "distributors": {"d": {"name": "D", "description": "D",
            "distributionResolver": "performanceSharedPool", "distributionPoolResolver": "revenueSinceLastDistribution",
            "status": "active", "units": "USD", "schedule": ["first day of next month"]}}},
        "distributorKey": "d",
        "config": {"engagementTypes": {"manual": 1}, "revenuePercentage": 10, "transactionCompilers": ["lineItems"]},
        "timeZone": "UTC",
        "lastDistributionAt": "2026-01-01T00:00:00Z",
        "at": "2026-01-31T23:59:59Z",
    });
    let preview = serde_json::to_value(engine.preview(&input).unwrap()).unwrap();
    assert_eq!(preview["explanation"]["pool"]["exact"], json!("9007199254740991000000.00"), "{preview:#}");
    // And a simulation, cycle by cycle, as with the same sales loaded as JSON (with an earlier
    // one after it in the columns: the pool reads them in time order).
    let mut columns = one_sale(9_007_199_254_740_991.0, 1_000_000_000, 2);
    text_ids(&mut columns).push("t0".into());
    columns.occurred_at_ms.push(JAN_1);
    columns.line_transaction_index.push(1);
    columns.line_type_index.push(0);
    columns.line_amount.push(100.0);
    columns.line_quantity = Some(vec![1_000_000_000, 1]);
    engine.load_transaction_columns(columns).unwrap();
    let mut as_json = Engine::new();
    let sales = json!([
        {"id": "t1", "occurredAt": "2026-01-01T01:00:00Z", "details": [{"type": "product", "amount": "90071992547409.91", "quantity": 1_000_000_000}]},
        {"id": "t0", "occurredAt": "2026-01-01T00:00:00Z", "details": [{"type": "product", "amount": "1.00"}]}
    ]);
    as_json.load_transactions_json(sales.to_string().as_bytes()).unwrap();
    let mut year = input.clone();
    let fields = year.as_object_mut().unwrap();
    fields.remove("lastDistributionAt");
    fields.remove("at");
    fields.insert("start".into(), json!("2026-01-01T00:00:00Z"));
    fields.insert("end".into(), json!("2026-04-01T00:00:00Z"));
    let simulated = |d: &Engine| serde_json::to_string(&d.simulate(&year).unwrap()).unwrap();
    assert_eq!(simulated(&engine), simulated(&as_json));
    assert!(simulated(&engine).contains("9007199254740991000000.10"));
}
