/**
 * Reads and validates the component's options. Pure: it sees the configuration only through
 * the `OptionReader` it is given, so specs can drive it with a plain table.
 */

/** Decides whether an HTTP status code deserves another attempt. */
export type RetryForCode = (this: void, code: number) => boolean;

export interface Config {
  /** The MUC component whose rooms are reported, e.g. `conference.example.com`. */
  readonly mucComponent: string;
  /** Base URL of the API, without a trailing slash. */
  readonly apiPrefix: string;
  /** Extra request headers (Authorization, ...). Values are secrets: never log them. */
  readonly apiHeaders: LuaMap<string, string>;
  /** Seconds to wait for an answer before the attempt is cancelled and retried. */
  readonly apiTimeout: number;
  /** Retries after the first attempt. */
  readonly retryCount: number;
  /** Seconds between attempts. */
  readonly retryDelay: number;
  /** The operator's retry rule; undefined means the default (5xx). */
  readonly shouldRetryForCode: RetryForCode | undefined;
}

/** Returns the raw configured value of an option, or undefined. */
export type OptionReader = (this: void, name: string) => unknown;

export type ConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: string[] };

export const DEFAULT_API_TIMEOUT = 10;
export const DEFAULT_RETRY_COUNT = 3;
export const DEFAULT_RETRY_DELAY = 1;

/** Collects one message per bad option, so every problem is reported in a single pass. */
class OptionErrors {
  readonly messages: string[] = [];
  add(name: string, problem: string): void {
    this.messages.push(`option '${name}' ${problem}`);
  }
}

function readRequiredString(read: OptionReader, name: string, errors: OptionErrors): string {
  const value = read(name);
  if (value === undefined) {
    errors.add(name, "is required but not set");
    return "";
  }
  if (typeof value !== "string" || value === "") {
    errors.add(name, `must be a non-empty string, got ${describe(value)}`);
    return "";
  }
  return value;
}

/** What a numeric option may hold. */
type NumberKind = "count" | "seconds" | "positive seconds";

function readNumber(read: OptionReader, name: string, fallback: number, errors: OptionErrors, kind: NumberKind): number {
  const value = read(name);
  if (value === undefined) return fallback;
  const parsed = typeof value === "number" ? value : typeof value === "string" ? tonumber(value) : undefined;
  const valid =
    parsed !== undefined &&
    parsed === parsed && // not NaN
    parsed !== Infinity &&
    (kind === "positive seconds" ? parsed > 0 : parsed >= 0) &&
    (kind !== "count" || math.floor(parsed) === parsed);
  if (!valid) {
    const wanted = kind === "count" ? "a whole number >= 0" : kind === "seconds" ? "a number of seconds >= 0" : "a number of seconds > 0";
    errors.add(name, `must be ${wanted}, got ${describe(value)}`);
    return fallback;
  }
  return parsed;
}

function readHeaders(read: OptionReader, errors: OptionErrors): LuaMap<string, string> {
  const name = "api_headers";
  const headers = new LuaMap<string, string>();
  const value = read(name);
  if (value === undefined) return headers;
  if (typeof value !== "object") {
    // Only the type: a mistyped value here is usually a bare credential.
    errors.add(name, `must be a table of header names to values, got a ${type(value)}`);
    return headers;
  }
  for (const [key, headerValue] of pairs(value as LuaTable<AnyNotNil, unknown>)) {
    if (typeof key !== "string" || (typeof headerValue !== "string" && typeof headerValue !== "number")) {
      // Never echo the value: it is usually a credential.
      errors.add(name, `must map header names to string values (entry ${describe(key)} is not)`);
      return new LuaMap<string, string>();
    }
    headers.set(key, tostring(headerValue));
  }
  return headers;
}

function readRetryCount(read: OptionReader, errors: OptionErrors, warnings: string[]): number {
  const canonical = read("retry_count");
  const alias = read("api_retry_count");
  if (canonical !== undefined && alias !== undefined && canonical !== alias) {
    warnings.push("options 'retry_count' and 'api_retry_count' are both set; using 'retry_count'");
  }
  const name = canonical !== undefined || alias === undefined ? "retry_count" : "api_retry_count";
  return readNumber(read, name, DEFAULT_RETRY_COUNT, errors, "count");
}

function readRetryRule(read: OptionReader, errors: OptionErrors): RetryForCode | undefined {
  const name = "api_should_retry_for_code";
  const value = read(name);
  if (value === undefined) return undefined;
  if (typeof value !== "function") {
    errors.add(name, `must be a function(code) returning true to retry, got ${describe(value)}`);
    return undefined;
  }
  return value as RetryForCode;
}

/** A short description of a config value for error messages (type, and the value if scalar). */
function describe(value: unknown): string {
  if (typeof value === "string") return string.format("%q", value);
  if (typeof value === "number" || typeof value === "boolean") return `${type(value)} ${tostring(value)}`;
  return type(value);
}

/** Strips trailing slashes so `${apiPrefix}/events/...` never has `//`. */
function trimTrailingSlashes(prefix: string): string {
  const [trimmed] = string.gsub(prefix, "/+$", "");
  return trimmed;
}

export function readConfig(read: OptionReader): ConfigResult {
  const errors = new OptionErrors();
  const warnings: string[] = [];
  const mucComponent = readRequiredString(read, "muc_component", errors);
  const apiPrefix = readRequiredString(read, "api_prefix", errors);
  if (apiPrefix !== "" && string.match(apiPrefix, "^[Hh][Tt][Tt][Pp][Ss]?://[^/]")[0] === undefined) {
    errors.add("api_prefix", `must be an http:// or https:// URL, got ${describe(apiPrefix)}`);
  }
  const config: Config = {
    mucComponent,
    apiPrefix: trimTrailingSlashes(apiPrefix),
    apiHeaders: readHeaders(read, errors),
    apiTimeout: readNumber(read, "api_timeout", DEFAULT_API_TIMEOUT, errors, "positive seconds"),
    retryCount: readRetryCount(read, errors, warnings),
    retryDelay: readNumber(read, "api_retry_delay", DEFAULT_RETRY_DELAY, errors, "seconds"),
    shouldRetryForCode: readRetryRule(read, errors),
  };
  if (errors.messages.length > 0) return { ok: false, errors: errors.messages };
  return { ok: true, config, warnings };
}
