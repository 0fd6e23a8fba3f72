/**
 * The durable outbox: every undelivered event is written to storage in batches, at most one
 * write round per `interval` (Prosody's storage calls block its only thread), and removed once
 * delivered, given up or dropped. On start the previous run's records are read back in the
 * order they were written. Pure: storage is behind `RecordStore`, time behind `Scheduler`.
 *
 * Layout: one record per batch of at most MAX_BATCH deliveries, keyed
 * `<prefix ms>-<batch number>` (both zero-padded, so keys sort in write order; the prefix is
 * this instance's start, kept above every prefix read back so a clock set back cannot reorder).
 * A round writes the given-up events' dead letters first, then the new batches, then rewrites
 * a batch only once half of what it holds is settled (or removes it when all is): a round's cost
 * follows what changed, not the outbox's size. An event delivered before the next round is never
 * written; a settled one still in a written batch may be delivered again after a crash.
 */
import { batchItems, batchRecord, deliveryFromStored, JsonCodec, OutboxBatchRecord, readBatches, RecordStore } from "./outbox_records";
import { Delivery, Log, Scheduler, TimerHandle } from "./types";

export type { OutboxBatchRecord } from "./outbox_records";

export const MAX_BATCH = 100;

export interface OutboxMetrics {
  /** Events in the outbox (written or waiting for the next write). */
  size(count: number): void;
  /** A storage read or write failed. */
  storageError(): void;
}

export interface OutboxOptions {
  readonly store: RecordStore<OutboxBatchRecord>;
  /** Reads format 2's JSON text, writes the items this version could not read back as they were. */
  readonly codec: JsonCodec;
  readonly scheduler: Scheduler;
  /** Seconds between write rounds. */
  readonly interval: number;
  /** Unix ms this instance started: the key prefix of its batches. */
  readonly startedMs: number;
  readonly log: Log;
  readonly metrics: OutboxMetrics;
  /** Written first in each round (the dead letters, whose events leave the outbox once written). */
  readonly writeFirst?: (this: void) => string | undefined;
  /** Written last in each round (the rooms' state). */
  readonly writeLast?: (this: void) => string | undefined;
}

interface Batch {
  readonly key: string;
  items: Delivery[];
  /** Deliveries the stored record holds (what a rewrite would shrink). */
  stored: number;
  /** Stored items this version cannot read: kept as they are. */
  readonly foreign: unknown[];
}

const pad = (n: number, width: number): string => string.format(`%0${width}d`, n);

export class Outbox {
  private unsaved: Delivery[] = [];
  /** Deliveries of `unsaved` that settled before their first write: never written. */
  private settledUnsaved = new LuaSet<Delivery>();
  /** Batches with keys, not yet written (a failed write is tried again with the same key). */
  private unwritten: Batch[] = [];
  private readonly batchOf = new LuaMap<Delivery, Batch>();
  private readonly changed = new LuaSet<Batch>();
  /** Keys of the batches this instance made (a retried load must not take them over again). */
  private readonly own = new LuaSet<string>();
  private timer: TimerHandle | undefined;
  private batchNumber = 0;
  private prefixMs: number;
  /** In a run of failed writes: logged once, until a round succeeds again. */
  private failing = false;
  private count = 0;

  constructor(private readonly options: OutboxOptions) {
    this.prefixMs = options.startedMs;
  }

  /** A new event on its way: written in the next round unless delivered before it. */
  record(delivery: Delivery): void {
    this.unsaved.push(delivery);
    this.resize(1);
    this.schedule(this.options.interval);
  }

  /** The delivery is finished (delivered, given up or dropped): it leaves the outbox. */
  settled(delivery: Delivery): void {
    const batch = this.batchOf.get(delivery);
    this.resize(-1);
    if (batch === undefined) {
      this.settledUnsaved.add(delivery); // not written yet: the next round skips it
      return;
    }
    this.batchOf.delete(delivery);
    this.changed.add(batch);
    this.schedule(this.options.interval);
  }

  /** Asks for a write round soon (another writer of the round has something to write). */
  touch(): void {
    this.schedule(this.options.interval);
  }

  /** Whether a delivery is in a written record (or already settled: nothing left to keep). */
  holds(delivery: Delivery): boolean {
    const batch = this.batchOf.get(delivery);
    if (batch === undefined) return !this.unsaved.includes(delivery) || this.settledUnsaved.has(delivery);
    return !this.unwritten.includes(batch);
  }

  /** Events in the outbox. */
  size(): number {
    return this.count;
  }

  /** Writes what changed now (also before a reload and at shutdown). True when all of it was written. */
  flush(final = false): boolean {
    this.timer?.stop();
    this.timer = undefined;
    const errors: string[] = [];
    const firstError = this.options.writeFirst?.();
    if (firstError !== undefined) errors.push(firstError);
    this.batchNew();
    this.unwritten = this.unwritten.filter((batch) => {
      const error = this.write(batch);
      if (error !== undefined) errors.push(`outbox: ${error}`);
      return error !== undefined;
    });
    for (const batch of this.changed) {
      const error = this.shrink(batch, final);
      if (error !== undefined) errors.push(`outbox: ${error}`);
      else this.changed.delete(batch);
    }
    const lastError = this.options.writeLast?.();
    if (lastError !== undefined) errors.push(lastError);
    this.report(errors);
    return errors.length === 0;
  }

  /** Stops the write timer (the caller flushes first when it wants the state kept). */
  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  /**
   * Reads every batch a previous run left, oldest first, and takes them over: a delivery settled
   * later shrinks or removes its batch. Records this version did not write are logged and left
   * alone. An error when storage cannot be listed (nothing taken over: try again later).
   */
  load(): { deliveries: Delivery[]; error?: string } {
    const { log } = this.options;
    const read = readBatches(this.options.store, this.own);
    if (read.error !== undefined) {
      this.report([`outbox: ${read.error}`]);
      return { deliveries: [], error: read.error };
    }
    if (read.others > 0) log("warn", "The outbox store holds %d records this version did not write; they are left as they are", read.others);
    const records = read.records;
    const out: Delivery[] = [];
    for (const [key, record] of records) {
      const [prefix] = string.match(key, "^(%d+)");
      this.prefixMs = math.max(this.prefixMs, (tonumber(prefix) ?? 0) + 1);
      const items = batchItems(record, this.options.codec);
      if (items === undefined) {
        log("warn", "Skipping outbox record %s: not in a format this version reads", key);
        continue;
      }
      const batch: Batch = { key, items: [], stored: items.length, foreign: [] };
      for (const stored of items) {
        const delivery = deliveryFromStored(stored);
        if (delivery === undefined) {
          batch.foreign.push(stored);
          continue;
        }
        batch.items.push(delivery);
        this.batchOf.set(delivery, batch);
        out.push(delivery);
      }
      if (batch.foreign.length > 0) log("warn", "Outbox record %s holds %d events this version cannot read; they are kept", key, batch.foreign.length);
    }
    this.resize(out.length);
    return { deliveries: out };
  }

  private resize(by: number): void {
    this.count += by;
    this.options.metrics.size(this.count);
  }

  private schedule(seconds: number): void {
    if (this.timer !== undefined) return;
    this.timer = this.options.scheduler.after(seconds, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  /** Gives the deliveries recorded since the last round their batches (keys in order). */
  private batchNew(): void {
    const fresh = this.unsaved.filter((delivery) => !this.settledUnsaved.has(delivery));
    this.unsaved = [];
    this.settledUnsaved = new LuaSet();
    for (let first = 0; first < fresh.length; first += MAX_BATCH) {
      this.batchNumber += 1;
      const items = fresh.slice(first, first + MAX_BATCH);
      const batch: Batch = { key: `${pad(this.prefixMs, 15)}-${pad(this.batchNumber, 9)}`, items, stored: items.length, foreign: [] };
      for (const delivery of items) this.batchOf.set(delivery, batch);
      this.own.add(batch.key);
      this.unwritten.push(batch);
    }
  }

  /** Writes a batch as it is now (its live deliveries); an error text when storage failed. */
  private write(batch: Batch): string | undefined {
    const live = batch.items.filter((delivery) => this.batchOf.get(delivery) === batch);
    if (live.length === 0 && batch.foreign.length === 0) return undefined; // all settled before it was written
    const error = this.options.store.set(batch.key, batchRecord(live, batch.foreign, this.options.codec.encode));
    if (error !== undefined) return error;
    batch.items = live;
    batch.stored = live.length + batch.foreign.length;
    return undefined;
  }

  /** Removes a batch once nothing in it is live, rewrites it once half of it is settled. */
  private shrink(batch: Batch, final: boolean): string | undefined {
    if (this.unwritten.includes(batch)) return undefined; // written whole in its own turn
    const live = batch.items.filter((delivery) => this.batchOf.get(delivery) === batch).length;
    if (live === 0 && batch.foreign.length === 0) return this.options.store.set(batch.key, undefined);
    if (!final && (live + batch.foreign.length) * 2 > batch.stored) return undefined;
    return this.write(batch);
  }

  private report(errors: string[]): void {
    if (errors.length === 0) {
      if (this.failing) {
        this.failing = false;
        this.options.log("info", "The outbox can be written again; it is up to date");
      }
      return;
    }
    for (let i = 0; i < errors.length; i++) this.options.metrics.storageError();
    this.schedule(10 * this.options.interval); // try again, without hammering a failing store
    if (this.failing) return;
    this.failing = true;
    this.options.log(
      "error",
      "Cannot write to Prosody's storage (%s); deliveries go on from memory and the outbox catches up once storage works",
      errors.join("; "),
    );
  }
}
