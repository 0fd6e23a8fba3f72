/**
 * The durable outbox: every undelivered event is written to storage in batches, at most one
 * write round per `interval` (Prosody's storage calls block its only thread), and removed once
 * delivered, given up or dropped. On start the previous run's records are read back in the
 * order they were written. Pure: storage is behind `RecordStore`, time behind `Scheduler`.
 *
 * Layout: one record per batch of at most MAX_BATCH deliveries, keyed
 * `<instance start ms>-<batch number>` (both zero-padded, so keys sort in write order). A write
 * round stores the new batch(es) and rewrites only the batches that lost deliveries since the
 * last round (or removes them once empty), so its cost follows what changed, never the
 * outbox's size; an event delivered before the next round is never written at all.
 */
import { Delivery, Log, Scheduler, TimerHandle } from "./types";
import { RecordStore, StoredDelivery, storedDelivery, deliveryFromStored } from "./outbox_records";

export const MAX_BATCH = 100;
export const OUTBOX_FORMAT = 1;

export interface OutboxBatchRecord {
  readonly format: number;
  readonly deliveries: StoredDelivery[];
}

export interface OutboxMetrics {
  /** Events in the outbox (written or waiting for the next write). */
  size(count: number): void;
  /** A storage read or write failed. */
  storageError(): void;
}

export interface OutboxOptions {
  readonly store: RecordStore<OutboxBatchRecord>;
  readonly scheduler: Scheduler;
  /** Seconds between write rounds. */
  readonly interval: number;
  /** Unix ms this instance started: the key prefix of its batches. */
  readonly startedMs: number;
  readonly log: Log;
  readonly metrics: OutboxMetrics;
  /** More writes for each round (the dead letters): an error text when they failed. */
  readonly alsoWrite?: (this: void) => string | undefined;
}

interface Batch {
  readonly key: string;
  items: Delivery[];
}

const pad = (n: number, width: number): string => string.format(`%0${width}d`, n);

export class Outbox {
  private unsaved: Delivery[] = [];
  private readonly batchOf = new LuaMap<Delivery, Batch>();
  private readonly changed = new LuaSet<Batch>();
  private timer: TimerHandle | undefined;
  private batchNumber = 0;
  /** In a run of failed writes: logged once, until a write succeeds again. */
  private failing = false;
  private count = 0;

  constructor(private readonly options: OutboxOptions) {}

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
    if (batch === undefined) return; // not written yet: the next round skips it
    this.batchOf.delete(delivery);
    this.changed.add(batch);
    this.schedule(this.options.interval);
  }

  /** Asks for a write round soon (another writer of the round has something to write). */
  touch(): void {
    this.schedule(this.options.interval);
  }

  /** Events in the outbox. */
  size(): number {
    return this.count;
  }

  /** Writes what changed now (also before a reload and at shutdown). */
  flush(): void {
    this.timer?.stop();
    this.timer = undefined;
    let ok = this.writeNew();
    for (const batch of this.changed) {
      if (this.rewrite(batch)) this.changed.delete(batch);
      else ok = false;
    }
    const otherError = this.options.alsoWrite?.();
    if (otherError !== undefined) {
      this.storageFailed("write", otherError);
      ok = false;
    }
    if (ok && this.failing) {
      this.failing = false;
      this.options.log("info", "The outbox can be written again; it is up to date");
    }
    if (!ok) this.schedule(10 * this.options.interval); // try again, without hammering a failing store
  }

  /** Stops the write timer (the caller flushes first when it wants the state kept). */
  stop(): void {
    this.timer?.stop();
    this.timer = undefined;
  }

  /**
   * Reads every batch a previous run left, oldest first, and takes them over: each delivery
   * settled later rewrites or removes its batch. Unreadable or foreign records are logged and
   * skipped (left in storage).
   */
  load(): Delivery[] {
    const { store, log } = this.options;
    const listed = store.keys();
    if (listed.error !== undefined) {
      this.storageFailed("read", listed.error);
      return [];
    }
    const keys = listed.keys.filter((key) => string.find(key, "^%d+%-%d+$")[0] !== undefined);
    if (keys.length < listed.keys.length) {
      log("warn", "The outbox store holds %d records this version did not write; they are left as they are", listed.keys.length - keys.length);
    }
    table.sort(keys);
    const out: Delivery[] = [];
    for (const key of keys) {
      const read = store.get(key);
      const record = read.record;
      if (read.error !== undefined || record === undefined || record.format !== OUTBOX_FORMAT || typeof record.deliveries !== "object") {
        log("warn", "Skipping outbox record %s: %s", key, read.error ?? "not in a format this version reads");
        continue;
      }
      const batch: Batch = { key, items: [] };
      for (const stored of record.deliveries) {
        const delivery = deliveryFromStored(stored);
        if (delivery === undefined) {
          log("warn", "Skipping an unreadable event in outbox record %s", key);
          continue;
        }
        batch.items.push(delivery);
        this.batchOf.set(delivery, batch);
        out.push(delivery);
      }
      if (batch.items.length < record.deliveries.length) this.changed.add(batch);
    }
    this.resize(out.length);
    return out;
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

  /** Writes the deliveries recorded since the last round, MAX_BATCH a record. */
  private writeNew(): boolean {
    const fresh = this.unsaved.filter((delivery) => delivery.finished !== true);
    this.unsaved = [];
    for (let first = 0; first < fresh.length; first += MAX_BATCH) {
      const items = fresh.slice(first, first + MAX_BATCH);
      this.batchNumber += 1;
      const batch: Batch = { key: `${pad(this.options.startedMs, 15)}-${pad(this.batchNumber, 9)}`, items };
      const error = this.options.store.set(batch.key, { format: OUTBOX_FORMAT, deliveries: items.map((delivery) => storedDelivery(delivery)) });
      if (error !== undefined) {
        this.storageFailed("write", error);
        this.unsaved = fresh.slice(first); // kept in memory; written once storage works again
        return false;
      }
      for (const delivery of items) this.batchOf.set(delivery, batch);
    }
    return true;
  }

  /** Rewrites a batch without its finished deliveries, or removes it once none is left. */
  private rewrite(batch: Batch): boolean {
    const live = batch.items.filter((delivery) => this.batchOf.get(delivery) === batch);
    const record = live.length > 0 ? { format: OUTBOX_FORMAT, deliveries: live.map((delivery) => storedDelivery(delivery)) } : undefined;
    const error = this.options.store.set(batch.key, record);
    if (error !== undefined) {
      this.storageFailed("write", error);
      return false;
    }
    batch.items = live;
    return true;
  }

  private storageFailed(what: "read" | "write", error: string): void {
    this.options.metrics.storageError();
    if (this.failing) return;
    this.failing = true;
    this.options.log("error", "Cannot %s the outbox in Prosody's storage (%s); deliveries go on from memory and the outbox catches up once storage works", what, error);
  }
}
