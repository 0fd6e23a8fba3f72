import { OptionErrors, OptionReader, readBoolean, readNumber, readOptionalString } from "./option_readers";

/**
 * The durable outbox's options (`api_outbox*`, `api_shutdown_timeout`, `api_dead_letter_max`).
 * Pure: read through the `OptionReader` it is given.
 */
export interface DurabilityConfig {
  /** `api_outbox`: record undelivered events in Prosody's storage (default) or keep them in memory only. */
  readonly outbox: boolean;
  /** `api_outbox_store`: the storage name of the outbox (dead letters use `<name>_dead`). */
  readonly storeName: string;
  /** `api_shutdown_timeout`: seconds a graceful stop waits for deliveries; 0 does not wait. */
  readonly shutdownTimeout: number;
  /** `api_dead_letter_max`: given-up events kept at most; past it the oldest are dropped. */
  readonly deadLetterMax: number;
}

export const DEFAULT_OUTBOX_STORE = "event_sync_outbox";
export const DEFAULT_SHUTDOWN_TIMEOUT = 5;
export const DEFAULT_DEAD_LETTER_MAX = 10000;
/** Seconds between outbox writes: what a crash can lose, and what batches a burst into one write. */
export const OUTBOX_FLUSH_INTERVAL = 0.1;

export function readDurabilityConfig(read: OptionReader): { config: DurabilityConfig; errors: string[] } {
  const errors = new OptionErrors();
  const storeName = readOptionalString(read, "api_outbox_store", errors) ?? DEFAULT_OUTBOX_STORE;
  if (string.find(storeName, "^[%w_]+$")[0] === undefined) {
    errors.add("api_outbox_store", `must be letters, digits and '_' only (a storage name), got ${string.format("%q", storeName)}`);
  }
  const config: DurabilityConfig = {
    outbox: readBoolean(read, "api_outbox", true, errors),
    storeName,
    shutdownTimeout: readNumber(read, "api_shutdown_timeout", DEFAULT_SHUTDOWN_TIMEOUT, errors, "seconds"),
    deadLetterMax: readNumber(read, "api_dead_letter_max", DEFAULT_DEAD_LETTER_MAX, errors, "count"),
  };
  return { config, errors: errors.messages };
}
