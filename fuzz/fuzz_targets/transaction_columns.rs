//! Structured transaction columns built with `arbitrary` (indexes in and out of range, any
//! amount and quantity, NaN and fractional values, every status and line type, SKUs, categories,
//! owners, full and partial refunds, amount scales up to 14, percentages with many decimals)
//! → `bulk::transactions::read`, then the revenue of a window two ways: the column pass
//! (`bulk::revenue::revenue`) and the pool's pass over the transactions built. Properties: no
//! panic; a refused load is a located error; when the column pass gives a result, the pool's
//! pass gives the same one (over all positions and over a subset); when the pool's pass fails,
//! the column pass gives none.
#![no_main]
use arbitrary::Arbitrary;
use chrono::DateTime;
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use siren_engine::fuzzing::{
    column_revenue, parse_config, read_transaction_columns, revenue_since_last_distribution, Period, Units,
    ValidationOptions, Window,
};
use siren_engine::{Pointer, TransactionColumns, TransactionIds};

#[derive(Arbitrary, Debug)]
struct Input {
    scale: u8,
    units: u8,
    percentages: (u32, u8, u32, u8),
    change_day: u8,
    filters: u8,
    window: (u8, u8, u8),
    transactions: Vec<(u8, u16, u8, Option<u8>, Option<u64>)>,
    lines: Vec<(u16, u8, u64, u32, u8)>,
    refunds: Vec<(u16, u16, Option<u64>)>,
    huge: bool,
    subset: u8,
    numeric_ids: bool,
}

const DAY_MS: f64 = 86_400_000.0;
const START_MS: f64 = 1_767_225_600_000.0; // 2026-01-01T00:00:00Z

fuzz_target!(|input: Input| {
    let amount = |raw: u64| if input.huge { raw as f64 } else { (raw % 1_000_000) as f64 };
    let n = input.transactions.len();
    let mut c = TransactionColumns {
        amount_scale: u32::from(input.scale % 15),
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
    let (mut texts, mut numbers) = (Vec::new(), Vec::new());
    for (i, &(id, hour, status, currency, total)) in input.transactions.iter().enumerate() {
        // Few distinct ids: repeats are refused; numeric and text ids order differently. As
        // numbers, 254 and 255 stand for ones refused (a fraction, a negative number).
        texts.push(if id % 3 == 0 { format!("{}", id / 3) } else { format!("t{}-{i}", id % 7) });
        numbers.push(match id {
            254 => 0.5,
            255 => -1.0,
            _ => f64::from(id) * 1_000_000.0 + if id % 3 == 0 { 0.0 } else { i as f64 },
        });
        c.occurred_at_ms.push(START_MS + f64::from(hour % 2400) * 3_600_000.0 + if hour > 65_000 { 0.5 } else { 0.0 });
        c.status_index.as_mut().unwrap().push(status % 4);
        c.currencies.as_mut().unwrap().push(currency.map(|k| ["USD", "usd", "EUR", ""][usize::from(k % 4)].to_string()));
        c.total.as_mut().unwrap().push(total.map_or(f64::NAN, amount));
    }
    c.transaction_ids = if input.numeric_ids { TransactionIds::Numbers(numbers) } else { texts.into() };
    let mut lines = input.lines.clone();
    lines.sort_by_key(|l| l.0 % 200); // usually grouped, as columns come
    for (l, &(t, kind, value, quantity, extra)) in lines.iter().enumerate() {
        c.line_transaction_index.push(u32::from(t % 200) % (n as u32 + 1 + u32::from(l == 7)));
        c.line_type_index.push(kind % 7);
        c.line_amount.push(amount(value));
        c.line_quantity.as_mut().unwrap().push(if extra & 1 == 0 { quantity % 5 } else { quantity });
        c.line_skus.as_mut().unwrap().push([None, Some("MUG"), Some("BOOK")][usize::from(extra >> 1) % 3].map(String::from));
        c.line_categories.as_mut().unwrap().push(if extra & 8 == 0 { vec![] } else { vec!["books".into()] });
        c.line_owner_collaborator_ids.as_mut().unwrap().push(if extra & 16 == 0 { vec![] } else { vec!["c1".into()] });
    }
    for &(t, hours, value) in &input.refunds {
        c.refund_transaction_index.push(u32::from(t) % (n as u32 + 1));
        c.refund_occurred_at_ms.push(START_MS + f64::from(hours % 3000) * 3_600_000.0);
        c.refund_amount.as_mut().unwrap().push(value.map_or(f64::NAN, amount));
    }
    let table = match read_transaction_columns(c) {
        Ok(table) => table,
        Err(error) => {
            assert!(error.path.starts_with("/transactions/"), "{error:?}");
            return;
        }
    };

    let (p1, d1, p2, d2) = input.percentages;
    // 1 to 99.x with up to 19 decimals (amounts at a scale of 14 × such a percentage pass 28
    // places: the column pass must give way there).
    let percentage = |mantissa: u32, decimals: u8| match usize::from(decimals % 20) {
        0 => json!(1 + mantissa % 99),
        width => json!(format!("{}.{:0>width$}", 1 + mantissa % 99, mantissa % 1_000_000_000)),
    };
    let filters = match input.filters % 4 {
        0 => json!({}),
        1 => json!({"withSkus": ["MUG"]}),
        2 => json!({"inCategories": ["books"], "withTypes": ["subscription"]}),
        _ => json!({"collaboratorOwned": true}),
    };
    let history = json!([
        {"engagementTypes": {"manual": 1}, "revenuePercentage": percentage(p1, d1),
         "transactionCompilers": ["lineItems", "discounts", "fees", "shipping", "taxes"]},
        {"effectiveFrom": DateTime::from_timestamp_millis((START_MS + f64::from(input.change_day) * DAY_MS) as i64).map(|t| t.to_rfc3339()),
         "engagementTypes": {"manual": 1}, "revenuePercentage": percentage(p2, d2),
         "transactionCompilers": ["lineItems", "shipping"], "lineItemFilters": filters}
    ]);
    let Some(config) = parse_config(&history, &ValidationOptions::default()).0 else { return };
    let units = Units::lookup(["USD", "JPY", "KWD", "points"][usize::from(input.units % 4)]).unwrap();
    let at = |days: u8| DateTime::from_timestamp_millis((START_MS + f64::from(days) * DAY_MS) as i64).unwrap().fixed_offset();
    let (start, length, cutoff) = input.window;
    let period = Period {
        window: Window { start: at(start % 120), end: at(start % 120 + 1 + length % 60) },
        cutoff: at(start % 120 + cutoff % 70),
    };
    let path = Pointer::root().key("transactions");
    let format = |t: DateTime<chrono::FixedOffset>| t.to_rfc3339();
    let built = table.transactions();
    let all: Vec<usize> = (0..table.len()).collect();
    let some: Vec<usize> = all.iter().copied().filter(|t| (t + usize::from(input.subset)) % 3 != 0).collect();
    for positions in [all, some] {
        let chosen = built.iter().filter(|t| positions.contains(&t.index)).collect();
        let expected = revenue_since_last_distribution(chosen, &period, &config, &units, &path, &format);
        let actual = column_revenue(&table, &positions, &period, &config, &units, &path, &format);
        match (expected, actual) {
            (Ok(expected), Some(actual)) => assert_eq!(actual, expected),
            (Err(_), Some(actual)) => panic!("the column pass gave {actual:?} where the pool's failed"),
            (_, None) => {}
        }
    }
});
