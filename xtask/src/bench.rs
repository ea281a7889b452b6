//! The native side of the benchmark (`node bench/run.mjs` runs it; `cargo xtask-release bench
//! EVENTS TRANSACTIONS REPS [TOP]`): the same data as bench/data.mjs (mulberry32),
//! loaded into an `Engine` as columns, previewed cold (load + preview) and warm (new weights on
//! the loaded data). Prints one JSON line: times in ms and the peak RSS (VmHWM) in bytes.

use serde_json::{json, Value};
use siren_engine::{Engine, EventColumns, TransactionColumns, TransactionIds};
use std::process::ExitCode;
use std::time::Instant;

const MONTH_START_MS: i64 = 1_772_323_200_000; // 2026-03-01T00:00:00Z
const MONTH_S: u32 = 31 * 86_400;
const COLLABORATORS: u32 = 5_000;
const TYPES: [&str; 5] = ["referredSiteVisit", "boundCouponUsed", "courseCompleted", "lessonCompleted", "manual"];

struct Rng(u32);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        t ^ (t >> 14)
    }
}

/// `count` transactions of two lines (a product and shipping) in March, one in ten refunded in
/// full, as columns (cents): bench/data.mjs's `transactionColumns`, for the same comparison as
/// the wasm bulk path.
fn transaction_columns(count: usize) -> TransactionColumns {
    let mut rng = Rng(2);
    let mut ids = Vec::with_capacity(count);
    let mut c = TransactionColumns {
        amount_scale: 2,
        line_type_names: Some(vec!["product".into(), "shipping".into()]),
        line_quantity: Some(Vec::with_capacity(2 * count)),
        ..TransactionColumns::default()
    };
    for i in 0..count {
        let at = MONTH_START_MS + i64::from(rng.next() % MONTH_S) * 1000;
        let cents = 500 + rng.next() % 20_000;
        ids.push((i + 1) as f64);
        c.occurred_at_ms.push(at as f64);
        c.line_transaction_index.extend([i as u32, i as u32]);
        c.line_type_index.extend([0, 1]);
        c.line_amount.extend([f64::from(cents), 499.0]);
        if let Some(quantity) = c.line_quantity.as_mut() {
            quantity.extend([1 + rng.next() % 3, 1]);
        }
        if rng.next().is_multiple_of(10) {
            c.refund_transaction_index.push(i as u32);
            c.refund_occurred_at_ms.push((at + 3 * 86_400_000) as f64);
        }
    }
    c.transaction_ids = TransactionIds::Numbers(ids);
    c
}

fn input(weights: [i64; 5], top: Option<usize>) -> Value {
    let mut input = json!({
        "recipe": {"version": 1, "name": "Bench", "description": "Benchmark", "distributors": {"d": {"name": "D", "description": "D",
            "distributionResolver": "performanceSharedPool", "distributionPoolResolver": "revenueSinceLastDistribution",
            "status": "active", "units": "USD", "schedule": ["first day of next month"]}}},
        "distributorKey": "d",
        "config": {"engagementTypes": TYPES.iter().zip(weights).map(|(t, w)| (t.to_string(), json!(w))).collect::<serde_json::Map<_, _>>(),
                   "revenuePercentage": 10, "transactionCompilers": ["lineItems", "shipping"]},
        "timeZone": "UTC",
        "lastDistributionAt": "2026-03-01T00:00:00Z",
        "at": "2026-03-31T23:59:59Z",
    });
    if let Some(top) = top {
        input["top"] = json!(top);
    }
    input
}

fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

pub fn run(args: &[String]) -> ExitCode {
    let args: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let (n, tx, reps) = (
        args.first().copied().unwrap_or(100_000),
        args.get(1).copied().unwrap_or(1_000),
        args.get(2).copied().unwrap_or(5),
    );
    // A fourth argument: the inputs' `top` (bench/run.mjs's listed run).
    let top = args.get(3).copied();
    let mut rng = Rng(1);
    let (mut ci, mut ti, mut at, mut points) =
        (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        ci.push(rng.next() % COLLABORATORS);
        let t = rng.next() % 5;
        ti.push(t as u16);
        at.push((MONTH_START_MS + i64::from(rng.next() % MONTH_S) * 1000) as f64);
        points.push(if t == 4 { f64::from(rng.next() % 50) } else { f64::NAN });
    }
    if std::env::var_os("BENCH_TIME_ORDER").is_some() {
        // The same events in time order (stable), as a real export lists them.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|i| at[*i] as i64);
        ci = order.iter().map(|i| ci[*i]).collect();
        ti = order.iter().map(|i| ti[*i]).collect();
        at = order.iter().map(|i| at[*i]).collect();
        points = order.iter().map(|i| points[*i]).collect();
    }
    let ids: Vec<String> = (0..COLLABORATORS).map(|i| format!("c{i}")).collect();
    let names: Vec<String> = TYPES.iter().map(|t| t.to_string()).collect();
    let tx_columns = transaction_columns(tx);
    let base = input([1, 5, 10, 2, 3], top);
    let reweighted = [input([2, 5, 10, 2, 3], top), input([1, 7, 10, 2, 3], top), input([1, 5, 12, 2, 3], top)];

    let (mut cold, mut warm, mut load_events, mut load_transactions) = (vec![], vec![], vec![], vec![]);
    for rep in 0..=reps {
        let began = Instant::now();
        let mut engine = Engine::new();
        // Cloned inside the timing, as the wasm binding copies the columns out of JS.
        let columns = EventColumns {
            collaborator_index: ci.clone(),
            type_index: ti.clone(),
            occurred_at_ms: at.clone(),
            points: Some(points.clone()),
            collaborator_ids: ids.clone(),
            type_names: names.clone(),
            event_ids: None,
        };
        engine.load_event_columns(columns).expect("loads");
        let loaded_events = began.elapsed();
        // Cloned inside the timing too (the binding copies them out of JS).
        engine.load_transaction_columns(tx_columns.clone()).expect("loads");
        let loaded = began.elapsed();
        let preview = engine.preview(&base).expect("previews");
        let text = serde_json::to_string(&preview).unwrap_or_default();
        let cold_ms = began.elapsed().as_secs_f64() * 1e3;
        let mut warm_ms = vec![];
        for input in &reweighted {
            let began = Instant::now();
            let p = engine.preview(input).expect("previews");
            let _ = serde_json::to_string(&p).unwrap_or_default();
            warm_ms.push(began.elapsed().as_secs_f64() * 1e3);
        }
        if rep > 0 {
            // rep 0 is the warm-up
            cold.push(cold_ms);
            warm.extend(warm_ms);
            load_events.push(loaded_events.as_secs_f64() * 1e3);
            load_transactions.push((loaded - loaded_events).as_secs_f64() * 1e3);
        }
        if rep == reps {
            eprintln!(
                "pool {} leader {}",
                preview.pool,
                preview.leaderboard.first().map_or("", |l| &*l.collaborator_id)
            );
            let _ = text;
        }
    }
    println!(
        "{}",
        json!({"path": "native", "events": n, "transactions": tx, "cold": cold, "warm": warm, "loadEvents": load_events, "loadTransactions": load_transactions, "peakRss": peak_rss()})
    );
    ExitCode::SUCCESS
}
