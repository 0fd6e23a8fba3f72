/**
 * Per-room state: who is inside, who ever joined, and when the room appeared. Pure and O(1)
 * per join or leave. It turns Prosody's MUC events, in the order Prosody fires them, into room
 * events in the order a person expects: created, joins, leaves, destroyed.
 *
 * Prosody fires the first occupant's `muc-occupant-joined` BEFORE `muc-room-created`, so a
 * room is tracked from whichever event mentions it first; that first sight emits `created`.
 */
import { Identity } from "./identity";

export interface OccupantRecord {
  /** The in-room JID, `room@muc/nick`: the key an occupant is tracked by. */
  readonly nick: string;
  /** The user's real full JID at join time (the seed's `occupant_jid`). */
  readonly occupantJid: string;
  readonly joinedAt: number;
  leftAt?: number;
  readonly identity?: Identity;
}

export interface RoomState {
  readonly roomJid: string;
  readonly roomName: string;
  readonly createdAt: number;
  /** Occupants inside now, by in-room JID (`nick`). */
  readonly present: LuaMap<string, OccupantRecord>;
  /** Everyone who joined since the room was created, in join order. */
  readonly history: OccupantRecord[];
  /** The `room_sequence` of the last event sent for this room (0 before the first). */
  lastSequence: number;
}

/** Numbers a room's sent events 1, 2, 3, … in the order they happened. */
export function nextSequence(room: RoomState): number {
  room.lastSequence += 1;
  return room.lastSequence;
}

export type RoomEvent =
  | { readonly kind: "room-created"; readonly room: RoomState }
  | { readonly kind: "occupant-joined"; readonly room: RoomState; readonly occupant: OccupantRecord }
  | { readonly kind: "occupant-left"; readonly room: RoomState; readonly occupant: OccupantRecord }
  | { readonly kind: "room-destroyed"; readonly room: RoomState; readonly destroyedAt: number };

/** All tracked rooms, keyed by room JID. Plain data, so it survives `module:reload`. */
export type RoomTable = LuaMap<string, RoomState>;

/** The node part of a room JID (`catchup` of `catchup@conference.example.com`). */
export function roomNameOf(roomJid: string): string {
  const [node] = string.match(roomJid, "^([^@]*)@");
  return node ?? roomJid;
}

/**
 * Tracks rooms and returns, for each Prosody event, the room events to report. The records
 * in returned events are live: turn them into payloads before the next call.
 */
export class RoomTracker {
  private rooms: RoomTable = new LuaMap();

  /** The tracked rooms, for handing over across a reload. */
  table(): RoomTable {
    return this.rooms;
  }

  /** Takes over the rooms a previous instance tracked (see `module.save`). */
  adopt(rooms: RoomTable): void {
    this.rooms = rooms;
  }

  roomCreated(roomJid: string, now: number): RoomEvent[] {
    const events: RoomEvent[] = [];
    this.track(roomJid, now, events);
    return events;
  }

  occupantJoined(
    roomJid: string,
    nick: string,
    occupantJid: string,
    identity: Identity | undefined,
    now: number,
  ): RoomEvent[] {
    const events: RoomEvent[] = [];
    const room = this.track(roomJid, now, events);
    if (room.present.has(nick)) return events; // already reported
    const occupant: OccupantRecord = { nick, occupantJid, joinedAt: now, identity };
    room.present.set(nick, occupant);
    room.history.push(occupant);
    events.push({ kind: "occupant-joined", room, occupant });
    return events;
  }

  occupantLeft(roomJid: string, nick: string, now: number): RoomEvent[] {
    const room = this.rooms.get(roomJid);
    const occupant = room?.present.get(nick);
    if (room === undefined || occupant === undefined) return [];
    room.present.delete(nick);
    occupant.leftAt = now;
    return [{ kind: "occupant-left", room, occupant }];
  }

  /**
   * Ends a room: everyone still inside leaves first (their `left_at` is the destroy time),
   * then the room is destroyed and forgotten.
   */
  roomDestroyed(roomJid: string, now: number): RoomEvent[] {
    const events: RoomEvent[] = [];
    const room = this.track(roomJid, now, events);
    for (const occupant of room.history) {
      if (room.present.get(occupant.nick) === occupant) {
        room.present.delete(occupant.nick);
        occupant.leftAt = now;
        events.push({ kind: "occupant-left", room, occupant });
      }
    }
    this.rooms.delete(roomJid);
    events.push({ kind: "room-destroyed", room, destroyedAt: now });
    return events;
  }

  private track(roomJid: string, now: number, events: RoomEvent[]): RoomState {
    const existing = this.rooms.get(roomJid);
    if (existing !== undefined) return existing;
    const room: RoomState = {
      roomJid,
      roomName: roomNameOf(roomJid),
      createdAt: now,
      present: new LuaMap(),
      history: [],
      lastSequence: 0,
    };
    this.rooms.set(roomJid, room);
    events.push({ kind: "room-created", room });
    return room;
  }
}
