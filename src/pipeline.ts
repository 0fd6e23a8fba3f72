/**
 * Turns room events into deliveries: payload, JSON body, URL. Pure apart from the functions
 * it is given, so specs and the Prosody wiring share it.
 */
import { Dispatcher } from "./delivery/room_queues";
import { AsJsonArray, buildPayload, EVENT_PATHS } from "./payloads";
import { RoomEvent } from "./rooms";

export interface Pipeline {
  /** Builds and queues every event, in order. */
  publish(events: RoomEvent[]): void;
}

export function createPipeline(
  dispatcher: Dispatcher,
  encode: (this: void, value: unknown) => string,
  asJsonArray: AsJsonArray,
): Pipeline {
  return {
    publish(events: RoomEvent[]): void {
      for (const event of events) {
        const built = buildPayload(event, asJsonArray);
        dispatcher.enqueue({
          eventName: built.name,
          roomJid: built.roomJid,
          path: EVENT_PATHS[built.name],
          body: encode(built.payload),
          attempts: 0,
        });
      }
    },
  };
}
