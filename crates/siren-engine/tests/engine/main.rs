//! The engine's integration tests, one binary: each module is one concern, all through the
//! crate's public surface, with the shared fixtures in `support`. Data shared with the wasm
//! and JS suites lives in the repository's `tests/data/`.

mod support;

mod amount_properties;
mod bulk;
mod column_revenue;
mod hostile_inputs;
mod layers;
mod listed_top;
mod preview_cases;
mod preview_core;
mod preview_properties;
mod properties_hostile;
mod schedule;
mod schedule_oracle;
mod simulate_cases;
mod simulate_compare;
mod simulate_properties;
mod simulate_scale;
mod validate_config;
mod validate_recipe;
mod zones;
