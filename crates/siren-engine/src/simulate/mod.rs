//! `simulate` (ENGINE.md §5, §6, §8): every cycle of a distributor from `start` to `end`, each
//! computed exactly as `previewScores` computes one (`preview::run_cycle_scored`), plus what only a
//! sequence of cycles has: paused triggers whose window merges into the next distribution,
//! carried-over unawarded pools, pending obligations and totals.
//!
//! Invariants: the input is read once; events and transaction instants are sorted once and each
//! window takes its slice by binary search; every collection in the output is ordered, so the
//! same input gives the same bytes. A distributed cycle's allocations sum exactly to its
//! `available` amount (its pool plus what was carried in).

mod output;
mod request;
mod run;

pub use output::*;
pub use request::*;
pub use run::*;

use crate::diagnostics::EngineError;
use serde_json::Value;

/// `simulate` over a JSON input.
pub fn simulate(input: &Value) -> Result<Simulation, EngineError> {
    run(&read_request(input)?)
}
