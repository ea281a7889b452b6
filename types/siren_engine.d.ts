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

/** The error thrown for malformed input: a JS Error with a stable `code` and a JSON Pointer `path`. */
export interface EngineError extends Error {
  code: string;
  path: string;
}

/** Validates a recipe (object or JSON text). Never throws for bad recipe data; throws an EngineError for bad options. */
export function validateRecipe(recipe: unknown, options?: ValidationOptions): ValidationReport;
/** Validates a distributor configuration (one version or a list of versions with effectiveFrom). */
export function validateDistributorConfig(config: unknown, options?: ValidationOptions): ValidationReport;
/** The next `count` trigger instants, ISO-8601 in the time zone. Throws an EngineError for bad input. */
export function nextRuns(input: NextRunsInput | string): string[];
/** The engine's version. */
export function version(): string;
