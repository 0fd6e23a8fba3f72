import { BackoffMode } from "./delivery/backoff";
import { secretBase64 } from "./delivery/signing";
import { normaliseApiPrefix } from "./delivery/url";
import {
  describe,
  OptionErrors,
  OptionReader,
  readBoolean,
  readChoice,
  readNumber,
  readOptionalString,
  readRequiredString,
  readStringList,
} from "./option_readers";
import { DEFAULT_EVENT_NAMES, EVENT_NAMES, EventName } from "./event_names";
import { readServiceOptions, ServiceOptions } from "./service_options";

export { OptionReader };

/**
 * Reads and validates the component's options. Pure: it sees the configuration only through
 * the `OptionReader` it is given, so specs can drive it with a plain table.
 */

/** Decides whether an HTTP status code deserves another attempt. */
export type RetryForCode = (this: void, code: number) => boolean;

export interface Config {
  /** The MUC component whose rooms are reported, e.g. `conference.example.com`. */
  readonly mucComponent: string;
  /**
   * Jitsi's breakout rooms component (`breakout_component`; default `breakout.<domain>` when
   * Jitsi's `muc_mapper_domain_base` is set, as the Lua event_sync does), or undefined.
   */
  readonly breakoutComponent: string | undefined;
  /**
   * Jitsi's lobby rooms component (`lobby_component`; default `lobby.<domain>` when
   * `muc_mapper_domain_base` is set), or undefined: where people knock (lobby events).
   */
  readonly lobbyComponent: string | undefined;
  /** `include_speaker_stats`: add Jitsi's total_dominant_speaker_time to occupants. */
  readonly includeSpeakerStats: boolean;
  /** `include_user_info`: add every key of the JWT user context to occupants. */
  readonly includeUserInfo: boolean;
  /**
   * Base URL of the API: scheme and host in lower case, no trailing slash on its path; its query
   * (if any) goes after each event's path (`eventUrl`).
   */
  readonly apiPrefix: string;
  /** Extra request headers (Authorization, ...). Values are secrets: never log them. */
  readonly apiHeaders: LuaMap<string, string>;
  /** Seconds to wait for an answer before the attempt is cancelled and retried. */
  readonly apiTimeout: number;
  /** Retries after the first attempt. */
  readonly retryCount: number;
  /** Seconds before the first retry; later ones double in exponential mode. */
  readonly retryDelay: number;
  /** `api_retry_backoff`: "exponential" (default) or "fixed". */
  readonly retryBackoff: BackoffMode;
  /** Upper bound for any wait between attempts, Retry-After included. */
  readonly retryMaxDelay: number;
  /** Base64 parts of the Standard Webhooks secrets; empty when requests are not signed. */
  readonly signingSecrets: string[];
  /** The events to send. */
  readonly events: LuaSet<EventName>;
  /** `api_keepalive`: reuse HTTP connections (default) or one `net.http` request each. */
  readonly keepAlive: boolean;
  /** `api_max_connections`: connections to the API at most, with keep-alive. */
  readonly maxConnections: number;
  /** `api_max_pending`: undelivered events kept at most; past it the oldest are dropped. */
  readonly maxPending: number;
  /**
   * `api_pipeline_depth`: a room's events on the wire at once (HTTP/1.1 pipelining on one
   * kept-alive connection). 1 without keep-alive: `net.http` cannot pipeline.
   */
  readonly pipelineDepth: number;
  /** The operator's retry rule; undefined means the default (408, 429, 5xx). */
  readonly shouldRetryForCode: RetryForCode | undefined;
  /** Jicofo's accounts, Jibri and transcribers: how they are recognised and whether reported. */
  readonly services: ServiceOptions;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: string[] }
  | { readonly ok: false; readonly errors: string[] };

export const DEFAULT_API_TIMEOUT = 10;
export const DEFAULT_RETRY_COUNT = 3;
export const DEFAULT_RETRY_DELAY = 1;
export const DEFAULT_RETRY_MAX_DELAY = 60;
export const DEFAULT_MAX_CONNECTIONS = 4;
/** Enough for a long outage of a busy server (an event is ~0.5 KB: ~5 MB at the cap). */
export const DEFAULT_MAX_PENDING = 10000;
/** A room's events on the wire at once: enough to keep up with a busy room on a busy server. */
export const DEFAULT_PIPELINE_DEPTH = 64;

/**
 * Headers an `api_headers` entry must not set: those the module writes itself, and those that
 * would change how the API answers or frames its answer (`Expect: 100-continue`, `TE`,
 * `Upgrade`, `Keep-Alive`), which the module's HTTP/1.1 client does not do.
 */
const RESERVED_HEADERS = new LuaSet<string>();
for (const header of [
  "host",
  "content-length",
  "connection",
  "transfer-encoding",
  "content-type",
  "user-agent",
  "expect",
  "te",
  "upgrade",
  "keep-alive",
]) {
  RESERVED_HEADERS.add(header);
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
    const value = tostring(headerValue);
    if (RESERVED_HEADERS.has(string.lower(key)) || string.find(key, "[^%w%-_]")[0] !== undefined) {
      errors.add(name, `cannot set the header ${describe(key)} (the module sets it, or it is not a header name)`);
      return new LuaMap<string, string>();
    }
    if (string.find(value, "[\r\n]")[0] !== undefined) {
      errors.add(name, `value of ${describe(key)} contains a line break`);
      return new LuaMap<string, string>();
    }
    headers.set(key, value);
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

/** `api_pipeline_depth`, which only keep-alive connections can honour. */
function readPipelineDepth(read: OptionReader, keepAlive: boolean, errors: OptionErrors, warnings: string[]): number {
  const depth = readNumber(read, "api_pipeline_depth", DEFAULT_PIPELINE_DEPTH, errors, "positive count");
  if (keepAlive) return depth;
  if (read("api_pipeline_depth") !== undefined && depth > 1) {
    warnings.push("option 'api_pipeline_depth' needs api_keepalive; with api_keepalive = false a room's events go one at a time");
  }
  return 1;
}

/** A Jitsi component's host: the option when set, else `<prefix>.<muc_mapper_domain_base>` when that is. */
function readJitsiComponent(read: OptionReader, name: string, prefix: string, errors: OptionErrors): string | undefined {
  const explicit = readOptionalString(read, name, errors);
  if (explicit !== undefined) return explicit;
  const domainBase = read("muc_mapper_domain_base");
  return typeof domainBase === "string" && domainBase !== "" ? `${prefix}.${domainBase}` : undefined;
}

/** `api_signing_secret`: one `whsec_…` secret or a list (for rotation). Never echoed. */
function readSigningSecrets(read: OptionReader, errors: OptionErrors): string[] {
  const name = "api_signing_secret";
  const secrets = readStringList(read, name, errors) ?? [];
  const decoded: string[] = [];
  for (let i = 0; i < secrets.length; i++) {
    const body = secretBase64(secrets[i]);
    if (body === undefined) {
      errors.add(name, `entry ${i + 1} is not a Standard Webhooks secret ("whsec_" followed by base64)`);
      return [];
    }
    decoded.push(body);
  }
  return decoded;
}

/** `api_events`: the event names to send; the seed's four by default. */
function readEvents(read: OptionReader, errors: OptionErrors): LuaSet<EventName> {
  const name = "api_events";
  const selected = new LuaSet<EventName>();
  const listed = readStringList(read, name, errors);
  if (listed === undefined) {
    for (const event of DEFAULT_EVENT_NAMES) selected.add(event);
    return selected;
  }
  for (const event of listed) {
    const known = EVENT_NAMES.find((candidate) => candidate === event);
    if (known === undefined) {
      errors.add(name, `has unknown event ${describe(event)} (known: ${EVENT_NAMES.join(", ")})`);
    } else {
      selected.add(known);
    }
  }
  return selected;
}

/**
 * `api_prefix`, normalised (scheme and host in lower case, no trailing `/`, no fragment).
 * Never echoed in an error: it may hold credentials or a token in its query.
 */
function readApiPrefix(read: OptionReader, errors: OptionErrors): string {
  const raw = readRequiredString(read, "api_prefix", errors);
  if (raw === "") return raw;
  const normalised = normaliseApiPrefix(raw);
  if (normalised === undefined) {
    errors.add(
      "api_prefix",
      "must be an http:// or https:// URL with a host name or IP (percent-encode any '/', '?', '#' or '@' in credentials)",
    );
    return "";
  }
  return normalised;
}

export function readConfig(read: OptionReader): ConfigResult {
  const errors = new OptionErrors();
  const warnings: string[] = [];
  const mucComponent = readRequiredString(read, "muc_component", errors);
  const apiPrefix = readApiPrefix(read, errors);
  const keepAlive = readBoolean(read, "api_keepalive", true, errors);
  const config: Config = {
    mucComponent,
    breakoutComponent: readJitsiComponent(read, "breakout_component", "breakout", errors),
    lobbyComponent: readJitsiComponent(read, "lobby_component", "lobby", errors),
    includeSpeakerStats: readBoolean(read, "include_speaker_stats", false, errors),
    includeUserInfo: readBoolean(read, "include_user_info", false, errors),
    apiPrefix,
    apiHeaders: readHeaders(read, errors),
    apiTimeout: readNumber(read, "api_timeout", DEFAULT_API_TIMEOUT, errors, "positive seconds"),
    retryCount: readRetryCount(read, errors, warnings),
    retryDelay: readNumber(read, "api_retry_delay", DEFAULT_RETRY_DELAY, errors, "seconds"),
    shouldRetryForCode: readRetryRule(read, errors),
    retryBackoff: readChoice(read, "api_retry_backoff", ["exponential", "fixed"], "exponential", errors),
    retryMaxDelay: readNumber(read, "api_retry_max_delay", DEFAULT_RETRY_MAX_DELAY, errors, "positive seconds"),
    signingSecrets: readSigningSecrets(read, errors),
    events: readEvents(read, errors),
    keepAlive,
    maxConnections: readNumber(read, "api_max_connections", DEFAULT_MAX_CONNECTIONS, errors, "positive count"),
    maxPending: readNumber(read, "api_max_pending", DEFAULT_MAX_PENDING, errors, "positive count"),
    pipelineDepth: readPipelineDepth(read, keepAlive, errors, warnings),
    services: readServiceOptions(read, errors),
  };
  const lobby = config.lobbyComponent;
  if (lobby !== undefined && (lobby === mucComponent || lobby === config.breakoutComponent)) {
    errors.add("lobby_component", `must name Jitsi's lobby component, not ${lobby === mucComponent ? "muc_component" : "breakout_component"}`);
  }
  if (errors.messages.length > 0) return { ok: false, errors: errors.messages };
  return { ok: true, config, warnings };
}
