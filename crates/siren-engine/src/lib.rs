//! The Siren distribution engine: validates recipes and distributor configurations, evaluates
//! PHP `DateTime::modify` schedules, previews a cycle's scores and payouts and simulates many.
//!
//! The core is plain Rust and never sees a `JsValue`: the `siren-wasm` crate binds it to JS and
//! holds no domain logic. See ARCHITECTURE.md for the map and each module's invariant.
//!
//! This file is the front door: the modules are private, and what callers use is re-exported
//! here.
//! - The operations of the JS surface over JSON documents: [`validate_recipe`],
//!   [`validate_distributor_config`], [`next_runs`], [`preview_scores`], [`simulate`],
//!   [`compare`], with [`parse_json`] to read JSON text as they do.
//! - The bulk path: [`Engine`], loaded with [`EventColumns`] and [`TransactionColumns`] or JSON
//!   arrays, previewed and simulated as often as the caller likes.
//! - What they return: [`ValidationReport`] of [`Diagnostic`]s, [`Preview`], [`Simulation`],
//!   [`Comparison`]; and what they throw: [`EngineError`], a [`Code`] at a JSON [`Pointer`].
//! - Schedules and instants: [`Schedule`], [`Zone`], [`parse_timestamp`], [`format_in_zone`].
//! - The documented input [`limits`] and the engine's [`VERSION`].

#![forbid(unsafe_code)]

mod amount;
mod api;
mod bulk;
mod compare;
mod config;
mod diagnostics;
mod json_read;
pub mod limits;
mod model;
mod money;
mod pool;
mod preview;
mod recipe;
mod registry;
mod resolvers;
mod schedule;
mod scoring;
mod simulate;
mod sorting;
mod time;
mod tz;
mod wide;

pub use api::{
    compare, compare_text, next_runs, parse_json, preview_scores, preview_scores_text, simulate, simulate_text,
    unreadable_input_report, validate_distributor_config, validate_recipe, with_record_columns,
};
pub use bulk::{instants_ms, scaled_amounts, Engine, EventColumns, TransactionColumns, TransactionIds};
pub use compare::Comparison;
pub use diagnostics::{Code, Diagnostic, EngineError, Pointer, Severity, ValidationReport};
pub use preview::{AllocationOut, CollaboratorExplanation, LeaderboardEntry, Preview, ShareOut};
pub use registry::ValidationOptions;
pub use schedule::{Schedule, ScheduleError};
pub use simulate::{Cycle, Simulation};
pub use time::{format_in_zone, parse_timestamp, Zone};

/// The engine's version (the crate version).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The internals the fuzz targets compare with each other (cargo fuzz builds with `--cfg
/// fuzzing`); not part of the surface.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::bulk::revenue::revenue as column_revenue;
    pub use crate::bulk::transactions::read as read_transaction_columns;
    pub use crate::config::parse as parse_config;
    pub use crate::money::Units;
    pub use crate::pool::revenue_since_last_distribution;
    pub use crate::registry::ValidationOptions;
    pub use crate::scoring::{Period, Window};
}

// The unit tests and the integration tests share fixtures that name the crate `siren_engine`.
#[cfg(test)]
extern crate self as siren_engine;
#[cfg(test)]
mod tests;
