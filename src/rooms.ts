/**
 * Per-room state: who is inside, who ever joined, and when the room appeared. Pure and O(1)
 * per join or leave. It turns Prosody's MUC events, in the order Prosody fires them, into room
 * events in the order a person expects: created, joins, leaves, destroyed.
 *
 * Prosody fires the first occupant's `muc-occupant-joined` BEFORE `muc-room-created`, so a
 * room is tracked from whichever event mentions it first; that first sight emits `created`.
 */
import { attend, newAttendance, recordLeave } from "./attendance";
import { upgradeRoom } from "./room_upgrade";
import {
  BreakoutInfo,
  JoiningOccupant,
  OccupantRecord,
  RoomEvent,
  RoomFacts,
  RoomState,
  RoomTable,
  SpeakerTime,
  Standing,
  standingOf,
} from "./room_state";

export { BreakoutInfo, JoiningOccupant, OccupantRecord, RoomEvent, RoomFacts, RoomState, RoomTable, SpeakerTime, Standing, standingOf };

/** The node part of a room JID (`catchup` of `catchup@conference.example.com`). */
export function roomNameOf(roomJid: string): string {
  const [node] = string.match(roomJid, "^([^@]*)@");
  return node ?? roomJid;
}

/** `disconnect_reason` of those still inside when their room is destroyed. */
export const ROOM_DESTROYED_REASON = "room_destroyed";

/** Numbers a room's sent events 1, 2, 3, … in the order they happened. */
export function nextSequence(room: RoomState): number {
  room.lastSequence += 1;
  return room.lastSequence;
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

  /** Takes over the rooms a previous instance tracked (see `module.save`), older versions' too. */
  adopt(rooms: RoomTable): void {
    for (const [, room] of rooms) upgradeRoom(room);
    this.rooms = rooms;
  }

  roomCreated(roomJid: string, facts: RoomFacts, now: number): RoomEvent[] {
    const events: RoomEvent[] = [];
    this.track(roomJid, facts, now, events);
    return events;
  }

  occupantJoined(roomJid: string, facts: RoomFacts, joining: JoiningOccupant, now: number): RoomEvent[] {
    const events: RoomEvent[] = [];
    const room = this.track(roomJid, facts, now, events);
    const { nick, occupantJid, identity, traits } = joining;
    if (room.present.has(nick)) return events; // already reported
    room.joins += 1;
    const person = attend(room.attendance, occupantJid, identity, now);
    const occupant: OccupantRecord = {
      nick,
      occupantJid,
      joinedAt: now,
      identity,
      traits,
      role: traits?.role,
      affiliation: traits?.affiliation,
      person,
      seq: room.joins,
    };
    room.present.set(nick, occupant);
    room.presentCount += 1;
    events.push({ kind: "occupant-joined", room, occupant, activeCount: room.presentCount, standing: standingOf(occupant) });
    return events;
  }

  occupantLeft(roomJid: string, facts: RoomFacts, nick: string, reason: string, speakerTime: SpeakerTime, now: number): RoomEvent[] {
    const room = this.rooms.get(roomJid);
    const occupant = room?.present.get(nick);
    if (room === undefined || occupant === undefined) return [];
    refresh(room, facts);
    return [leave(room, occupant, reason, speakerTime, now)];
  }

  /** The occupant inside `roomJid` with in-room JID `nick`, if tracked. */
  occupant(roomJid: string, nick: string): OccupantRecord | undefined {
    return this.rooms.get(roomJid)?.present.get(nick);
  }

  /**
   * The room an event beyond the seed's belongs to, tracked from now on if it was not (its
   * `created` then goes into `events` first).
   */
  room(roomJid: string, facts: RoomFacts, now: number, events: RoomEvent[]): RoomState {
    return this.track(roomJid, facts, now, events);
  }

  /**
   * Ends a room: everyone still inside leaves first (their `left_at` is the destroy time),
   * then the room is destroyed and forgotten. A room never seen is not reported: it had no
   * occupant we know of (e.g. a room another module refused at creation and destroyed).
   */
  roomDestroyed(roomJid: string, facts: RoomFacts, speakerTime: SpeakerTime, now: number, reason = ROOM_DESTROYED_REASON): RoomEvent[] {
    const room = this.rooms.get(roomJid);
    if (room === undefined) return [];
    refresh(room, facts);
    const events: RoomEvent[] = [];
    const inside: OccupantRecord[] = [];
    for (const [, occupant] of room.present) inside.push(occupant);
    inside.sort((a, b) => a.seq - b.seq); // in join order
    for (const occupant of inside) events.push(leave(room, occupant, reason, speakerTime, now));
    this.rooms.delete(roomJid);
    events.push({ kind: "room-destroyed", room, destroyedAt: now });
    return events;
  }

  private track(roomJid: string, facts: RoomFacts, now: number, events: RoomEvent[]): RoomState {
    const existing = this.rooms.get(roomJid);
    if (existing !== undefined) {
      refresh(existing, facts);
      return existing;
    }
    const room: RoomState = {
      roomJid,
      roomName: roomNameOf(roomJid),
      createdAt: now,
      present: new LuaMap(),
      presentCount: 0,
      attendance: newAttendance(),
      joins: 0,
      lastSequence: 0,
      breakout: facts.breakout?.(),
      meetingId: facts.meetingId,
      breakoutName: facts.breakoutName,
      extraPayload: facts.extraPayload,
      persistent: facts.persistent,
    };
    this.rooms.set(roomJid, room);
    events.push({ kind: "room-created", room });
    return room;
  }
}

/**
 * Keeps the latest facts: a meeting id can be replaced (Jicofo may overwrite it) but is kept
 * once known; extra payload fields follow the room's current `_data` exactly.
 */
function refresh(room: RoomState, facts: RoomFacts): void {
  if (facts.meetingId !== undefined) room.meetingId = facts.meetingId;
  room.extraPayload = facts.extraPayload;
  if (facts.persistent !== undefined) room.persistent = facts.persistent;
  if (facts.breakoutName !== undefined) room.breakoutName = facts.breakoutName;
}

function leave(room: RoomState, occupant: OccupantRecord, reason: string, speakerTime: SpeakerTime, now: number): RoomEvent {
  room.present.delete(occupant.nick);
  room.presentCount -= 1;
  occupant.leftAt = now;
  occupant.speakerTimeMs = speakerTime(occupant.occupantJid);
  if (occupant.person !== undefined) recordLeave(occupant.person, occupant.occupantJid, now, occupant.speakerTimeMs);
  return { kind: "occupant-left", room, occupant, activeCount: room.presentCount, standing: standingOf(occupant), reason };
}
