//! The Siren distribution engine: validates recipes and distributor configurations, evaluates
//! PHP `DateTime::modify` schedules, previews a cycle's scores and payouts and simulates many.
//!
//! The core is plain Rust and never sees a `JsValue`: the `siren-wasm` crate binds it to JS and
//! holds no domain logic. See ARCHITECTURE.md for the map and each module's invariant.

#![forbid(unsafe_code)]

pub mod amount;
pub mod api;
pub mod bulk;
pub mod compare;
pub mod config;
pub mod diagnostics;
mod json_read;
pub mod limits;
pub mod model;
pub mod money;
pub mod pool;
pub mod preview;
pub mod recipe;
pub mod registry;
pub mod resolvers;
pub mod schedule;
pub mod scoring;
pub mod simulate;
pub mod time;
pub mod tz;

/// The engine's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
