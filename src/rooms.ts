/**
 * Per-room state: who is inside, who ever joined, and when the room appeared. Pure and O(1)
 * per join or leave. It turns Prosody's MUC events, in the order Prosody fires them, into room
 * events in the order a person expects: created, joins, leaves, destroyed.
 *
 * Prosody fires the first occupant's `muc-occupant-joined` BEFORE `muc-room-created`, so a
 * room is tracked from whichever event mentions it first; that first sight emits `created`.
 */
import { attend, Attendance, newAttendance, PersonRecord, recordLeave } from "./attendance";
import { Identity } from "./identity";
import { LobbyVisitor, MeetingEvent } from "./meeting_events";
import { OccupantTraits } from "./occupant_traits";

/** Who is joining, as the wiring read it from Prosody's occupant and join presence. */
export interface JoiningOccupant {
  /** The in-room JID, `room@muc/nick`: the key an occupant is tracked by. */
  readonly nick: string;
  /** The user's real full JID at join time (the seed's `occupant_jid`). */
  readonly occupantJid: string;
  readonly identity?: Identity;
  /** Role, affiliation, display name, participant id and kind (see occupant_traits.ts). */
  readonly traits?: OccupantTraits;
}

export interface OccupantRecord extends JoiningOccupant {
  readonly joinedAt: number;
  leftAt?: number;
  /** Their role and affiliation now (a role change updates them); undefined when not known. */
  role?: string;
  affiliation?: string;
  /** Jitsi's total dominant-speaker time (ms) when they left; only with speaker stats on. */
  speakerTimeMs?: number;
  /** Their `all_occupants` entry; undefined when the list was full. */
  readonly person?: PersonRecord;
  /** The room's join counter at their join: the order of `left`s at a destroy. */
  readonly seq: number;
}

/**
 * An occupant's role and affiliation at one event. Events keep their own copy: a held event
 * (the first-sight hold) must not show a change made after it.
 */
export interface Standing {
  readonly role?: string;
  readonly affiliation?: string;
}

/** The role and affiliation an occupant record has now. */
export function standingOf(occupant: OccupantRecord): Standing {
  return { role: occupant.role, affiliation: occupant.affiliation };
}

/** A Jitsi breakout room's place in its meeting. */
export interface BreakoutInfo {
  /** The main room's JID and name: what the breakout room's payloads report as the room. */
  readonly mainRoomJid: string;
  readonly mainRoomName: string;
  /** The breakout room's own node (a UUID in Jitsi). */
  readonly breakoutRoomId: string;
}

/** What the Prosody room tells us besides occupants; refreshed on every event. */
export interface RoomFacts {
  /** Jitsi's meeting id (`room._data.meetingId`), when present. */
  readonly meetingId?: string;
  /** Fields another module asked to add to this room's payloads (`event_sync_extra_payload`). */
  readonly extraPayload?: LuaMap<string, unknown>;
  /** For a room of the breakout component: finds its main room (called once per room). */
  readonly breakout?: (this: void) => BreakoutInfo;
  /** Whether Prosody keeps the room when it empties (a persistent room). */
  readonly persistent?: boolean;
  /** A breakout room's display name. */
  readonly breakoutName?: string;
}

export interface RoomState {
  readonly roomJid: string;
  readonly roomName: string;
  readonly createdAt: number;
  /** Occupants inside now, by in-room JID (`nick`). */
  readonly present: LuaMap<string, OccupantRecord>;
  /** How many are inside now (`active_occupants_count`). */
  presentCount: number;
  /** Everyone who joined since the room was created, one entry per person, bounded. */
  readonly attendance: Attendance;
  /** Joins so far (numbers `OccupantRecord.seq`). */
  joins: number;
  /** The `room_sequence` of the last event sent for this room (0 before the first). */
  lastSequence: number;
  /** Set for rooms of the breakout component. */
  readonly breakout?: BreakoutInfo;
  meetingId?: string;
  /** A breakout room's display name (Jitsi's subject for it), as last seen. */
  breakoutName?: string;
  extraPayload?: LuaMap<string, unknown>;
  /** Whether Prosody keeps the room when it empties, as last seen. */
  persistent?: boolean;
  /** Who waits in its Jitsi lobby, by in-lobby JID (see lobby.ts); created at the first knock. */
  lobby?: LuaMap<string, LobbyVisitor>;
}

export type RoomEvent =
  | { readonly kind: "room-created"; readonly room: RoomState }
  | {
      readonly kind: "occupant-joined";
      readonly room: RoomState;
      readonly occupant: OccupantRecord;
      readonly activeCount: number;
      /** Their role and affiliation at this event (the record follows later changes). */
      readonly standing: Standing;
    }
  | {
      readonly kind: "occupant-left";
      readonly room: RoomState;
      readonly occupant: OccupantRecord;
      readonly activeCount: number;
      readonly standing: Standing;
      /** Why (see `disconnect_reason` in payloads.ts). */
      readonly reason?: string;
    }
  | { readonly kind: "room-destroyed"; readonly room: RoomState; readonly destroyedAt: number }
  | MeetingEvent;

/** All tracked rooms, keyed by room JID. Plain data, so it survives `module:reload`. */
export type RoomTable = LuaMap<string, RoomState>;

/** Speaking time (ms) of an occupant by real JID, when speaker stats are reported. */
export type SpeakerTime = (this: void, occupantJid: string) => number | undefined;

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

/** A room as versions before 0.1.1 handed it over: every join kept in `history`. */
type LegacyRoom = { -readonly [K in keyof RoomState]?: RoomState[K] } & { history?: LegacyOccupant[] };
type LegacyOccupant = { -readonly [K in keyof OccupantRecord]?: OccupantRecord[K] };

/** Rebuilds a handed-over room of an older version (a `history` of every join) in today's shape. */
function upgradeRoom(room: RoomState): void {
  const legacy = room as LegacyRoom;
  if (legacy.attendance !== undefined) return;
  const attendance = newAttendance();
  let joins = 0;
  for (const old of legacy.history ?? []) {
    if (old.occupantJid === undefined || old.joinedAt === undefined) continue;
    joins += 1;
    const person = attend(attendance, old.occupantJid, old.identity, old.joinedAt);
    if (person !== undefined && old.leftAt !== undefined) recordLeave(person, old.occupantJid, old.leftAt, old.speakerTimeMs);
    old.person = person;
    old.seq = joins;
  }
  legacy.attendance = attendance;
  legacy.joins = joins;
  legacy.history = undefined;
}
