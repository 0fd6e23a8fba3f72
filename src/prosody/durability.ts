/**
 * Wires the durable outbox to Prosody: its stores (`module:open_store`), its metrics, and the
 * graceful stop, which gives deliveries up to `api_shutdown_timeout` seconds once the client
 * sessions are closed and then writes what is left to the outbox for the next start.
 */
import { DeadLetterRecord, DeadLetters } from "../delivery/dead_letters";
import { DurableJournal } from "../delivery/durable_journal";
import { Outbox, OutboxBatchRecord } from "../delivery/outbox";
import { Log, Scheduler } from "../delivery/types";
import { DurabilityConfig, OUTBOX_FLUSH_INTERVAL } from "../durability_config";
import { closingEvents } from "../crash_recovery";
import { createJsonEncoder } from "../json_encode";
import { Dispatcher } from "../delivery/room_queues";
import { Pipeline } from "../pipeline";
import { JournaledRoom, RoomJournal } from "../room_journal";
import { RoomTracker } from "../rooms";
import { guarded } from "../safe";
import { createDurabilityMetrics, DurabilityMetrics } from "./outbox_metrics";
import { openRecordStore } from "./record_store";

export interface Durability {
  readonly journal: DurableJournal;
  readonly outbox: Outbox;
  readonly deadLetters: DeadLetters;
  /** Who is inside each room, to close the meetings a crash ends. */
  readonly rooms: RoomJournal;
  readonly metrics: DurabilityMetrics;
}

/** Opens the outbox and dead-letter stores; undefined (logged) when storage cannot be opened. */
export function openDurability(config: DurabilityConfig, scheduler: Scheduler, log: Log, nowMs: (this: void) => number): Durability | undefined {
  const outboxStore = openRecordStore<OutboxBatchRecord>(config.storeName);
  const deadStore = openRecordStore<DeadLetterRecord>(`${config.storeName}_dead`);
  const roomStore = openRecordStore<JournaledRoom>(`${config.storeName}_rooms`);
  if (typeof outboxStore === "string" || typeof deadStore === "string" || typeof roomStore === "string") {
    const reason = [outboxStore, deadStore, roomStore].find((store): store is string => typeof store === "string");
    log("error", "Cannot open the outbox store %q (%s): undelivered events are kept in memory only", config.storeName, reason);
    return undefined;
  }
  const metrics = createDurabilityMetrics();
  const deadLetters = new DeadLetters(deadStore, config.deadLetterMax, log, metrics.deadLetters);
  const loadError = deadLetters.load();
  if (loadError !== undefined) {
    metrics.outbox.storageError();
    log("error", "Cannot read the dead letters (%s): counting starts afresh", loadError);
  }
  const json = require("util.json") as typeof import("util.json");
  const array = require("util.array") as typeof import("util.array");
  const encode = createJsonEncoder({ encode: (value) => json.encode(value), null: json.null, arrayMeta: getmetatable(array()) });
  const rooms = new RoomJournal(roomStore, { encode, decode: (text) => json.decode(text) });
  const outbox = new Outbox({
    store: outboxStore,
    codec: { encode, decode: (text) => json.decode(text) },
    scheduler,
    interval: OUTBOX_FLUSH_INTERVAL,
    startedMs: nowMs(),
    log,
    metrics: metrics.outbox,
    writeFirst: () => deadLetters.flush(),
    writeLast: () => {
      const error = rooms.flush();
      return error === undefined ? undefined : `rooms' state: ${error}`;
    },
  });
  return { journal: new DurableJournal(outbox, deadLetters, nowMs), outbox, deadLetters, rooms, metrics };
}

/** Priority of our `server-stopping` handler: after mod_c2s closed the sessions and waited (-100). */
const AFTER_SESSIONS_CLOSED = -150;
/** Seconds between checks whether every delivery is done while the server stops. */
const SHUTDOWN_POLL = 0.05;

export interface ShutdownHooks {
  /** Seconds to give deliveries; 0 does not wait. */
  readonly timeout: number;
  /** Publishes what is held back (a new room's first moment) so it is delivered or written too. */
  readonly flushHeld: (this: void) => void;
  /** True when nothing is in flight or waiting. */
  readonly idle: (this: void) => boolean;
  /** Writes what is left (the outbox). */
  readonly persist: (this: void) => void;
  readonly log: Log;
}

/**
 * On a graceful stop: waits (as mod_c2s does, with util.async, never blocking) until every
 * delivery is done or `timeout` has passed, then persists what is left.
 */
export function hookShutdown(hooks: ShutdownHooks): void {
  const { timeout, flushHeld, idle, persist, log } = hooks;
  const onStopping = guarded(log, "server-stopping", () => {
    flushHeld();
    const async = require("util.async") as typeof import("util.async");
    if (timeout > 0 && !idle() && async.ready()) {
      const [wait, done] = async.waiter(1, true);
      const deadline = module.add_timer(timeout, () => {
        done();
        return undefined;
      });
      const poll = module.add_timer(SHUTDOWN_POLL, () => {
        if (!idle()) return SHUTDOWN_POLL;
        done();
        return undefined;
      });
      log("info", "Stopping: giving the API up to %ss for the undelivered events", tostring(timeout));
      wait();
      deadline.stop();
      poll.stop();
    }
    persist();
    if (!idle()) log("info", "Stopping with events undelivered: they are in the outbox for the next start");
  });
  module.hook_global("server-stopping", () => onStopping(), AFTER_SESSIONS_CLOSED);
}

export interface ResumeDeps {
  readonly dispatcher: Dispatcher;
  readonly tracker: RoomTracker;
  readonly pipeline: Pipeline;
  readonly scheduler: Scheduler;
  readonly log: Log;
  /** Integer Unix seconds. */
  readonly now: (this: void) => number;
  /** A `module:reload`: the rooms are live and handed over, nothing to close. */
  readonly reloading: boolean;
}

/** Seconds between attempts to read the outbox when storage failed at start. */
const TAKE_OVER_RETRY = 1;

/**
 * Takes over what the previous run left: its undelivered events first, in their original
 * order; then, after a crash (not on a reload), the closing events of the rooms it had open.
 * When storage cannot be read at start (an SQL server still starting), it tries again every
 * second: those events then come after any newer ones. Returns the pipeline to publish through
 * (it also notes room changes in the journal) and the ids of the events taken over.
 */
export function resumeDurable(durable: Durability, deps: ResumeDeps): { publisher: Pipeline; takenOver: LuaSet<string>; handedOver: LuaSet<string> } {
  const { dispatcher, tracker, pipeline, log } = deps;
  const takenOver = new LuaSet<string>();
  /** Ids a reload handed over and this instance already delivers: read from the outbox, they only leave it. */
  const handedOver = new LuaSet<string>();
  const publisher: Pipeline = {
    publish(events) {
      pipeline.publish(events);
      durable.rooms.observe(events);
      if (durable.rooms.pending()) durable.outbox.touch();
    },
  };
  let outboxRead = false;
  const takeOver = (): boolean => {
    if (!outboxRead && !readOutbox()) return false;
    outboxRead = true;
    if (deps.reloading) return true;
    return closeCrashed();
  };
  const readOutbox = (): boolean => {
    const loaded = durable.outbox.load();
    if (loaded.error !== undefined) return false;
    for (const delivery of loaded.deliveries) {
      if (handedOver.has(delivery.eventId)) {
        durable.outbox.settled(delivery);
        continue;
      }
      takenOver.add(delivery.eventId);
      dispatcher.adopt(delivery);
    }
    if (loaded.deliveries.length > 0) {
      log("info", "Delivering %d events kept in the outbox from before", loaded.deliveries.length);
      durable.metrics.replayed(loaded.deliveries.length);
    }
    return true;
  };
  const closeCrashed = (): boolean => {
    const open = durable.rooms.openRooms();
    if (open.error !== undefined) {
      durable.metrics.outbox.storageError();
      log("error", "Cannot read which rooms were open before (%s): trying again", open.error);
      return false;
    }
    if (open.skipped > 0) log("warn", "Skipped %d room records this version did not write", open.skipped);
    if (open.rooms.length > 0) {
      log("info", "Closing %d rooms the previous run left open (the server went away)", open.rooms.length);
      publisher.publish(closingEvents(tracker, open.rooms, deps.now()));
      for (const { room } of open.rooms) {
        const live = tracker.table().get(room.roomJid);
        if (live !== undefined && live !== room) durable.rooms.keep(live);
      }
    }
    return true;
  };
  if (!takeOver()) {
    durable.rooms.holding = !deps.reloading;
    const retry = (): void => {
      if (takeOver()) durable.rooms.holding = false;
      else deps.scheduler.after(TAKE_OVER_RETRY, retry);
    };
    deps.scheduler.after(TAKE_OVER_RETRY, retry);
  }
  return { publisher, takenOver, handedOver };
}
