//! `previewScores` (ENGINE.md §8): one cycle end to end, projected as of `at`: the window, the
//! scores and leaderboard, revenue and pool, the resolver's allocations, and an explanation that
//! lets a reader trace every figure.
//!
//! Two steps: `read_request` turns the JSON input into a typed `PreviewRequest` (every problem
//! a located `EngineError`), and `run` computes the cycle from it without touching JSON.

mod cycle;
mod output;
mod request;

pub use cycle::*;
pub use output::*;
pub use request::*;

use crate::diagnostics::EngineError;
use serde_json::Value;

/// `previewScores` over a JSON input.
pub fn preview_scores(input: &Value) -> Result<Preview, EngineError> {
    run(&read_request(input, None, None)?)
}
