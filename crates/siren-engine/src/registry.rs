//! Registries of known ids (distribution resolvers, pool resolvers, transaction compilers,
//! statuses, sorters, event types) and the validation options that extend them. Resolver sets
//! are open: a host registers more ids through the options.
//!
//! Also the "did you mean" search every unknown-id message uses.

use crate::diagnostics::{json_type_name, Code, EngineError, Pointer};
use serde_json::Value;

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

/// Distribution resolvers the engine implements (ENGINE.md §2, §6).
pub const DISTRIBUTION_RESOLVERS: &[&str] = &["topScoreWins", "performanceSharedPool", "sharedEngagementPool"];

/// Pool resolvers the engine implements (ENGINE.md §4).
pub const POOL_RESOLVERS: &[&str] = &["revenueSinceLastDistribution"];

/// Statuses a recipe may create a distributor in (Siren's REST create accepts these two).
pub const DISTRIBUTOR_STATUSES: &[&str] = &["active", "inactive"];

/// Statuses a recipe may create a program in; `draft` is accepted with a warning.
pub const PROGRAM_STATUSES: &[&str] = &["active", "inactive", "draft"];

/// Program-group sorters (Siren REST: "oldestBindingWins or newestBindingWins").
pub const SORTERS: &[&str] = &["oldestBindingWins", "newestBindingWins"];

/// Transaction compiler ids, in the order of `config::Compiler`.
pub const TRANSACTION_COMPILERS: &[&str] = &["lineItems", "discounts", "fees", "shipping", "taxes"];

/// Metric event types Siren documents. The set is open (extensions add triggers); these are
/// only used to spot likely typos.
pub const KNOWN_EVENT_TYPES: &[&str] =
    &["referredSiteVisit", "boundCouponUsed", "boundPostUsed", "courseCompleted", "lessonCompleted", "manual"];

impl ValidationOptions {
    /// Built-in distribution resolvers followed by the host's.
    pub fn distribution_resolvers(&self) -> Vec<&str> {
        with_extras(DISTRIBUTION_RESOLVERS, &self.extra_distribution_resolvers)
    }

    /// Built-in pool resolvers followed by the host's.
    pub fn pool_resolvers(&self) -> Vec<&str> {
        with_extras(POOL_RESOLVERS, &self.extra_pool_resolvers)
    }
}

fn with_extras<'a>(built_in: &[&'a str], extras: &'a [String]) -> Vec<&'a str> {
    let mut ids = built_in.to_vec();
    for extra in extras {
        if !ids.contains(&extra.as_str()) {
            ids.push(extra);
        }
    }
    ids
}

/// The known id closest to `candidate`, if one is close enough to be a plausible typo: equal
/// ignoring ASCII case, or within a small edit distance (about a third of the id's length, at
/// least 2). ASCII case only: the ids are code identifiers, field and zone names, and Unicode
/// case tables would cost the wasm module 2.4 KB gzipped for a hint.
pub fn nearest<'a, I>(candidate: &str, known: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wanted = candidate.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    // A truncated or extended id (`leadGeneration` for `leadGen`) is the weakest kind of match.
    let mut prefix_match = None;
    for id in known {
        let id_lower = id.to_ascii_lowercase();
        if id_lower == wanted {
            return Some(id);
        }
        let limit = (id.chars().count() / 3).max(2);
        if let Some(distance) = edit_distance(&wanted, &id_lower, limit) {
            if best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, id));
            }
        }
        let (shorter, longer) = if id_lower.len() < wanted.len() { (&id_lower, &wanted) } else { (&wanted, &id_lower) };
        if prefix_match.is_none() && shorter.chars().count() >= 4 && longer.starts_with(shorter.as_str()) {
            prefix_match = Some(id);
        }
    }
    best.map(|(_, id)| id).or(prefix_match)
}

/// Levenshtein distance when it is at most `limit`; `None` otherwise. Long strings are refused
/// outright so a pasted essay costs nothing.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    const LONGEST: usize = 64;
    let a: Vec<char> = a.chars().take(LONGEST + 1).collect();
    let b: Vec<char> = b.chars().take(LONGEST + 1).collect();
    if a.len() > LONGEST || b.len() > LONGEST || a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().filter(|d| *d <= limit)
}

/// Reads validation options: `{strict?: bool, distributionResolvers?: [id], poolResolvers?: [id]}`.
pub fn parse_validation_options(options: Option<&Value>) -> Result<ValidationOptions, EngineError> {
    let mut parsed = ValidationOptions::default();
    let object = match options {
        None | Some(Value::Null) => return Ok(parsed),
        Some(Value::Object(object)) => object,
        Some(other) => {
            return Err(EngineError::new(
                Code::InputInvalidOption,
                &Pointer::root(),
                format!("Options must be an object, found {}.", json_type_name(other)),
            ))
        }
    };
    for (key, value) in object {
        let path = Pointer::root().key(key);
        match key.as_str() {
            "strict" => match value {
                Value::Bool(strict) => parsed.strict = *strict,
                Value::Null => {}
                other => {
                    return Err(EngineError::new(
                        Code::InputInvalidOption,
                        &path,
                        format!("`strict` must be true or false, found {}.", json_type_name(other)),
                    ))
                }
            },
            "distributionResolvers" => parsed.extra_distribution_resolvers = string_list(value, &path)?,
            "poolResolvers" => parsed.extra_pool_resolvers = string_list(value, &path)?,
            _ => {
                return Err(EngineError::new(
                    Code::InputInvalidOption,
                    &path,
                    format!(
                        "Unknown option `{key}`; known options are strict, distributionResolvers and poolResolvers."
                    ),
                ))
            }
        }
    }
    Ok(parsed)
}

fn string_list(value: &Value, path: &Pointer) -> Result<Vec<String>, EngineError> {
    let not_list = || EngineError::new(Code::InputInvalidOption, path, "This option must be an array of strings.");
    let items = value.as_array().ok_or_else(not_list)?;
    items.iter().map(|item| item.as_str().map(str::to_string).ok_or_else(not_list)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_ids() {
        assert_eq!(nearest("topScoreWin", DISTRIBUTION_RESOLVERS.iter().copied()), Some("topScoreWins"));
        assert_eq!(nearest("TopScoreWins", DISTRIBUTION_RESOLVERS.iter().copied()), Some("topScoreWins"));
        // Siren's docs call it "Performance Weighted Pool": a helpful suggestion.
        assert_eq!(
            nearest("performanceWeightedPool", DISTRIBUTION_RESOLVERS.iter().copied()),
            Some("performanceSharedPool")
        );
        assert_eq!(nearest("evenlySplit", DISTRIBUTION_RESOLVERS.iter().copied()), None);
        assert_eq!(nearest("taxs", TRANSACTION_COMPILERS.iter().copied()), Some("taxes"));
        assert_eq!(nearest("standard", TRANSACTION_COMPILERS.iter().copied()), None);
        assert_eq!(nearest("Active", DISTRIBUTOR_STATUSES.iter().copied()), Some("active"));
        assert_eq!(nearest("leadGeneration", ["affiliate", "leadGen"]), Some("leadGen"));
        assert_eq!(nearest("topScore", DISTRIBUTION_RESOLVERS.iter().copied()), Some("topScoreWins"));
        assert_eq!(nearest("top", DISTRIBUTION_RESOLVERS.iter().copied()), None);
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting", 5), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(edit_distance("", "abc", 3), Some(3));
        assert_eq!(edit_distance(&"a".repeat(1000), "a", 2000), None);
    }

    #[test]
    fn extras_extend_the_registry() {
        let options = ValidationOptions {
            extra_distribution_resolvers: vec!["custom".into(), "topScoreWins".into()],
            ..Default::default()
        };
        assert_eq!(
            options.distribution_resolvers(),
            vec!["topScoreWins", "performanceSharedPool", "sharedEngagementPool", "custom"]
        );
    }
}
