/**
 * Turns room events into deliveries: filter, event identity (id, time, room sequence),
 * payload, JSON body. Pure apart from the functions it is given, so specs and the Prosody
 * wiring share it.
 */
import { Dispatcher } from "./delivery/room_queues";
import { Log } from "./delivery/types";
import { occupantEventJson } from "./payload_text";
import { AsJsonArray, buildPayload, EVENT_PATHS, EventName, eventNameOf, queueJidOf } from "./payloads";
import { nextSequence, RoomEvent } from "./rooms";

export interface Pipeline {
  /** Builds and queues every selected event, in order. */
  publish(events: RoomEvent[]): void;
}

export interface PipelineDeps {
  readonly log: Log;
  readonly dispatcher: Dispatcher;
  /** The events to send (`api_events`); others are dropped before they get a sequence. */
  readonly events: LuaSet<EventName>;
  readonly encode: (this: void, value: unknown) => string;
  readonly asJsonArray: AsJsonArray;
  /** A new random UUID v4. */
  readonly newId: (this: void) => string;
  /** Current time, Unix milliseconds. */
  readonly nowMs: (this: void) => number;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { dispatcher, events: selected, encode, asJsonArray, newId, nowMs, log } = deps;
  const queue = (event: RoomEvent, name: EventName): void => {
    const meta = { eventId: newId(), timestampMs: nowMs(), sequence: nextSequence(event.room) };
    let roomJid: string;
    let body: string;
    if (event.kind === "occupant-joined" || event.kind === "occupant-left") {
      // Most webhooks: their text written directly (payload_text.ts), the same JSON as below.
      roomJid = queueJidOf(event.room);
      body = occupantEventJson(event, name, meta, encode);
    } else {
      const built = buildPayload(event, meta, asJsonArray);
      roomJid = built.roomJid;
      body = encode(built.payload);
    }
    dispatcher.enqueue({
      eventName: name,
      eventId: meta.eventId,
      roomJid,
      path: EVENT_PATHS[name],
      body,
      createdAtMs: meta.timestampMs,
      attempts: 0,
    });
  };
  return {
    publish(events: RoomEvent[]): void {
      for (const event of events) {
        const name = eventNameOf(event);
        if (selected.has(name)) {
          // One event that cannot be encoded (say, a cyclic extra payload) must not cost the rest.
          const [ok, err] = pcall(queue, event, name);
          if (!ok) log("error", "Could not build %s for %s: %s", name, event.room.roomJid, tostring(err));
        }
        // A breakout room's events share its meeting's queue (see BuiltEvent): only the main room's end ends it.
        if (event.kind === "room-destroyed" && event.room.breakout === undefined) dispatcher.roomGone(event.room.roomJid);
      }
    },
  };
}
