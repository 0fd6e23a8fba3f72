/**
 * How deliveries are kept in Prosody's storage, and the one small storage interface the outbox
 * and the dead letters are written through. Pure.
 *
 * An outbox batch (format 2) holds its deliveries as ONE JSON text: Prosody's serializers
 * (util.serialization for `internal`, util.json for SQL) then write one string instead of
 * walking seven fields per delivery, which cost more Lua instructions than the rest of the
 * event's journey. The text is made at each write and not kept (a copy per undelivered event
 * would double the memory an outage holds). Format 1 (a list of tables) is still read.
 */
import { beginText, endText, put, putNumberField, putPlainStringField, putStringField } from "../json_text";
import { EVENT_NAMES, EventName } from "../payloads";
import { Delivery } from "./types";

/** JSON both ways (util.json in Prosody). */
export interface JsonCodec {
  readonly encode: (this: void, value: unknown) => string;
  /** Undefined (or a raise) when the text is not JSON. */
  readonly decode: (this: void, text: string) => unknown;
}

export const OUTBOX_FORMAT = 2;

/** An outbox record: format 2 writes `deliveries_json`; format 1 (older versions) `deliveries`. */
export interface OutboxBatchRecord {
  readonly format: number;
  readonly deliveries_json?: string;
  readonly deliveries?: unknown[];
}

/**
 * A record store: Prosody's keyval store of one name on our host (`module:open_store`),
 * whichever backend the operator configured. Errors come back as text, never raised.
 */
export interface RecordStore<R> {
  /** Writes (replaces) the record under `key`, or removes it when `record` is undefined. */
  set(key: string, record: R | undefined): string | undefined;
  /** Every key in the store. */
  keys(): { readonly keys: string[]; readonly error?: undefined } | { readonly keys?: undefined; readonly error: string };
  get(key: string): { readonly record?: R; readonly error?: string };
}

/** A delivery as written to storage: plain strings and numbers, snake_case like the payloads. */
export interface StoredDelivery {
  readonly event_name: string;
  readonly event_id: string;
  readonly created_at_ms: number;
  readonly room_jid: string;
  readonly path: string;
  readonly body: string;
  readonly attempts: number;
}

const KNOWN_EVENTS = new LuaSet<string>();
for (const name of EVENT_NAMES) KNOWN_EVENTS.add(name);

export function storedDelivery(delivery: Delivery): StoredDelivery {
  return {
    event_name: delivery.eventName,
    event_id: delivery.eventId,
    created_at_ms: delivery.createdAtMs,
    room_jid: delivery.roomJid,
    path: delivery.path,
    body: delivery.body,
    attempts: delivery.attempts,
  };
}

/** A delivery's entry in `deliveries_json`: the fields of StoredDelivery, as one JSON object. */
function putDelivery(delivery: Delivery): void {
  putPlainStringField('{"event_name":"', delivery.eventName);
  putStringField(',"event_id":"', delivery.eventId); // read back from storage: anything
  putNumberField(',"created_at_ms":', delivery.createdAtMs);
  putStringField(',"room_jid":"', delivery.roomJid);
  putStringField(',"path":"', delivery.path);
  putStringField(',"body":"', delivery.body);
  putNumberField(',"attempts":', delivery.attempts);
  put("}");
}

/**
 * The record of a batch: its live deliveries, then the items this version could not read (kept
 * as they were, through `encode`), as one JSON text written in one piece (json_text.ts).
 */
export function batchRecord(live: readonly Delivery[], foreign: readonly unknown[], encode: JsonCodec["encode"]): OutboxBatchRecord {
  const foreignTexts: string[] = [];
  for (const item of foreign) foreignTexts.push(encode(item)); // before: encode may not write text of its own in between
  beginText(true); // the bodies must not stay in the writer's table
  put("[");
  let first = true;
  for (const delivery of live) {
    if (!first) put(",");
    putDelivery(delivery);
    first = false;
  }
  for (const text of foreignTexts) {
    if (!first) put(",");
    put(text);
    first = false;
  }
  put("]");
  return { format: OUTBOX_FORMAT, deliveries_json: endText() };
}

/** The items a stored batch holds (each to be read by deliveryFromStored), or undefined when it is not a format this version reads. */
export function batchItems(record: OutboxBatchRecord | undefined, codec: JsonCodec): unknown[] | undefined {
  if (record === undefined) return undefined;
  if (record.format === 1) return typeof record.deliveries === "object" ? record.deliveries : undefined;
  if (record.format !== OUTBOX_FORMAT || typeof record.deliveries_json !== "string") return undefined;
  const [ok, list] = pcall(codec.decode, record.deliveries_json);
  return ok && typeof list === "object" && list !== null ? (list as unknown[]) : undefined;
}

/** The delivery a stored record describes, or undefined when it is not one this version wrote. */
export function deliveryFromStored(stored: unknown): Delivery | undefined {
  if (typeof stored !== "object" || stored === null) return undefined;
  const s = stored as Partial<Record<keyof StoredDelivery, unknown>>;
  if (
    typeof s.event_name !== "string" ||
    !KNOWN_EVENTS.has(s.event_name) ||
    typeof s.event_id !== "string" ||
    typeof s.created_at_ms !== "number" ||
    typeof s.room_jid !== "string" ||
    typeof s.path !== "string" ||
    typeof s.body !== "string"
  ) {
    return undefined;
  }
  return {
    eventName: s.event_name as EventName,
    eventId: s.event_id,
    createdAtMs: s.created_at_ms,
    roomJid: s.room_jid,
    path: s.path,
    body: s.body,
    attempts: typeof s.attempts === "number" ? s.attempts : 0,
  };
}

/**
 * The outbox's batch records in storage, oldest first, except those of `own` (this instance's),
 * all read before anything is taken over: a read that fails leaves everything for a retry.
 * `others` counts the records whose keys are not batch keys (not written by an outbox).
 */
export function readBatches(
  store: RecordStore<OutboxBatchRecord>,
  own: LuaSet<string>,
): { records: [string, OutboxBatchRecord | undefined][]; others: number; error?: undefined } | { error: string } {
  const listed = store.keys();
  if (listed.error !== undefined) return { error: listed.error };
  const batchKeys = listed.keys.filter((key) => string.find(key, "^%d+%-%d+$")[0] !== undefined);
  const keys = batchKeys.filter((key) => !own.has(key));
  table.sort(keys);
  const records: [string, OutboxBatchRecord | undefined][] = [];
  for (const key of keys) {
    const read = store.get(key);
    if (read.error !== undefined) return { error: read.error };
    records.push([key, read.record]);
  }
  return { records, others: listed.keys.length - batchKeys.length };
}
