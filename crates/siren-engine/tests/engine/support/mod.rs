//! The one support module of the engine's integration tests: case files run through `api`
//! (`cases`), validation fixtures (`validation`) and the PHP schedule oracle (`schedule_oracle`,
//! which the wasm suite also compiles).

pub mod cases;
pub mod schedule_oracle;
pub mod validation;
