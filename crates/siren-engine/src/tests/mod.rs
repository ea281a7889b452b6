//! Unit tests of the internals that span modules: the kernels (scoring, allocation, the column
//! revenue pass against the pool's), the readers (configurations, recipes) and the bulk path
//! against the object path. They name the crate `siren_engine` as the integration tests do
//! (`extern crate self` in lib.rs), so the shared fixtures compile in both.

mod support;

mod amount_properties;
mod bulk;
mod column_revenue;
mod preview_core;
mod preview_properties;
mod typed_records;
mod validate_config;
mod validate_recipe;
mod validate_scaling;
mod zones;
