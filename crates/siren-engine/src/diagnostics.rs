//! Diagnostics: the one shape every problem the engine finds is reported in, the one table of
//! stable codes, and JSON Pointer paths into the caller's input.
//!
//! Invariant: every `Code` appears in `Code::ALL` and in `docs/diagnostics.md` (a test checks
//! both), so hosts can switch on codes without reading our source.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Declares the code table once: variant, stable string, one-line meaning for the docs.
macro_rules! codes {
    ($($variant:ident = $text:literal => $meaning:literal,)*) => {
        /// A stable, machine-readable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            /// What the code means, as written in the docs table.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning,)* }
            }
        }
    };
}

codes! {
    // -- input: the document as a whole (binding layer and api)
    InputNotJson = "input.notJson" => "The input is a string that is not valid JSON (or nested deeper than the limit).",
    InputMissing = "input.missing" => "The input is `undefined`, `null` or absent.",
    InputNotSerializable = "input.notSerializable" => "The JS value cannot be read as JSON: a cycle, a `BigInt`, or a getter that throws.",
    InputTooLarge = "input.tooLarge" => "The input exceeds a documented size limit.",
    InputTooDeep = "input.tooDeep" => "The input nests arrays and objects deeper than the limit (128 levels).",
    InputWrongType = "input.wrongType" => "A value has the wrong JSON type (e.g. a number where a string is expected).",
    InputRequired = "input.required" => "A required field is missing.",
    InputUnknownField = "input.unknownField" => "A field the engine does not know (warning in lenient mode, error in strict mode).",
    InputInvalidOption = "input.invalidOption" => "An option passed to an engine function is not valid.",
    InputColumnLength = "input.columnLength" => "The columns of a bulk load do not all have the same length.",
    InputLoneSurrogate = "input.loneSurrogate" => "A string or member name holds a lone UTF-16 surrogate (half of a character, e.g. text cut in the middle of an emoji), which has no UTF-8 form; it is refused rather than replaced, which could make two ids one.",
    InputDetached = "input.detached" => "A typed array (a column, or JSON bytes) cannot be read: its buffer was transferred (detached), e.g. posted to a Worker, or shrunk under it.",

    // -- output: what a call returns
    OutputTooLarge = "output.tooLarge" => "The result is larger than a JS string can hold (about 512 MB of JSON); list fewer collaborators with `top`, or simulate fewer cycles.",

    // -- resources: the JS host, not the input (binding layer)
    ResourcesStackExhausted = "resources.stackExhausted" => "The call was made with too little JS stack left to run it safely (from deep recursion); nothing was read or changed: call it again from a shallower stack.",
    ResourcesOutOfMemory = "resources.outOfMemory" => "The call would take more wasm memory than the instance has left; nothing was changed: free other `Engine`s, or load fewer records.",

    // -- engine: the `Engine` handle (binding layer)
    EngineBusy = "engine.busy" => "An `Engine` was called again while one of its calls was using its records.",
    EngineNotStaged = "engine.notStaged" => "`loadStagedEvents` was called without columns staged by `stageEvents` (each staging loads once).",

    // -- time: timestamps and time zones
    TimeInvalidTimestamp = "time.invalidTimestamp" => "A timestamp is not ISO-8601 (`2026-01-31T23:59:59Z`).",
    TimeMissingOffset = "time.missingOffset" => "A timestamp has no UTC offset or `Z`, so the instant is ambiguous.",
    TimeUnknownZone = "time.unknownZone" => "A time zone is neither an IANA name nor a fixed offset such as `+02:00` or `UTC`.",

    // -- schedule: PHP DateTime::modify strings
    ScheduleEmpty = "schedule.empty" => "A schedule is an empty array, or one of its strings is empty.",
    ScheduleUnsupported = "schedule.unsupported" => "A schedule string uses a form of PHP `DateTime::modify` the engine does not support; the message locates it.",
    ScheduleInvalid = "schedule.invalid" => "A schedule string is not valid PHP `DateTime::modify` syntax.",
    ScheduleNotAdvancing = "schedule.notAdvancing" => "Applying the schedule does not move time forward, so it would never produce a next run.",
    ScheduleNotAlwaysAdvancing = "schedule.notAlwaysAdvancing" => "A recipe's schedule moves time forward from some instants but not from others (a bare `monday` from a Monday midnight), so some runs would stall.",
    ScheduleOutOfRange = "schedule.outOfRange" => "Applying the schedule leaves the supported date range (years 1 to 9999).",
    ScheduleCountTooLarge = "schedule.countTooLarge" => "`nextRuns` was asked for more runs than the limit.",

    // -- recipe
    RecipeUnsupportedVersion = "recipe.unsupportedVersion" => "The recipe's `version` is not 1, the only recipe format version there is.",
    RecipeEmptyText = "recipe.emptyText" => "A `name` or `description` in a recipe is an empty (or blank) string.",
    RecipeInvalidKey = "recipe.invalidKey" => "A program, program group or distributor key is not an identifier (a letter, then letters, digits or `_`).",
    RecipeKeyNotCamelCase = "recipe.keyNotCamelCase" => "A program, program group or distributor key is an identifier but not camelCase (`milestoneRewards`).",
    RecipeNothingToCreate = "recipe.nothingToCreate" => "The recipe has no programs, program groups or distributors, so applying it creates nothing.",

    // -- distributor
    DistributorUnknownResolver = "distributor.unknownResolver" => "`distributionResolver` is not a registered distribution resolver; the message lists the known ones and suggests the nearest.",
    DistributorUnknownPoolResolver = "distributor.unknownPoolResolver" => "`distributionPoolResolver` is not a registered pool resolver; the message lists the known ones and suggests the nearest.",
    DistributorUnknownStatus = "distributor.unknownStatus" => "A distributor's `status` is not `active` or `inactive`.",

    // -- program
    ProgramUnknownStatus = "program.unknownStatus" => "A program's `status` is not `active`, `inactive` or `draft`.",
    ProgramDraftStatus = "program.draftStatus" => "A program is created as `draft`; Siren's REST create accepts only `active` or `inactive`, so applying it may be refused.",
    ProgramGroupUnknownSorter = "programGroup.unknownSorter" => "A program group's `sorter` is not `oldestBindingWins` or `newestBindingWins`.",
    ProgramGroupUnknownProgram = "programGroup.unknownProgram" => "A program group lists a key that is not in the recipe's `programs`.",
    ProgramGroupProgramInTwoGroups = "programGroup.programInTwoGroups" => "A program is listed in a second program group; a program belongs to at most one group.",
    ProgramGroupDuplicateProgram = "programGroup.duplicateProgram" => "A program group lists the same program twice.",
    ProgramGroupEmpty = "programGroup.empty" => "A program group has no programs, so it has nothing to choose between.",

    // -- config
    ConfigEmptyHistory = "config.emptyHistory" => "The configuration is an empty list of versions.",
    ConfigMissingEffectiveFrom = "config.missingEffectiveFrom" => "More than one configuration version has no `effectiveFrom`; only the base version may omit it.",
    ConfigDuplicateEffectiveFrom = "config.duplicateEffectiveFrom" => "Two configuration versions take effect at the same instant.",
    ConfigEmptyText = "config.emptyText" => "An event type, SKU, category or collaborator id in a configuration is an empty string.",
    ConfigInvalidPoints = "config.invalidPoints" => "An event type's points are not a whole number (`1.5`, `\"abc\"`).",
    ConfigPointsOutOfRange = "config.pointsOutOfRange" => "An event type's points are negative or above 1,000,000,000 per event.",
    ConfigZeroPoints = "config.zeroPoints" => "An event type is worth 0 points, so its events never add to a score.",
    ConfigDuplicateEngagementType = "config.duplicateEngagementType" => "The same event type is configured twice.",
    ConfigEngagementTypeTypo = "config.engagementTypeTypo" => "An event type is not one Siren documents but is close to one (`referedSiteVisit`); event types are an open set, so this is only a warning.",
    ConfigNoEngagementTypes = "config.noEngagementTypes" => "No event type is configured, so nobody can score and nothing is ever distributed.",
    ConfigInvalidPercentage = "config.invalidPercentage" => "`revenuePercentage` is not a decimal number, or has more than 28 decimal places.",
    ConfigPercentageOutOfRange = "config.percentageOutOfRange" => "`revenuePercentage` is not greater than 0 and at most 100.",
    ConfigUnknownCompiler = "config.unknownCompiler" => "A transaction compiler is not `lineItems`, `discounts`, `fees`, `shipping` or `taxes`.",
    ConfigDuplicateCompiler = "config.duplicateCompiler" => "A transaction compiler is listed twice.",
    ConfigNoCompilers = "config.noCompilers" => "No transaction compiler is enabled, so no revenue counts and the pool is always 0.",
    ConfigUnknownLineItemType = "config.unknownLineItemType" => "A `lineItemFilters.withTypes` entry is not a transaction detail type (`product`, `subscription`, `fee`, `discount`, `shipping`, `tax`, or their plurals).",
    ConfigFiltersWithoutLineItems = "config.filtersWithoutLineItems" => "Line-item filters restrict something but the `lineItems` compiler is off, so they have no effect.",
    ConfigInvalidCollaboratorId = "config.invalidCollaboratorId" => "A collaborator id is a number that is not a whole number of at least 0.",
    ConfigDuplicateCollaborator = "config.duplicateCollaborator" => "A collaborator id is listed twice in `eligibleCollaborators`.",
    ConfigNoEligibleCollaborators = "config.noEligibleCollaborators" => "`eligibleCollaborators` is an empty list, so nobody can earn (omit it or use null for every active collaborator).",

    // -- units
    UnitsUnknown = "units.unknown" => "`units` is neither an active ISO-4217 currency code (upper case, `USD`) nor `points`.",
    // -- preview
    PreviewUnknownDistributor = "preview.unknownDistributor" => "`distributorKey` names no distributor in the recipe.",
    PreviewUnknownUnits = "preview.unknownUnits" => "The distributor's `units` is neither a known ISO-4217 currency nor `points`.",
    PreviewUnsupportedResolver = "preview.unsupportedResolver" => "The distributor's distribution or pool resolver is registered (or unknown) but the engine cannot compute it.",
    PreviewInvalidConfig = "preview.invalidConfig" => "The distributor configuration could not be read; the first configuration error is reported with its own code where there is one.",
    PreviewInvalidPolicy = "preview.invalidPolicy" => "A policy (`tieBreak`, `carryOverUnawarded`) has a value the engine does not know.",
    PreviewInvalidWindow = "preview.invalidWindow" => "The cycle window is empty or inconsistent (`end` not after `start`, `at` before the window, `window` contradicting `lastDistributionAt`).",
    PreviewWindowNotFound = "preview.windowNotFound" => "No schedule window containing `at` was found within the search limit from the anchor.",
    PreviewDuplicateCollaborator = "preview.duplicateCollaborator" => "Two collaborators share one id.",
    PreviewInvalidCollaboratorStatus = "preview.invalidCollaboratorStatus" => "A collaborator's `status` is not one of active, pending, inactive, rejected, deleted.",
    PreviewInvalidId = "preview.invalidId" => "An id is empty, or a number that is not a whole number.",
    PreviewAmountOutOfRange = "preview.amountOutOfRange" => "A computed total (revenue, pool) leaves the range the engine computes exactly.",

    // -- simulate
    SimulateInvalidRange = "simulate.invalidRange" => "A simulation's `end` is not after its `start`.",
    SimulateTooManyCycles = "simulate.tooManyCycles" => "The simulated range holds more schedule triggers than the limit (10,000 cycles).",
    SimulateInvalidPause = "simulate.invalidPause" => "A pause's `until` is not after its `from`.",

    // -- events
    EventsInvalidPoints = "events.invalidPoints" => "An event's `points` is not a whole number between 0 and 2^53 − 1.",
    EventsUnexpectedPoints = "events.unexpectedPoints" => "An event that is not a `manual` credit carries `points`; only manual credits carry their own points.",
    EventsScoreOverflow = "events.scoreOverflow" => "A collaborator's score (or the sum of all scores) would exceed 2^53 − 1, the largest integer JS represents exactly.",
    EventsDuplicateId = "events.duplicateId" => "Two events share one id.",
    EventsIndexOutOfRange = "events.indexOutOfRange" => "A bulk-loaded event's collaborator or type index is not a position in its id or name table.",

    // -- transactions
    TransactionsInvalidAmount = "transactions.invalidAmount" => "An amount (`total`, detail `amount`, refund `amount`) is not a non-negative decimal number.",
    TransactionsAmountOutOfRange = "transactions.amountOutOfRange" => "An amount is above the limit (10^15 major units) or has more than 12 decimal places, or a line's `amount × quantity` is out of range.",
    TransactionsInvalidQuantity = "transactions.invalidQuantity" => "A detail's `quantity` is not a whole number between 0 and 10^9.",
    TransactionsInvalidStatus = "transactions.invalidStatus" => "A transaction's `status` is not complete, refunded or cancelled.",
    TransactionsInvalidDetailType = "transactions.invalidDetailType" => "A detail's `type` is not product, subscription, fee, discount, shipping or tax.",
    TransactionsMissingAmount = "transactions.missingAmount" => "A transaction has neither `details` nor `total`, so its value is unknown.",
    TransactionsDuplicateId = "transactions.duplicateId" => "Two transactions share one id.",
    TransactionsRefundBeforeSale = "transactions.refundBeforeSale" => "A refund is dated before the sale it refunds.",
    TransactionsIndexOutOfRange = "transactions.indexOutOfRange" => "A bulk-loaded line's or refund's transaction index, or a status or line type index, is not a position in its table.",
}

impl Code {
    /// The recipe and config validators append their codes below by module; keeping the list in
    /// the macro above means adding a code is one line there plus one row in the docs table.
    pub fn lookup(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One problem, located by a JSON Pointer into the caller's input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(code: Code, path: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, path: path.to_string(), message: message.into() }
    }

    pub fn warning(code: Code, path: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, path: path.to_string(), message: message.into() }
    }
}

/// A thrown error (as opposed to a reported diagnostic): what `previewScores`, `simulate` and
/// `nextRuns` raise for malformed input. The binding layer turns it into a JS `Error` with
/// `code` and `path` properties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EngineError {
    pub code: Code,
    pub path: String,
    pub message: String,
}

impl EngineError {
    pub fn new(code: Code, path: &Pointer, message: impl Into<String>) -> Self {
        EngineError { code, path: path.to_string(), message: message.into() }
    }
}

impl From<Diagnostic> for EngineError {
    fn from(d: Diagnostic) -> Self {
        EngineError { code: d.code, path: d.path, message: d.message }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{} ({})", self.message, self.code)
        } else {
            write!(f, "{} ({} at {})", self.message, self.code, self.path)
        }
    }
}

impl std::error::Error for EngineError {}

/// A JSON Pointer (RFC 6901) built up while walking the input. `Pointer::root()` is `""`.
/// Held as its text, so a child pointer is one allocation (readers build one per field).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer {
    text: String,
}

impl Pointer {
    pub fn root() -> Self {
        Pointer::default()
    }

    /// A child pointer: `ptr.key("distributors").key("milestoneRewards")`.
    pub fn key(&self, key: &str) -> Self {
        let mut text = String::with_capacity(self.text.len() + 1 + key.len());
        text.push_str(&self.text);
        text.push('/');
        // RFC 6901: "~" is written "~0" and "/" is written "~1".
        for c in key.chars() {
            match c {
                '~' => text.push_str("~0"),
                '/' => text.push_str("~1"),
                c => text.push(c),
            }
        }
        Pointer { text }
    }

    pub fn index(&self, index: usize) -> Self {
        use fmt::Write;
        let mut text = self.text.clone();
        let _ = write!(text, "/{index}");
        Pointer { text }
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The JSON type name used in messages ("expected a string, found a number").
pub fn json_type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A JSON syntax error as an editor places it: serde_json's cause without its own position, then
/// the 1-based line and column, the column counted in characters (serde_json counts bytes, and
/// says column 0 just after a line break).
pub(crate) fn json_syntax_error(text: &[u8], error: &serde_json::Error) -> String {
    let full = error.to_string();
    let cause = full.rsplit_once(" at line ").map_or(full.as_str(), |(cause, _)| cause);
    let line = error.line().max(1);
    let line_start: usize = text.split(|b| *b == b'\n').take(line - 1).map(|l| l.len() + 1).sum();
    let end = line_start.saturating_add(error.column().saturating_sub(1)).min(text.len());
    let before = text.get(line_start.min(end)..end).unwrap_or_default();
    let column = String::from_utf8_lossy(before).chars().count() + 1;
    format!("{cause} (line {line}, column {column})")
}

/// JSON text without a leading UTF-8 byte order mark, which every reader skips alike.
pub(crate) fn without_bom(text: &[u8]) -> &[u8] {
    text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_per_rfc_6901() {
        let p = Pointer::root().key("distributors").key("a/b~c").index(0);
        assert_eq!(p.to_string(), "/distributors/a~1b~0c/0");
        assert_eq!(Pointer::root().to_string(), "");
    }

    #[test]
    fn codes_are_unique_and_documented() {
        let docs = include_str!("../../../docs/diagnostics.md");
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert!(docs.contains(&format!("`{}`", code.as_str())), "code {code} missing from docs/diagnostics.md");
            assert_eq!(Code::lookup(code.as_str()), Some(*code));
        }
    }
}

/// What `validateRecipe` and `validateDistributorConfig` return: every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    pub valid: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl ValidationReport {
    /// Splits diagnostics by severity, keeping their order; valid means no errors.
    pub fn from_diagnostics(diagnostics: Vec<Diagnostic>) -> Self {
        let (errors, warnings): (Vec<_>, Vec<_>) = diagnostics.into_iter().partition(|d| d.severity == Severity::Error);
        ValidationReport { valid: errors.is_empty(), errors, warnings }
    }
}
