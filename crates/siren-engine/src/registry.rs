//! Registries of known ids (distribution resolvers, pool resolvers, transaction compilers,
//! statuses, sorters, event types) and the validation options that extend them. Resolver sets
//! are open: a host registers more ids through the options.
//!
//! Also the "did you mean" search every unknown-id message uses.

use crate::diagnostics::{json_type_name, Code, EngineError, Pointer};
use serde_json::Value;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

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

/// The built-in ids, then each extra not seen before, in the order given (one pass, through a
/// set: a host may register hundreds of thousands of ids).
fn with_extras<'a>(built_in: &[&'a str], extras: &'a [String]) -> Vec<&'a str> {
    let mut seen: HashSet<&str> = HashSet::with_capacity(built_in.len() + extras.len());
    built_in.iter().copied().chain(extras.iter().map(String::as_str)).filter(|id| seen.insert(id)).collect()
}

/// Ids longer than this many characters get no edit-distance comparison (and an unknown id this
/// long gets no suggestion at all), so a pasted essay costs nothing.
const LONGEST: usize = 64;

/// The most known ids one search compares by edit distance: the nearest length first (shorter
/// before longer at the same difference), each length in the registry's order. Every built-in set
/// fits (the largest, the currencies, has 168 with `points`), so only a host's or a recipe's large
/// sets are searched in part.
pub const MAX_COMPARED_IDS: usize = 256;

/// The known id closest to `candidate`, if one is close enough to be a plausible typo; see
/// [`KnownIds::nearest`]. For a small set searched once: large or repeatedly searched sets
/// keep a `KnownIds`.
pub fn nearest<'a, I>(candidate: &str, known: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    KnownIds::new(known).nearest(candidate)
}

/// A set of known ids in the registry's order (built-in first, then the host's; a recipe's keys
/// in document order), with an exact-membership set and, built on the first search, the index
/// the "did you mean" search uses, so one search costs about the same however many ids there are.
pub struct KnownIds<'a> {
    ids: Vec<&'a str>,
    members: HashSet<&'a str>,
    index: OnceCell<SearchIndex>,
}

/// What `nearest` looks ids up by: positions into `KnownIds::ids`, as `u32` (a document within
/// the limits holds far fewer ids).
struct SearchIndex {
    /// Each id lower-cased, to the position of the first id with it.
    first_by_lowercase: HashMap<String, u32>,
    /// Positions of the ids of each length in characters, in order; the last holds every id
    /// longer than `LONGEST`.
    by_length: Vec<Vec<u32>>,
}

impl<'a> KnownIds<'a> {
    pub fn new<I>(ids: I) -> Self
    where
        I: IntoIterator<Item = &'a str>,
    {
        let ids: Vec<&'a str> = ids.into_iter().collect();
        let members = ids.iter().copied().collect();
        KnownIds { ids, members, index: OnceCell::new() }
    }

    /// The ids in order.
    pub fn ids(&self) -> &[&'a str] {
        &self.ids
    }

    pub fn contains(&self, id: &str) -> bool {
        self.members.contains(id)
    }

    /// The known id closest to `candidate`, if one is close enough to be a plausible typo:
    /// 1. the first id equal to it ignoring ASCII case (a hash look-up);
    /// 2. else, among the compared ids ([`MAX_COMPARED_IDS`] at most, nearest length first), the
    ///    one at the smallest Levenshtein distance within a third of its length in characters (at
    ///    least 2), the first in order on a tie;
    /// 3. else the first id that is a prefix of it (a look-up of each of its prefixes) or, among
    ///    the compared ids, that starts with it, the shorter being at least 4 characters
    ///    (`leadGeneration` → `leadGen`).
    ///
    /// For a set within the budget that is the first match of a scan of every id in order. A
    /// candidate longer than 64 characters gets none. ASCII case only: the ids are code
    /// identifiers, field and zone names, and Unicode case tables would cost the wasm module
    /// 2.4 KB gzipped for a hint.
    pub fn nearest(&self, candidate: &str) -> Option<&'a str> {
        let length = candidate.chars().count();
        if length > LONGEST {
            return None;
        }
        let index = self.index.get_or_init(|| SearchIndex::new(&self.ids));
        let at = |position: u32| self.ids.get(position as usize).copied();
        let wanted = candidate.to_ascii_lowercase();
        if let Some(&position) = index.first_by_lowercase.get(&wanted) {
            return at(position);
        }
        let mut best: Option<(usize, u32)> = None;
        let own_prefixes = wanted.char_indices().skip(4).filter_map(|(end, _)| wanted.get(..end));
        let mut prefix = own_prefixes.filter_map(|own| index.first_by_lowercase.get(own).copied()).min();
        for position in index.compared(length) {
            let Some(id) = at(position) else { continue };
            let id = id.to_ascii_lowercase();
            let limit = (id.chars().count() / 3).max(2);
            if let Some(distance) = edit_distance(&wanted, &id, limit) {
                if best.is_none_or(|best| (distance, position) < best) {
                    best = Some((distance, position));
                }
            }
            if length >= 4 && id.starts_with(&wanted) {
                prefix = Some(prefix.map_or(position, |first| first.min(position)));
            }
        }
        best.map(|(_, position)| position).or(prefix).and_then(at)
    }
}

impl SearchIndex {
    fn new(ids: &[&str]) -> Self {
        let mut first_by_lowercase = HashMap::with_capacity(ids.len());
        let mut by_length = vec![Vec::new(); LONGEST + 2];
        for (position, id) in (0u32..).zip(ids) {
            first_by_lowercase.entry(id.to_ascii_lowercase()).or_insert(position);
            if let Some(positions) = by_length.get_mut(id.chars().count().min(LONGEST + 1)) {
                positions.push(position);
            }
        }
        SearchIndex { first_by_lowercase, by_length }
    }

    /// The positions rule 2 compares: at most `MAX_COMPARED_IDS`, the ids whose length is nearest
    /// `length` first.
    fn compared(&self, length: usize) -> Vec<u32> {
        let mut compared = Vec::new();
        for gap in 0..=LONGEST + 1 {
            let longer = Some(length + gap).filter(|_| gap > 0);
            for id_length in [length.checked_sub(gap), longer].into_iter().flatten() {
                if let Some(positions) = self.by_length.get(id_length) {
                    let room = MAX_COMPARED_IDS - compared.len();
                    compared.extend(positions.iter().take(room));
                }
            }
        }
        compared
    }
}

/// Levenshtein distance when it is at most `limit`; `None` otherwise. Long strings are refused
/// outright so a pasted essay costs nothing.
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().take(LONGEST + 1).collect();
    let b: Vec<char> = b.chars().take(LONGEST + 1).collect();
    if a.len() > LONGEST || b.len() > LONGEST || a.len().abs_diff(b.len()) > limit {
        return None;
    }
    #[cfg(test)]
    COMPARISONS.with(|count| count.set(count.get() + 1));
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

#[cfg(test)]
thread_local! {
    /// Edit-distance computations on this thread (the scaling tests count work with it).
    static COMPARISONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Edit-distance computations so far on this thread.
#[cfg(test)]
pub fn comparisons() -> usize {
    COMPARISONS.with(std::cell::Cell::get)
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
    use proptest::prelude::*;

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
    fn ties_go_to_the_first_id_in_order() {
        // Both at distance 1: the first registered wins, whatever their lengths.
        assert_eq!(nearest("abcde", ["abcdef", "abcd"]), Some("abcdef"));
        assert_eq!(nearest("abcde", ["abcd", "abcdef"]), Some("abcd"));
        // Case: the first of two ids equal ignoring case.
        assert_eq!(nearest("ab", ["AB", "Ab", "ab2"]), Some("AB"));
        // Prefixes: the first id either way round.
        assert_eq!(nearest("programmes", ["programme", "program"]), Some("programme"));
        assert_eq!(nearest("prog", ["programmatic", "program"]), Some("programmatic"));
        // Any distance beats a prefix.
        assert_eq!(nearest("prog", ["programmatic", "pro"]), Some("pro"));
    }

    #[test]
    fn long_ids_get_no_suggestion() {
        let long = "a".repeat(65);
        assert_eq!(nearest(&long, [long.as_str()]), None);
        assert_eq!(nearest(&"a".repeat(64), [long.as_str()]), Some(long.as_str()));
        // A long known id is still found by the prefix rule, never by edit distance.
        assert_eq!(nearest("aaaab", [long.as_str()]), None);
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting", 5), Some(3));
        assert_eq!(edit_distance("kitten", "sitting", 2), None);
        assert_eq!(edit_distance("", "abc", 3), Some(3));
        assert_eq!(edit_distance(&"a".repeat(1000), "a", 2000), None);
        assert_eq!(edit_distance(&"a".repeat(64), "a", 63), Some(63));
        assert_eq!(edit_distance(&"ab".repeat(32), &"ba".repeat(32), 2), Some(2));
        assert_eq!(edit_distance("", "", 0), Some(0));
        assert_eq!(edit_distance("é", "e", 1), Some(1));
        assert_eq!(edit_distance("aéb", "aéb", 0), Some(0));
        assert_eq!(edit_distance("flaw", "lawn", 2), Some(2));
        assert_eq!(edit_distance("flaw", "lawn", 1), None);
        assert_eq!(edit_distance("abc", "abc", 0), Some(0));
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

    #[test]
    fn extras_keep_their_first_place_and_drop_repeats() {
        let options = ValidationOptions {
            extra_pool_resolvers: ["b", "a", "revenueSinceLastDistribution", "b", "c", "a", "d", "c"]
                .map(String::from)
                .to_vec(),
            ..Default::default()
        };
        assert_eq!(options.pool_resolvers(), vec!["revenueSinceLastDistribution", "b", "a", "c", "d"]);
        // 200,000 ids, every one twice: one pass, the first copies in their order.
        let many: Vec<String> = (0..200_000).chain(0..200_000).map(|i| format!("id{i}")).collect();
        let options = ValidationOptions { extra_distribution_resolvers: many, ..Default::default() };
        let ids = options.distribution_resolvers();
        assert_eq!(ids.len(), 3 + 200_000);
        assert_eq!(ids[..5], ["topScoreWins", "performanceSharedPool", "sharedEngagementPool", "id0", "id1"]);
        assert_eq!(ids.last(), Some(&"id199999"));
    }

    #[test]
    fn one_search_compares_a_bounded_number_of_ids() {
        // 100,000 ids of the candidate's length: at most MAX_COMPARED_IDS distances computed.
        let keys: Vec<String> = (0..100_000).map(|i| format!("program{i:06}")).collect();
        let known = KnownIds::new(keys.iter().map(String::as_str));
        let before = comparisons();
        assert_eq!(known.nearest("xrogram9x9999"), None);
        assert_eq!(comparisons() - before, MAX_COMPARED_IDS);
        // The case and prefix rules still look at every id.
        assert_eq!(known.nearest("PROGRAM099999"), Some("program099999"));
        assert_eq!(known.nearest("program099999-extended"), Some("program099999"));
        // Within the budget: the nearest length first, so a one-letter typo is found.
        assert_eq!(known.nearest("program00000"), Some("program000000"));
        // Ids that start with the candidate: looked for among the compared ids only (the first
        // 256 of the nearest length in order), the first in order there.
        let keys: Vec<String> = (0..100_000).rev().map(|i| format!("{i:05}-program")).collect();
        let known = KnownIds::new(keys.iter().map(String::as_str));
        assert_eq!(known.nearest("9990"), Some("99909-program"));
        assert_eq!(known.nearest("0123"), None);
        assert_eq!(known.nearest("99999-programme"), Some("99999-program"));
        assert_eq!(known.nearest("abcd"), None);
    }

    /// The search as it was before the index: every id compared, in order. The indexed search
    /// must give the same answer whenever the set is within the comparison budget.
    fn nearest_by_scan<'a>(candidate: &str, known: &[&'a str]) -> Option<&'a str> {
        if candidate.chars().count() > LONGEST {
            return None;
        }
        let wanted = candidate.to_ascii_lowercase();
        let mut best: Option<(usize, &'a str)> = None;
        let mut prefix_match = None;
        for id in known {
            let id_lower = id.to_ascii_lowercase();
            if id_lower == wanted {
                return Some(id);
            }
            let limit = (id.chars().count() / 3).max(2);
            if let Some(distance) = full_levenshtein(&wanted, &id_lower).filter(|d| *d <= limit) {
                if id.chars().count() <= LONGEST && best.is_none_or(|(d, _)| distance < d) {
                    best = Some((distance, id));
                }
            }
            let (shorter, longer) =
                if id_lower.len() < wanted.len() { (&id_lower, &wanted) } else { (&wanted, &id_lower) };
            if prefix_match.is_none() && shorter.chars().count() >= 4 && longer.starts_with(shorter.as_str()) {
                prefix_match = Some(*id);
            }
        }
        best.map(|(_, id)| id).or(prefix_match)
    }

    fn full_levenshtein(a: &str, b: &str) -> Option<usize> {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        let mut previous: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut current = vec![i + 1; b.len() + 1];
            for (j, cb) in b.iter().enumerate() {
                current[j + 1] = (previous[j] + usize::from(ca != cb)).min(previous[j + 1] + 1).min(current[j] + 1);
            }
            previous = current;
        }
        previous.last().copied()
    }

    proptest! {
        #[test]
        fn indexed_search_equals_the_scan(
            candidate in "[abAB_é]{0,9}",
            known in proptest::collection::vec("[abAB_é]{0,10}", 0..40),
        ) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            prop_assert_eq!(nearest(&candidate, known.iter().copied()), nearest_by_scan(&candidate, &known));
        }

        #[test]
        fn indexed_search_equals_the_scan_on_realistic_ids(
            candidate in "[a-dA-D]{2,4}(Score|Pool|Wins|Item)?[a-d]{0,3}",
            known in proptest::collection::vec("[a-d]{2,4}(Score|Pool|Wins|Items)?[a-d]{0,3}", 0..60),
        ) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            prop_assert_eq!(nearest(&candidate, known.iter().copied()), nearest_by_scan(&candidate, &known));
        }
    }
}
