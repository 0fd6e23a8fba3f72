/**
 * Dead letters: events given up (retries exhausted, a non-retryable answer) or dropped by
 * `api_max_pending`, kept in Prosody's storage with the last status or error and the attempt
 * count, so an operator can list, replay or discard them (admin shell). At most `max` are kept;
 * past it the oldest go, with one warning per burst. New ones are written in the outbox's write
 * rounds (`flush`), one record each, keyed `<dead at ms>-<n>-<event id>` (oldest first). Pure.
 */
import { Fifo } from "./fifo";
import { deliveryFromStored, RecordStore, StoredDelivery, storedDelivery } from "./outbox_records";
import { Delivery, Log } from "./types";

export const DEAD_LETTER_FORMAT = 1;

/** Which dead letters an admin command means. */
export type LetterSelector =
  | { readonly kind: "all" }
  | { readonly kind: "event"; readonly eventId: string }
  | { readonly kind: "room"; readonly roomJid: string };

export interface DeadLetterRecord {
  readonly format: number;
  readonly delivery: StoredDelivery;
  /** The last HTTP status, when there was an answer. */
  readonly status?: number;
  /** Why it was given up: the last error or answer, or "dropped (api_max_pending)". */
  readonly error: string;
  readonly attempts: number;
  readonly dead_at_ms: number;
}

/** A dead letter as the admin commands show it. */
export interface DeadLetter {
  readonly key: string;
  readonly delivery: Delivery;
  readonly status?: number;
  readonly error: string;
  readonly attempts: number;
  readonly deadAtMs: number;
}

export interface DeadLetterMetrics {
  /** Dead letters kept, after any change. */
  count(value: number): void;
  /** Dead letters dropped over `api_dead_letter_max`. */
  overflow(): void;
}

interface Entry {
  readonly key: string;
  gone?: boolean;
  /** Called once its record is written (or it goes without ever being written). */
  onWritten?: (this: void) => void;
}

const pad = (n: number, width: number): string => string.format(`%0${width}d`, n);

export class DeadLetters {
  private readonly order = new Fifo<Entry>();
  private readonly byKey = new LuaMap<string, Entry>();
  /** Added since the last flush, not written yet. */
  private readonly queued = new LuaMap<Entry, DeadLetterRecord>();
  /** Dropped over `max` since the last flush, to be removed from storage. */
  private removals: string[] = [];
  private live = 0;
  private droppedInBurst = 0;
  /** Dead letters added by this instance: orders those of one millisecond. */
  private added = 0;

  constructor(
    private readonly store: RecordStore<DeadLetterRecord>,
    private readonly max: number,
    private readonly log: Log,
    private readonly metrics: DeadLetterMetrics,
  ) {}

  /** Learns which dead letters storage holds (their keys; records are read when asked for). */
  load(): string | undefined {
    const listed = this.store.keys();
    if (listed.error !== undefined) return listed.error;
    const keys = listed.keys.filter((key) => string.find(key, "^%d+%-%d+%-")[0] !== undefined); // ours only
    table.sort(keys);
    for (const key of keys) this.track(key);
    this.metrics.count(this.live);
    return undefined;
  }

  count(): number {
    return this.live;
  }

  /**
   * Keeps a given-up event; written in the next `flush`, after which `onWritten` is called (the
   * outbox lets the event go only then).
   */
  add(delivery: Delivery, error: string, status: number | undefined, nowMs: number, onWritten?: (this: void) => void): void {
    this.added += 1;
    const entry = this.track(`${pad(nowMs, 15)}-${pad(this.added, 9)}-${delivery.eventId}`);
    entry.onWritten = onWritten;
    const record: DeadLetterRecord = { format: DEAD_LETTER_FORMAT, delivery: storedDelivery(delivery), status, error, attempts: delivery.attempts, dead_at_ms: nowMs };
    this.queued.set(entry, record);
    this.trim();
    this.metrics.count(this.live);
  }

  /** Writes what changed since the last flush; on a storage error the rest waits for the next one. */
  flush(): string | undefined {
    let firstError: string | undefined;
    for (const [entry, record] of this.queued) {
      const error = this.store.set(entry.key, record);
      if (error !== undefined) {
        firstError ??= `dead letters: ${error}`;
      } else {
        this.queued.delete(entry);
        written(entry);
      }
    }
    this.removals = this.removals.filter((key) => {
      const error = this.store.set(key, undefined);
      if (error !== undefined) firstError ??= `dead letters: ${error}`;
      return error !== undefined;
    });
    return firstError;
  }

  /**
   * The dead letters `selector` picks, oldest first, read from storage: at most `limit` of them
   * (`more` counts the rest when that is known without reading them). An event id is found by
   * its key, with one read; a room JID needs every record read (each a storage call).
   */
  list(selector: LetterSelector, limit = math.huge): { letters: DeadLetter[]; more: number; error?: string } {
    const letters: DeadLetter[] = [];
    const suffix = selector.kind === "event" ? `-${selector.eventId}` : undefined;
    let seen = 0;
    for (const entry of this.order.toArray()) {
      if (entry.gone === true) continue;
      seen += 1;
      if (suffix !== undefined && string.sub(entry.key, -suffix.length) !== suffix) continue;
      if (letters.length >= limit) {
        if (selector.kind === "all") return { letters, more: this.live - seen + 1 };
        continue;
      }
      const queued = this.queued.get(entry);
      const read = queued !== undefined ? { record: queued } : this.store.get(entry.key);
      if (read.error !== undefined) return { letters, more: 0, error: read.error };
      const letter = read.record === undefined ? undefined : letterOf(entry.key, read.record);
      if (letter !== undefined && (selector.kind !== "room" || letter.delivery.roomJid === selector.roomJid)) letters.push(letter);
    }
    return { letters, more: 0 };
  }

  /** Removes dead letters (after a replay or a discard): how many went, and the first storage error. */
  remove(keys: readonly string[]): { removed: number; error?: string } {
    let removed = 0;
    let firstError: string | undefined;
    for (const key of keys) {
      const entry = this.byKey.get(key);
      if (entry === undefined || entry.gone === true) continue;
      const error = this.queued.has(entry) ? undefined : this.store.set(key, undefined);
      if (error !== undefined) {
        firstError ??= error;
        continue;
      }
      this.queued.delete(entry);
      written(entry);
      this.forget(entry);
      removed += 1;
    }
    this.metrics.count(this.live);
    return { removed, error: firstError };
  }

  private track(key: string): Entry {
    const entry: Entry = { key };
    this.order.push(entry);
    this.byKey.set(key, entry);
    this.live += 1;
    return entry;
  }

  private forget(entry: Entry): void {
    entry.gone = true;
    this.byKey.delete(entry.key);
    this.live -= 1;
  }

  /** Drops the oldest dead letters over `max` (one warning per burst). */
  private trim(): void {
    while (this.live > this.max) {
      const oldest = this.order.shift();
      if (oldest === undefined) return;
      if (oldest.gone === true) continue;
      if (this.queued.has(oldest)) this.queued.delete(oldest);
      else this.removals.push(oldest.key);
      written(oldest); // dropped over the cap: nothing more will be written for it
      this.forget(oldest);
      if (this.droppedInBurst === 0) {
        this.log("warn", "More than %d dead letters (api_dead_letter_max): dropping the oldest, starting with %s", this.max, oldest.key);
      }
      this.droppedInBurst += 1;
      this.metrics.overflow();
    }
    if (this.live < this.max) this.droppedInBurst = 0;
  }
}

function written(entry: Entry): void {
  const onWritten = entry.onWritten;
  entry.onWritten = undefined;
  onWritten?.();
}

function letterOf(key: string, record: DeadLetterRecord): DeadLetter | undefined {
  if (typeof record !== "object" || record.format !== DEAD_LETTER_FORMAT) return undefined;
  const delivery = deliveryFromStored(record.delivery);
  if (delivery === undefined) return undefined;
  return { key, delivery, status: record.status, error: tostring(record.error), attempts: record.attempts, deadAtMs: record.dead_at_ms };
}
