/**
 * How deliveries are kept in Prosody's storage, and the one small storage interface the outbox
 * and the dead letters are written through. Pure.
 */
import { EVENT_NAMES, EventName } from "../payloads";
import { Delivery } from "./types";

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
