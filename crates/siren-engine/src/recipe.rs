//! Recipe validation (ENGINE.md §2): `{version: 1, name, description, programs?, programGroups?,
//! distributors?}`. Every problem is reported, in document order, located by a JSON Pointer.
//! Decisions are written down in docs/decisions.md, "Validation".

use crate::config::{read_compilers, read_engagement_types, read_line_item_filters};
use crate::diagnostics::{Code, Diagnostic, Pointer};
use crate::json_read::{present, quote, Reader};
use crate::money::{parse_decimal, Units};
use crate::registry::{KnownIds, ValidationOptions, DISTRIBUTOR_STATUSES, PROGRAM_STATUSES, SORTERS};
use crate::schedule::{Advance, Schedule};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

const RECIPE_FIELDS: &[&str] = &["version", "name", "description", "programs", "programGroups", "distributors"];

const DISTRIBUTOR_FIELDS: &[&str] =
    &["name", "description", "distributionResolver", "distributionPoolResolver", "status", "units", "schedule"];
const REQUIRED_DISTRIBUTOR_FIELDS: &[&str] =
    &["name", "description", "distributionResolver", "distributionPoolResolver", "status", "units"];

/// Fields of Siren's REST program (create and extended get), which recipes are expected to carry.
const PROGRAM_FIELDS: &[&str] = &[
    "name",
    "description",
    "incentiveType",
    "incentiveResolverType",
    "units",
    "status",
    "engagementTypes",
    "incentiveCalculation",
    "transactionCompilers",
    "lineItemFilters",
    "id",
];
const REQUIRED_PROGRAM_FIELDS: &[&str] = &["name", "description"];

const PROGRAM_GROUP_FIELDS: &[&str] = &["name", "description", "sorter", "programs"];
const REQUIRED_PROGRAM_GROUP_FIELDS: &[&str] = &["name", "sorter", "programs"];

/// Every problem in a recipe, in document order.
pub fn validate(recipe: &Value, options: &ValidationOptions) -> Vec<Diagnostic> {
    let mut reader = Reader::new(options);
    let root = Pointer::root();
    let object = match recipe {
        Value::Null => {
            reader.error(Code::InputMissing, &root, "A recipe is required.");
            return reader.finish();
        }
        other => match reader.object(other, &root, "The recipe") {
            Some(object) => object,
            None => return reader.finish(),
        },
    };
    let mut check = RecipeCheck::new(options, object);

    for (field, value) in present(object, RECIPE_FIELDS) {
        let Some(path) = reader.known_field_path(&root, field, "a recipe", RECIPE_FIELDS, None) else {
            continue;
        };
        match field.as_str() {
            "version" => check_version(&mut reader, value, &path),
            "name" => {
                let _ = reader.text(value, &path, "The recipe's `name`", Code::RecipeEmptyText);
            }
            "description" => {
                let _ = reader.text(value, &path, "The recipe's `description`", Code::RecipeEmptyText);
            }
            "programs" => each_entry(&mut reader, value, &path, "`programs`", |reader, _, entry, path| {
                check_program(reader, entry, path, &check.units)
            }),
            "programGroups" => each_entry(&mut reader, value, &path, "`programGroups`", |reader, key, entry, path| {
                check.program_group(reader, key, entry, path)
            }),
            "distributors" => each_entry(&mut reader, value, &path, "`distributors`", |reader, _, entry, path| {
                check.distributor(reader, entry, path)
            }),
            _ => {} // unknown: reported by `known_field_path`
        }
    }
    reader.require_fields(object, &root, "The recipe", &["version", "name", "description"]);

    let creates_something =
        ["programs", "programGroups", "distributors"].iter().any(|collection| match object.get(*collection) {
            None | Some(Value::Null) => false,
            Some(Value::Object(entries)) => !entries.is_empty(),
            // The wrong type, already reported: no need to add that nothing is created.
            Some(_) => true,
        });
    if !creates_something {
        reader.warning(
            Code::RecipeNothingToCreate,
            &root,
            "The recipe has no programs, program groups or distributors, so applying it creates nothing.",
        );
    }
    reader.finish()
}

/// What checking one entry needs to know about the rest of the recipe.
struct RecipeCheck<'r> {
    distribution_resolvers: KnownIds<'r>,
    pool_resolvers: KnownIds<'r>,
    /// `None` when `programs` is present but not an object: member checks would only add noise.
    program_keys: Option<KnownIds<'r>>,
    /// The currency codes and `points`, for the suggestion an unknown `units` gets.
    units: KnownIds<'static>,
    /// Program key → the first group that lists it.
    group_of_program: HashMap<String, u32>,
    /// The keys of the groups seen, by number (each copied once, not once per member).
    group_keys: Vec<String>,
    /// Schedule strings → whether they advance: recipes repeat one schedule across many
    /// distributors, and probing it is the costly part of validating one.
    schedule_advances: HashMap<Vec<String>, Advance>,
}

impl<'r> RecipeCheck<'r> {
    fn new(options: &'r ValidationOptions, recipe: &'r Map<String, Value>) -> Self {
        let program_keys = match recipe.get("programs") {
            None | Some(Value::Null) => Some(KnownIds::new([])),
            Some(Value::Object(programs)) => Some(KnownIds::new(programs.keys().map(String::as_str))),
            Some(_) => None,
        };
        RecipeCheck {
            distribution_resolvers: KnownIds::new(options.distribution_resolvers()),
            pool_resolvers: KnownIds::new(options.pool_resolvers()),
            program_keys,
            units: KnownIds::new(Units::known_codes()),
            group_of_program: HashMap::new(),
            group_keys: Vec::new(),
            schedule_advances: HashMap::new(),
        }
    }

    fn distributor(&mut self, reader: &mut Reader, value: &Value, path: &Pointer) {
        let Some(object) = reader.object(value, path, "A distributor") else {
            return;
        };
        for (field, value) in present(object, DISTRIBUTOR_FIELDS) {
            let hint = configuration_hint(field);
            let Some(field_path) =
                reader.known_field_path(path, field, "a recipe distributor", DISTRIBUTOR_FIELDS, hint)
            else {
                continue;
            };
            match field.as_str() {
                "name" => {
                    let _ = reader.text(value, &field_path, "The distributor's `name`", Code::RecipeEmptyText);
                }
                "description" => {
                    let _ = reader.text(value, &field_path, "The distributor's `description`", Code::RecipeEmptyText);
                }
                "distributionResolver" => {
                    let _ = reader.registered_id(
                        value,
                        &field_path,
                        "`distributionResolver`",
                        "distribution resolver",
                        &self.distribution_resolvers,
                        Code::DistributorUnknownResolver,
                    );
                }
                "distributionPoolResolver" => {
                    let _ = reader.registered_id(
                        value,
                        &field_path,
                        "`distributionPoolResolver`",
                        "pool resolver",
                        &self.pool_resolvers,
                        Code::DistributorUnknownPoolResolver,
                    );
                }
                "status" => {
                    let _ = reader.known_id(
                        value,
                        &field_path,
                        "The distributor's `status`",
                        "distributor status",
                        DISTRIBUTOR_STATUSES,
                        Code::DistributorUnknownStatus,
                    );
                }
                "units" => check_units(reader, value, &field_path, &self.units),
                "schedule" => check_schedule(reader, value, &field_path, &mut self.schedule_advances),
                _ => {} // unknown: reported by `known_field_path`
            }
        }
        reader.require_fields(object, path, "A distributor", REQUIRED_DISTRIBUTOR_FIELDS);
    }

    fn program_group(&mut self, reader: &mut Reader, group_key: &str, value: &Value, path: &Pointer) {
        let Some(object) = reader.object(value, path, "A program group") else {
            return;
        };
        for (field, value) in present(object, PROGRAM_GROUP_FIELDS) {
            let Some(field_path) = reader.known_field_path(path, field, "a program group", PROGRAM_GROUP_FIELDS, None)
            else {
                continue;
            };
            match field.as_str() {
                "name" => {
                    let _ = reader.text(value, &field_path, "The program group's `name`", Code::RecipeEmptyText);
                }
                "description" => {
                    let _ = reader.text(value, &field_path, "The program group's `description`", Code::RecipeEmptyText);
                }
                "sorter" => {
                    let _ = reader.known_id(
                        value,
                        &field_path,
                        "`sorter`",
                        "program group sorter",
                        SORTERS,
                        Code::ProgramGroupUnknownSorter,
                    );
                }
                "programs" => self.group_members(reader, group_key, value, &field_path),
                _ => {} // unknown: reported by `known_field_path`
            }
        }
        reader.require_fields(object, path, "A program group", REQUIRED_PROGRAM_GROUP_FIELDS);
    }

    /// Members are program keys of this recipe; a program belongs to at most one group.
    fn group_members(&mut self, reader: &mut Reader, group_key: &str, value: &Value, path: &Pointer) {
        let Some(members) = reader.array(value, path, "The group's `programs`", "a list of program keys") else {
            return;
        };
        if members.is_empty() {
            reader.warning(
                Code::ProgramGroupEmpty,
                path,
                "This program group has no programs, so it has nothing to choose between.",
            );
        }
        // Numbered as `u32`: a document within the limits has far fewer groups.
        let group = self.group_keys.len() as u32;
        self.group_keys.push(group_key.to_string());
        let mut in_this_group = HashSet::new();
        // A member's path is built only for a diagnostic: the group's key may be 64 KiB long.
        for (index, member) in members.iter().enumerate() {
            let Value::String(program) = member else {
                reader.wrong_type(&path.index(index), "A program group member", "a string", member);
                continue;
            };
            if let Some(program_keys) = &self.program_keys {
                if !program_keys.contains(program) {
                    // Past the report's cap the message is not listed: no need to search.
                    let suggestion = reader
                        .is_listing()
                        .then(|| program_keys.nearest(program))
                        .flatten()
                        .map(|nearest| format!(" (did you mean {}?)", quote(nearest)))
                        .unwrap_or_default();
                    reader.error(
                        Code::ProgramGroupUnknownProgram,
                        &path.index(index),
                        format!(
                            "This group lists program {}{suggestion}, but the recipe's `programs` has no such key.",
                            quote(program)
                        ),
                    );
                    continue;
                }
            }
            if !in_this_group.insert(program.as_str()) {
                reader.warning(
                    Code::ProgramGroupDuplicateProgram,
                    &path.index(index),
                    format!("Program {} is listed twice in this group.", quote(program)),
                );
                continue;
            }
            let first = *self.group_of_program.entry(program.clone()).or_insert(group);
            if first != group {
                let first_group = self.group_keys.get(first as usize).map_or("", String::as_str);
                reader.error(
                    Code::ProgramGroupProgramInTwoGroups,
                    &path.index(index),
                    format!(
                        "Program {} is already in group {}; a program can belong to only one group.",
                        quote(program),
                        quote(first_group)
                    ),
                );
            }
        }
    }
}

/// Each `key → entry` of a collection (`programs`, `programGroups`, `distributors`), after
/// checking that the key is a usable identifier.
fn each_entry<F>(reader: &mut Reader, value: &Value, path: &Pointer, label: &str, mut check_entry: F)
where
    F: FnMut(&mut Reader, &str, &Value, &Pointer),
{
    let Some(entries) = reader.object(value, path, label) else {
        return;
    };
    for (key, entry) in entries {
        let entry_path = path.key(key);
        check_key(reader, key, &entry_path);
        check_entry(reader, key, entry, &entry_path);
    }
}

/// Keys are recipe-local identifiers: not being one is an error (hosts use keys as ids), not
/// being camelCase only a warning (it is Siren's convention, not a rule).
fn check_key(reader: &mut Reader, key: &str, path: &Pointer) {
    let mut chars = key.chars();
    let is_identifier = chars.next().is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_identifier {
        reader.error(
            Code::RecipeInvalidKey,
            path,
            format!("The key {} is not an identifier: start with a letter and use only letters, digits and `_`, as in `milestoneRewards`.", quote(key)),
        );
        return;
    }
    let is_camel_case =
        key.starts_with(|c: char| c.is_ascii_lowercase()) && key.chars().all(|c| c.is_ascii_alphanumeric());
    if !is_camel_case {
        reader.warning(
            Code::RecipeKeyNotCamelCase,
            path,
            format!("The key {} is not camelCase; Siren recipes use keys such as `milestoneRewards`.", quote(key)),
        );
    }
}

fn check_version(reader: &mut Reader, value: &Value, path: &Pointer) {
    let Value::Number(number) = value else {
        reader.wrong_type(path, "`version`", "the number 1", value);
        return;
    };
    let text = number.to_string();
    if parse_decimal(&text) != Ok(Decimal::ONE) {
        reader.error(
            Code::RecipeUnsupportedVersion,
            path,
            format!("Recipe version {} is not supported; this engine reads version 1 recipes.", quote(&text)),
        );
    }
}

fn check_program(reader: &mut Reader, value: &Value, path: &Pointer, units: &KnownIds) {
    let Some(object) = reader.object(value, path, "A program") else {
        return;
    };
    for (field, value) in present(object, PROGRAM_FIELDS) {
        let Some(field_path) = reader.known_field_path(path, field, "a program", PROGRAM_FIELDS, None) else {
            continue;
        };
        match field.as_str() {
            "name" => {
                let _ = reader.text(value, &field_path, "The program's `name`", Code::RecipeEmptyText);
            }
            "description" => {
                let _ = reader.text(value, &field_path, "The program's `description`", Code::RecipeEmptyText);
            }
            // Open sets in Siren (extensions register more), so only the shape is checked.
            "incentiveType" => {
                let _ = reader.text(value, &field_path, "`incentiveType`", Code::RecipeEmptyText);
            }
            "incentiveResolverType" => {
                let _ = reader.text(value, &field_path, "`incentiveResolverType`", Code::RecipeEmptyText);
            }
            "units" => check_units(reader, value, &field_path, units),
            "status" => check_program_status(reader, value, &field_path),
            "engagementTypes" => {
                let _ = read_engagement_types(reader, value, &field_path);
            }
            "incentiveCalculation" => {
                let _ = reader.object(value, &field_path, "`incentiveCalculation`");
            }
            "transactionCompilers" => {
                let _ = read_compilers(reader, value, &field_path);
            }
            "lineItemFilters" => {
                let _ = read_line_item_filters(reader, value, &field_path);
            }
            _ => {} // `id`; unknown fields are reported by `known_field_path`
        }
    }
    reader.require_fields(object, path, "A program", REQUIRED_PROGRAM_FIELDS);
}

fn check_program_status(reader: &mut Reader, value: &Value, path: &Pointer) {
    let status = reader.known_id(
        value,
        path,
        "The program's `status`",
        "program status",
        PROGRAM_STATUSES,
        Code::ProgramUnknownStatus,
    );
    if status == Some("draft") {
        reader.warning(
            Code::ProgramDraftStatus,
            path,
            "Siren creates programs as `active` or `inactive`; a `draft` program may be refused when the recipe is applied.",
        );
    }
}

/// An ISO-4217 code (upper case, as Siren stores it) or `points`; `known` holds the same codes
/// for the suggestion.
fn check_units(reader: &mut Reader, value: &Value, path: &Pointer, known: &KnownIds) {
    let Some(code) = reader.string(value, path, "`units`") else {
        return;
    };
    if Units::lookup(code).is_some() {
        return;
    }
    let suggestion = reader
        .is_listing()
        .then(|| known.nearest(code))
        .flatten()
        .map(|nearest| format!(" (did you mean {}?)", quote(nearest)))
        .unwrap_or_default();
    reader.error(
        Code::UnitsUnknown,
        path,
        format!("Unknown units {}{suggestion}; use an upper-case ISO-4217 currency code such as `USD` or `EUR`, or `points`.", quote(code)),
    );
}

/// A non-empty list of non-empty strings, each parsed by the schedule module.
fn check_schedule(reader: &mut Reader, value: &Value, path: &Pointer, advances: &mut HashMap<Vec<String>, Advance>) {
    let Some(items) =
        reader.array(value, path, "`schedule`", "a list of strings such as [\"first day of next month\"]")
    else {
        return;
    };
    if items.is_empty() {
        reader.error(
            Code::ScheduleEmpty,
            path,
            "The schedule is empty; give at least one step, such as \"first day of next month\", or leave `schedule` out.",
        );
        return;
    }
    let mut strings = Vec::with_capacity(items.len());
    let mut blank = HashSet::new();
    for (index, item) in items.iter().enumerate() {
        let item_path = path.index(index);
        match item {
            Value::String(text) => {
                if text.trim().is_empty() {
                    reader.error(Code::ScheduleEmpty, &item_path, "This schedule step is empty.");
                    blank.insert(index);
                }
                strings.push(text.clone());
            }
            other => {
                reader.wrong_type(&item_path, "A schedule step", "a string such as \"first day of next month\"", other)
            }
        }
    }
    // Indexes only line up with the schedule module's when every step is a string.
    if strings.len() != items.len() {
        return;
    }
    match Schedule::parse(&strings) {
        Err(errors) => {
            for error in errors.into_iter().filter(|error| !blank.contains(&error.index)) {
                reader.error(error.code, &path.index(error.index), error.message);
            }
        }
        Ok(schedule) => {
            // Past this many distinct schedules the probe is skipped (runs are still checked one
            // by one when computed), so a hostile recipe cannot make validation slow.
            const MAX_PROBED_SCHEDULES: usize = 1000;
            if let Some(advance) = advances.get(&strings) {
                report_schedule_advance(reader, *advance, path);
            } else if advances.len() < MAX_PROBED_SCHEDULES {
                let advance = schedule.advances();
                advances.insert(strings, advance);
                report_schedule_advance(reader, advance, path);
            }
        }
    }
}

/// A schedule must move time forward (ENGINE.md §5): never → error; only sometimes (a bare
/// `monday` from a Monday midnight) → warning, since some runs would stall.
fn report_schedule_advance(reader: &mut Reader, advance: Advance, path: &Pointer) {
    let shown =
        |example: chrono::DateTime<chrono::FixedOffset>| format!("{} UTC", crate::time::format_local(example, b' '));
    match advance {
        Advance::Always => {}
        Advance::Never { example } => reader.error(
            Code::ScheduleNotAdvancing,
            path,
            format!("This schedule never moves time forward (from {} it gives the same or an earlier time), so the distributor would never run.", shown(example)),
        ),
        Advance::Sometimes { example } => reader.warning(
            Code::ScheduleNotAlwaysAdvancing,
            path,
            format!("This schedule does not always move time forward: from {} it gives the same or an earlier time, so a run there would stall.", shown(example)),
        ),
    }
}

/// Distributor fields that belong to the post-install configuration, not to the recipe.
fn configuration_hint(field: &str) -> Option<&'static str> {
    match field {
        "engagementTypes"
        | "revenuePercentage"
        | "transactionCompilers"
        | "lineItemFilters"
        | "eligibleCollaborators" => {
            Some("it is set in the distributor configuration after the recipe is applied, not in the recipe")
        }
        _ => None,
    }
}
