import { Pipeline } from "../pipeline";
import { RoomEvent } from "../rooms";

/** Runs a callback on the next turn of Prosody's main loop. */
export type Defer = (this: void, callback: (this: void) => void) => void;

/**
 * Publishes room events, except that a room first seen through its first occupant's join is
 * held back briefly: Prosody fires `muc-room-created` right after that join, and Jitsi's
 * modules prepare the room (its meeting id) there, so the held `created` and `joined` are
 * published once `muc-room-created` has refreshed the room's facts (or on the next loop turn
 * for a room that is not new). Any other event of the room publishes what is held first.
 */
export class FirstSightBuffer {
  private readonly held = new LuaMap<string, RoomEvent[]>();

  constructor(
    private readonly pipeline: Pipeline,
    private readonly defer: Defer,
  ) {}

  publish(roomJid: string, events: RoomEvent[]): void {
    this.flush(roomJid);
    if (events[0]?.kind === "room-created" && events.length > 1) {
      this.held.set(roomJid, events);
      this.defer(() => this.flush(roomJid));
      return;
    }
    this.pipeline.publish(events);
  }

  flush(roomJid: string): void {
    const events = this.held.get(roomJid);
    if (events === undefined) return;
    this.held.delete(roomJid);
    this.pipeline.publish(events);
  }

  /** Publishes everything held (before a reload hands the pending deliveries over). */
  flushAll(): void {
    const rooms: string[] = [];
    for (const [roomJid] of this.held) rooms.push(roomJid);
    for (const roomJid of rooms) this.flush(roomJid);
  }
}

