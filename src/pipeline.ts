/**
 * Turns room events into deliveries: filter, event identity (id, time, room sequence),
 * payload, JSON body. Pure apart from the functions it is given, so specs and the Prosody
 * wiring share it.
 */
import { Dispatcher } from "./delivery/room_queues";
import { Log } from "./delivery/types";
import { AsJsonArray, buildPayload, EVENT_PATHS, EventName, eventNameOf } from "./payloads";
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
    const built = buildPayload(event, meta, asJsonArray);
    dispatcher.enqueue({
      eventName: name,
      eventId: meta.eventId,
      roomJid: built.roomJid,
      path: EVENT_PATHS[name],
      body: encode(built.payload),
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
