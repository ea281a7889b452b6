//! Registries of known ids (distribution resolvers, pool resolvers, transaction compilers) and
//! the validation options that extend them. The sets are open: a host registers more ids.
//!
//! STUB: owned by the validation work; the signatures below are the contract.

/// Options shared by recipe and config validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationOptions {
    /// Unknown fields are errors instead of warnings.
    pub strict: bool,
    /// Extra distribution resolver ids the host has registered.
    pub extra_distribution_resolvers: Vec<String>,
    /// Extra pool resolver ids the host has registered.
    pub extra_pool_resolvers: Vec<String>,
}
