//! The engine's integration tests, one binary: each module is one concern, all through the
//! crate's public surface (`lib.rs`), with the shared fixtures in `support`. Tests of the
//! internals are unit tests in `src/tests/`. Data shared with the wasm and JS suites lives in the
//! repository's `tests/data/`.

mod support;

mod exact_limits;
mod hostile_inputs;
mod input_errors;
mod instants;
mod layers;
mod listed_top;
mod preview_cases;
mod properties_hostile;
mod refund_dates;
mod schedule;
mod schedule_oracle;
mod simulate_cases;
mod simulate_compare;
mod simulate_properties;
mod simulate_scale;
mod validation_scale;
