//! The unit tests' fixtures: the integration tests' case runner (one file, compiled in both) and
//! the validation fixtures.

#[path = "../../../tests/engine/support/cases.rs"]
pub mod cases;
pub mod validation;
