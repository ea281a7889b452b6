//! The one support module of the engine's integration tests: case files run through the
//! public operations (`cases`, which the unit tests in `src/tests/` and the wasm suite compile
//! too) and the PHP schedule oracle (`schedule_oracle`, shared with the wasm suite).

pub mod cases;
pub mod schedule_oracle;
