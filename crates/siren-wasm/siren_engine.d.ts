/** How serious a diagnostic is: errors make a document invalid, warnings do not. */
export type Severity = "error" | "warning";

/** One located problem. `code` is stable (see docs/diagnostics.md); `path` is a JSON Pointer into the input. */
export interface Diagnostic {
  severity: Severity;
  code: string;
  path: string;
  message: string;
}

/** The result of `validateRecipe` and `validateDistributorConfig`. */
export interface ValidationReport {
  valid: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface ValidationOptions {
  /** Unknown fields become errors instead of warnings. Default false (lenient). */
  strict?: boolean;
  /** Extra distribution resolver ids registered by the host. */
  distributionResolvers?: string[];
  /** Extra pool resolver ids registered by the host. */
  poolResolvers?: string[];
}

export interface NextRunsInput {
  /** PHP DateTime::modify strings applied in order, e.g. ["first day of next month"]. */
  schedule: string[];
  /** ISO-8601 instant with an offset or Z: the distributor's start or last trigger. */
  from: string;
  /** IANA name ("America/New_York") or fixed offset ("+02:00", "UTC"). Default "UTC". */
  timeZone?: string;
  /** How many runs (1 to 1000). Default 12. */
  count?: number;
}

/** A distribution resolver id: the built-in ones, or one a host registers (`distributionResolvers` option). */
export type DistributionResolverId = "topScoreWins" | "performanceSharedPool" | "sharedEngagementPool" | (string & {});
/** A pool resolver id: the built-in one, or one a host registers (`poolResolvers` option). */
export type PoolResolverId = "revenueSinceLastDistribution" | (string & {});
/** Which transaction parts count toward revenue. */
export type TransactionCompiler = "lineItems" | "discounts" | "fees" | "shipping" | "taxes";
/** The event types Siren documents; the set is open (extensions add triggers). */
export type EngagementType = "referredSiteVisit" | "boundCouponUsed" | "boundPostUsed" | "courseCompleted" | "lessonCompleted" | "manual" | (string & {});

/**
 * Points per event type: `[{type, value}]` (Siren REST) or `{type: value}`, where a value may
 * also be `{value}` (REST programs). Points are whole numbers, as numbers or numeric strings
 * ("100"); `manual` may omit its value (its credits carry their own points).
 */
export type EngagementTypes =
  | { type: EngagementType; value?: number | string | null; id?: string | number }[]
  | { [type: string]: number | string | { value?: number | string | null } | null };

/** Restricts which line items count. `null` or `[]` means no restriction (Siren REST sends `null`). */
export interface LineItemFilters {
  /** Detail types, singular or plural as REST shows them (`"products"`). */
  withTypes?: (DetailType | "products" | "subscriptions" | "fees" | "discounts" | "shippings" | "taxes")[] | null;
  /** SKUs; numbers are taken as their text. */
  withSkus?: (string | number)[] | null;
  inCategories?: (string | number)[] | null;
  /** Only lines with an owner among the collaborators count; WordPress's "1"/"0"/"true"/"false" too. */
  collaboratorOwned?: boolean | "1" | "0" | "true" | "false" | "" | null;
}

/** A recipe's distributor (ENGINE.md §2); its configuration is set after the recipe is applied. */
export interface Distributor {
  name: string;
  description: string;
  distributionResolver: DistributionResolverId;
  distributionPoolResolver: PoolResolverId;
  status: "active" | "inactive";
  /** An upper-case ISO-4217 code ("USD", "JPY") or "points". */
  units: string;
  /** PHP DateTime::modify strings applied in order, e.g. ["first day of next month"]; needed by `simulate` and by a preview without `window`. */
  schedule?: string[];
}

/** A recipe's program: Siren's REST program fields; only `name` and `description` are required. */
export interface Program {
  name: string;
  description: string;
  /** Open set (extensions register more), e.g. "commission". */
  incentiveType?: string;
  incentiveResolverType?: string;
  units?: string;
  /** `draft` is accepted with a warning: Siren's REST creates only `active` or `inactive`. */
  status?: "active" | "inactive" | "draft";
  engagementTypes?: EngagementTypes;
  /** Resolver-specific settings, e.g. `{transactionPercent: "20"}`; only its shape (an object) is checked. */
  incentiveCalculation?: { [setting: string]: unknown };
  transactionCompilers?: TransactionCompiler[];
  lineItemFilters?: LineItemFilters | null;
  id?: string | number;
}

/** Programs of which only one pays per conversion. */
export interface ProgramGroup {
  name: string;
  description?: string;
  sorter: "oldestBindingWins" | "newestBindingWins";
  /** Keys of the recipe's `programs`; a program belongs to at most one group. */
  programs: string[];
}

/**
 * A recipe, version 1 (ENGINE.md §2). Keys are recipe-local camelCase identifiers. Other fields
 * are warnings (lenient validation) or errors (`strict`).
 */
export interface Recipe {
  version: 1;
  name: string;
  description: string;
  programs?: { [key: string]: Program };
  programGroups?: { [key: string]: ProgramGroup };
  /** A preview or simulation reads the distributor named by `distributorKey` here. */
  distributors?: { [key: string]: Distributor };
}

/**
 * One version of a distributor configuration (ENGINE.md §3), as Siren's REST extended
 * distributor returns it (`GET /distributors/{id}?include=extended`): that payload passes
 * straight in, its informational fields accepted and not used.
 */
export interface DistributorConfigVersion {
  /** ISO-8601 with an offset or Z; omitted (or null) on the one base version. */
  effectiveFrom?: string | null;
  engagementTypes: EngagementTypes;
  /** The pool percentage, in (0, 100], as a number or a numeric string ("12.5"). */
  revenuePercentage: number | string;
  /** None enabled means the pool is always 0 (a warning says so). */
  transactionCompilers: TransactionCompiler[];
  lineItemFilters?: LineItemFilters | null;
  /** Ids allowed to earn (strings or whole numbers); omitted or null: every active collaborator. */
  eligibleCollaborators?: (string | number)[] | null;
  // Informational fields of Siren's REST extended distributor, not used here.
  id?: string | number;
  name?: string;
  description?: string;
  status?: string;
  units?: string;
  schedule?: string[];
  distributionResolver?: string;
  distributionPoolResolver?: string;
  collaboratorCount?: number | string;
  currentDistribution?: { [field: string]: unknown } | null;
  dateCreated?: string | null;
  dateModified?: string | null;
}

/** A distributor configuration: one version, or a list of versions with `effectiveFrom` (any order). */
export type DistributorConfig = DistributorConfigVersion | DistributorConfigVersion[];

/** An amount in major units as a decimal string with the currency's decimals: "5000.00", JPY "5000", KWD "5.000", points "120". */
export type Amount = string;

/**
 * One event (ENGINE.md §8). Ids may be strings or whole numbers; they are read as strings. In
 * events, transactions and collaborators an optional field may be `null` (not given), as REST
 * payloads send it, and fields not listed here are ignored.
 */
export interface EngagementEvent {
  id?: string | number | null;
  collaboratorId: string | number;
  type: string;
  /** ISO-8601 with an offset or Z. */
  occurredAt: string;
  /** Only for `manual` credits: a whole number, or its text. */
  points?: number | string | null;
}

export type DetailType = "product" | "subscription" | "fee" | "discount" | "shipping" | "tax";

export interface Transaction {
  id: string | number;
  status?: "complete" | "refunded" | "cancelled" | null;
  occurredAt: string;
  currency?: string | null;
  /** A transaction with only `total` is one product line. */
  total?: number | string | null;
  /** `amount` is per unit; `quantity` a whole number (default 1); SKUs, categories and owners may be whole numbers, read as text. */
  details?: { type: DetailType; amount: number | string; quantity?: number | string | null; sku?: string | number | null; categories?: (string | number)[] | null; ownerCollaboratorIds?: (string | number)[] | null }[] | null;
  /** A refund without `amount` is full. Refunds reduce revenue in the cycle in which they happen. */
  refunds?: { occurredAt: string; amount?: number | string | null }[] | null;
}

export interface Collaborator {
  id: string | number;
  name?: string | null;
  /** Default "active"; only active collaborators earn. */
  status?: "active" | "pending" | "inactive" | "rejected" | "deleted" | null;
}

export interface Policies {
  tieBreak?: "earliestToReach" | "split" | "lowestCollaboratorId";
  carryOverUnawarded?: boolean;
}

export interface PreviewInput {
  /** Validated first (leniently, or with `options`): its first error is thrown, located under `/recipe`. */
  recipe: Recipe;
  /** The key of a distributor in `recipe.distributors`. */
  distributorKey: string;
  /** One configuration version or a list of versions with `effectiveFrom`. */
  config: DistributorConfig;
  collaborators?: Collaborator[];
  events: EngagementEvent[];
  transactions: Transaction[];
  timeZone: string;
  /** "Now": the instant the projection is made at; later events are not counted yet. */
  at: string;
  lastDistributionAt?: string;
  /** An explicit cycle window; otherwise `lastDistributionAt` + the schedule, else the schedule window containing `at`. */
  window?: { start: string; end: string };
  /** Where the schedule is walked from when neither `window` nor `lastDistributionAt` is given. */
  start?: string;
  policies?: Policies;
  options?: ValidationOptions;
  /** List only this many collaborators from the top of the leaderboard (their explanations and shares too); allocations stay complete. */
  top?: number;
}

export interface LeaderboardEntry {
  collaboratorId: string;
  score: number;
  /** Competition ranking: 1, 2, 2, 4. */
  rank: number;
  breakdown: Record<string, number>;
  /** Points this collaborator trails the leader by ("what it takes to win"). */
  behindLeader: number;
  reachedAt?: string;
}

export interface Tie {
  collaboratorIds: string[];
  score: number;
  policy: string;
  decidedBy: string;
  winners: string[];
}

export interface IdList {
  count: number;
  ids: string[];
  truncated: boolean;
}

/**
 * A cycle (ENGINE.md §8); `previewScores` returns the current one, projected. Its instants are
 * ISO-8601 in the site time zone, with a fraction of a second only when the instant has one
 * (`2026-01-31T10:00:00.300+00:00`; 6 or 9 digits when milliseconds do not hold it).
 */
export interface Cycle {
  index: number;
  window: { start: string; end: string };
  triggerAt: string;
  status: "distributed" | "noEngagement" | "paused" | "noRevenue";
  revenue: Amount;
  pool: Amount;
  units: string;
  leaderboard: LeaderboardEntry[];
  allocations: { collaboratorId: string; amount: Amount }[];
  tie?: Tie;
  notes: string[];
}

export interface Preview extends Cycle {
  projected: true;
  at: string;
  timeZone: string;
  /** Where every figure comes from: events per collaborator, transaction lines, refunds, percentages, rounding and allocation. */
  explanation: {
    window: { source: string; anchor?: string; anchorSource?: string; countedUntil: string; halfOpen: boolean };
    scoring: {
      collaborators: { collaboratorId: string; score: number; eventCounts: Record<string, number>; events: IdList }[];
      /** Present when event ids are listed only for this many collaborators from the top of the leaderboard (the others have counts, and `events.truncated`). */
      eventIdsListedForTop?: number;
      /** Present when the input gave `top`: the leaderboard, `collaborators` here and `allocation.shares` list the first `top` of `of` collaborators. */
      listed?: { top: number; of: number };
      ignored: ({ reason: string } & IdList)[];
      totalPoints: number;
    };
    revenue: {
      sales: Amount;
      refunds: Amount;
      net: Amount;
      revenue: Amount;
      shortfall: Amount;
      transactions: { transactionId: string; occurredAt: string; lines: { detail?: number; type: string; lineTotal: Amount; qualifying: Amount; excluded?: "compilerOff" | "typeFiltered" | "skuFiltered" | "categoryFiltered" | "notCollaboratorOwned" }[]; qualifying: Amount; percentage: string }[];
      transactionsTruncated: boolean;
      refundsApplied: { transactionId: string; refund: number; occurredAt: string; amount?: Amount; qualifyingReduction: Amount; percentage: string; method: "full" | "proportional" | "capped" }[];
      refundsTruncated: boolean;
      excluded: ({ reason: string } & IdList)[];
    };
    pool: { resolver: string; percentages: { percentage: string; revenue: Amount }[]; exact: string; rounding: string; decimals: number; pool: Amount };
    allocation: {
      resolver: string;
      method: string;
      tieBreak: string;
      carryOverUnawarded: boolean;
      totalWeight: number;
      shares: { collaboratorId: string; weight: number; base: Amount; remainder: number; leftoverUnit: boolean; amount: Amount }[];
      remainderOrder: string[];
      /** Carried in from earlier cycles ("0" in a preview). */
      carriedIn: Amount;
      /** pool + carriedIn: what the shares divide (for a paused cycle, what they would have). */
      available: Amount;
      allocated: Amount;
      /** available = allocated + unawarded + carriedOut + deferred. */
      unawarded: Amount;
      carriedOut: Amount;
      /** A paused cycle's pool: its revenue stays in the window the next attempt counts. */
      deferred: Amount;
    };
  };
}

export interface SimulateInput {
  recipe: Recipe;
  distributorKey: string;
  config: DistributorConfig;
  collaborators?: Collaborator[];
  events: EngagementEvent[];
  transactions: Transaction[];
  timeZone: string;
  /** The distributor's start: the first trigger is the schedule applied to it. */
  start: string;
  /** Triggers up to and including `end` are simulated. */
  end: string;
  /** Half-open pause intervals: triggers inside are skipped, accumulation continues. */
  pauses?: { from: string; until: string }[];
  policies?: Policies;
  options?: ValidationOptions;
  /** As a preview's `top`, for every cycle. */
  top?: number;
}

export interface Obligation {
  collaboratorId: string;
  amount: Amount;
  units: string;
  distributionTrigger: string;
}

export interface SimulatedCycle extends Cycle {
  /** Unawarded money carried in from earlier cycles (carryOverUnawarded). */
  carriedIn: Amount;
  /** pool + carriedIn: what this cycle allocates. */
  available: Amount;
  allocated: Amount;
  unawarded: Amount;
  carriedOut: Amount;
  obligations: Obligation[];
  explanation: Preview["explanation"];
}

export interface Simulation {
  distributorKey: string;
  units: string;
  timeZone: string;
  start: string;
  end: string;
  policies: { tieBreak: string; carryOverUnawarded: boolean };
  cycles: SimulatedCycle[];
  totals: {
    revenue: Amount;
    pool: Amount;
    allocated: Amount;
    unawarded: Amount;
    carriedOver: Amount;
    cycles: number;
    distributedCycles: number;
    pausedCycles: number;
    noEngagementCycles: number;
    noRevenueCycles: number;
    collaborators: { collaboratorId: string; amount: Amount; cyclesWon: number }[];
  };
  notes: string[];
}

export interface CompareInput {
  base: SimulateInput;
  /** Overrides: `config` replaces; `revenuePercentage` is set on every version; `engagementTypes` merges into every version (null removes a type). */
  variant: {
    config?: DistributorConfig;
    /** Members replace the base's one by one. */
    policies?: Policies;
    /** Replaces the resolver of the base's distributor in its recipe. */
    distributionResolver?: DistributionResolverId;
    revenuePercentage?: number | string;
    engagementTypes?: { [type: string]: number | string | { value?: number | string | null } | null } | { type: EngagementType; value?: number | string | null }[];
  };
}

export interface Comparison {
  base: Simulation;
  variant: Simulation;
  cycles: {
    index: number;
    window: { start: string; end: string };
    baseWinners: string[];
    variantWinners: string[];
    changed: boolean;
    allocationsChanged: boolean;
    baseStatus: Cycle["status"];
    variantStatus: Cycle["status"];
    basePool: Amount;
    variantPool: Amount;
  }[];
  collaborators: { collaboratorId: string; baseTotal: Amount; variantTotal: Amount; delta: Amount }[];
}

/** The error thrown for malformed input: a JS Error with a stable `code` and a JSON Pointer `path`. */
export interface EngineError extends Error {
  code: string;
  path: string;
}

/** Validates a recipe (object or JSON text). Never throws for bad recipe data; throws an EngineError for bad options. */
export function validateRecipe(recipe: Recipe | string, options?: ValidationOptions): ValidationReport;
/** Any value: what is wrong with it is reported (`valid: false`), not thrown, e.g. a recipe a user is still editing. */
export function validateRecipe(recipe: unknown, options?: ValidationOptions): ValidationReport;
/** Validates a distributor configuration (one version or a list of versions with effectiveFrom; object or JSON text). */
export function validateDistributorConfig(config: DistributorConfig | string, options?: ValidationOptions): ValidationReport;
/** Any value: what is wrong with it is reported (`valid: false`), not thrown. */
export function validateDistributorConfig(config: unknown, options?: ValidationOptions): ValidationReport;
/** The next `count` trigger instants, ISO-8601 in the time zone (`2026-02-01T00:00:00-05:00`; a fraction of a second only when the instant has one, as `.300` or in 6 or 9 digits). Throws an EngineError for bad input. */
export function nextRuns(input: NextRunsInput | string): string[];
/** The current cycle "if it ended now": window, leaderboard with breakdowns, projected pool and allocations, and why. Throws an EngineError for malformed input. */
export function previewScores(input: PreviewInput | string): Preview;
/** Every cycle from `start` to `end`: windows, statuses, revenue, pools, scores, allocations, obligations and explanations, plus totals. */
export function simulate(input: SimulateInput | string): Simulation;
/** The same data simulated under a base and a variant configuration, cycle by cycle and collaborator by collaborator. */
export function compare(input: CompareInput | string): Comparison;
/** The engine's version. */
export function version(): string;

/**
 * A string table given packed instead of as an array: the strings joined in `text`, and each
 * one's length in UTF-16 units (`String.length`) in `lengths`; 0xFFFFFFFF is a null where the
 * table allows nulls. Lengths that do not add up to `text` are `input.wrongType`. For millions of
 * short ids read from bytes (a CSV file), this avoids one JS string per id.
 */
export interface PackedStrings {
  text: string;
  lengths: Uint32Array;
}

/**
 * Events for `Engine.loadEventsColumns`: one entry per event in each column. Collaborator and
 * type indexes point into `collaboratorIds` and `typeNames`; the same id twice in a table is one
 * collaborator. Errors locate the entry: `/events/occurredAtMs/12`.
 */
export interface EventColumns {
  collaboratorIndex: Uint32Array;
  typeIndex: Uint16Array;
  /** Milliseconds since 1970-01-01T00:00Z (`Date.getTime()`), whole numbers. */
  occurredAtMs: Float64Array;
  /** A `manual` credit's own points; NaN for none (only manual events may carry points). */
  points?: Float64Array;
  collaboratorIds: string[] | PackedStrings;
  typeNames: string[] | PackedStrings;
  /** Event ids (null: the event is labelled `/events/<i>` in explanations). Omit for speed. */
  eventIds?: (string | null)[] | PackedStrings;
}

/** The typed arrays `Engine.stageEvents` hands out: views of the engine's memory. */
export type StagedEventColumns = Pick<EventColumns, "collaboratorIndex" | "typeIndex" | "occurredAtMs" | "points">;
/** The string tables of staged events (`Engine.loadStagedEvents`). */
export type EventTables = Pick<EventColumns, "collaboratorIds" | "typeNames" | "eventIds">;

/**
 * Transactions for `Engine.loadTransactionsColumns`: one entry per transaction in
 * `transactionIds`, `occurredAtMs` and the optional per-transaction columns; one per line in the
 * `line*` columns; one per refund in the `refund*` columns. A line or refund belongs to the
 * transaction at its `…TransactionIndex`; the k-th line of a transaction (in column order) is its
 * detail k, and its refunds likewise. A transaction without lines is the `{total}` form. Amounts
 * are whole numbers of 10^-`amountScale` major units: with `amountScale: 2`, 1999 is 19.99.
 * The same transactions as objects give the same previews. Errors locate the entry:
 * `/transactions/lineAmount/7`.
 */
export interface TransactionColumns {
  /** Text, or whole numbers from 0 to 2^53 − 1 (WooCommerce order numbers), each standing for
   * its decimal text (`12` is the id `"12"`). Numbers load without a string made for each: 39
   * against 95 ms for 500,000 transactions in Node here. */
  transactionIds: string[] | PackedStrings | Float64Array | Uint32Array;
  /** Milliseconds since 1970-01-01T00:00Z (`Date.getTime()`), whole numbers. */
  occurredAtMs: Float64Array;
  /** Positions in `statusNames`; omit when every transaction is complete. */
  statusIndex?: Uint8Array;
  /** Default `["complete", "refunded", "cancelled"]`. */
  statusNames?: string[] | PackedStrings;
  /** Each transaction's currency (null: none given). */
  currencies?: (string | null)[] | PackedStrings;
  /** What the customer paid; NaN for not given (required when a transaction has no lines). */
  total?: Float64Array;
  /** Decimal places of every amount column (0–12): 2 for cents. */
  amountScale: number;
  lineTransactionIndex: Uint32Array;
  /** Positions in `lineTypeNames`. */
  lineTypeIndex: Uint8Array;
  /** Default `["product", "subscription", "fee", "discount", "shipping", "tax"]`. */
  lineTypeNames?: string[] | PackedStrings;
  /** The amount of one unit. */
  lineAmount: Float64Array;
  /** Default 1 for every line. */
  lineQuantity?: Uint32Array;
  lineSkus?: (string | null)[] | PackedStrings;
  lineCategories?: (string[] | null)[];
  lineOwnerCollaboratorIds?: (string[] | null)[];
  refundTransactionIndex?: Uint32Array;
  refundOccurredAtMs?: Float64Array;
  /** The amount refunded; NaN (or no column) for a full refund. */
  refundAmount?: Float64Array;
}

/** A preview input for an `Engine` with loaded records: no `events` or `transactions`. */
export type LoadedPreviewInput = Omit<PreviewInput, "events" | "transactions">;
/** A simulate input for an `Engine` with loaded records: no `events` or `transactions`. */
export type LoadedSimulateInput = Omit<SimulateInput, "events" | "transactions">;
/** A compare input for an `Engine` with loaded records: `base` has no `events` or `transactions`. */
export type LoadedCompareInput = Omit<CompareInput, "base"> & { base: LoadedSimulateInput };

/**
 * The bulk path: a handle that keeps events and transactions in wasm memory (and the last
 * preview's counts and revenue, reused when only the weights change), so previewing again (new weights, another `at`, another tie policy) does not reload them.
 * `preview`, `simulate` and `compare` return exactly what `previewScores`, `simulate` and
 * `compare` return for the same records. A failed load throws an EngineError and leaves the loaded data as it was. Call
 * `free()` to release the memory.
 */
export class Engine {
  constructor();
  /** Replaces the events with typed-array columns (the fast path). */
  loadEventsColumns(columns: EventColumns): void;
  /**
   * Hands out `count` events' columns as typed arrays over the engine's own memory (zeroed;
   * `points` NaN, given only `withPoints`), to fill in place and load with `loadStagedEvents`,
   * without the copy `loadEventsColumns` makes. Fill them before any other call to an engine:
   * one may grow its memory, which detaches them (then `loadStagedEvents` throws
   * `input.detached`). They are detached when the staging ends (loaded, staged again, freed):
   * a write through them then changes nothing.
   */
  stageEvents(count: number, withPoints?: boolean): StagedEventColumns;
  /**
   * Loads the columns `stageEvents` handed out, with their string tables, checked as
   * `loadEventsColumns` checks them (errors locate the entry: `/events/occurredAtMs/12`). A
   * staging loads once, whether the load succeeds or not (`engine.notStaged` after).
   */
  loadStagedEvents(tables: EventTables): void;
  /** Replaces the events with event objects, their JSON text, or that text as UTF-8 bytes. */
  loadEvents(events: EngagementEvent[] | string | Uint8Array): void;
  /** Replaces the transactions with typed-array columns (the fast path). */
  loadTransactionsColumns(columns: TransactionColumns): void;
  /** Replaces the transactions with transaction objects, their JSON text, or UTF-8 bytes. */
  loadTransactions(transactions: Transaction[] | string | Uint8Array): void;
  readonly eventCount: number;
  readonly transactionCount: number;
  preview(input: LoadedPreviewInput | string): Preview;
  simulate(input: LoadedSimulateInput | string): Simulation;
  compare(input: LoadedCompareInput | string): Comparison;
  /** Releases the handle's wasm memory; the handle is unusable afterwards. */
  free(): void;
}
