/**
 * Pure builders for the JSON bodies the seed contract defines. Field names and types are the
 * contract: fields may be added, never removed or renamed.
 */
import { PersonRecord, speakerTotalMs } from "./attendance";
import { Identity } from "./identity";
import { OccupantRecord, RoomEvent } from "./rooms";

export type EventName = "muc-room-created" | "muc-room-destroyed" | "muc-occupant-joined" | "muc-occupant-left";

/** Every event name, in the order of a room's life. */
export const EVENT_NAMES: readonly EventName[] = [
  "muc-room-created",
  "muc-occupant-joined",
  "muc-occupant-left",
  "muc-room-destroyed",
];

/** The event name each tracker event is reported under. */
export const EVENT_NAME_OF: { readonly [kind in RoomEvent["kind"]]: EventName } = {
  "room-created": "muc-room-created",
  "occupant-joined": "muc-occupant-joined",
  "occupant-left": "muc-occupant-left",
  "room-destroyed": "muc-room-destroyed",
};

/** What identifies one event to a receiver: the same on every retry. */
export interface EventMeta {
  /** Random UUID v4. */
  readonly eventId: string;
  /** When the event happened, Unix milliseconds. */
  readonly timestampMs: number;
  /** 1, 2, 3, … per room, in the order the room's events happened. */
  readonly sequence: number;
}

/** Path under `api_prefix` each event is posted to. */
export const EVENT_PATHS: { readonly [name in EventName]: string } = {
  "muc-room-created": "/events/room/created",
  "muc-room-destroyed": "/events/room/destroyed",
  "muc-occupant-joined": "/events/occupant/joined",
  "muc-occupant-left": "/events/occupant/left",
};

export interface OccupantPayload {
  readonly occupant_jid: string;
  readonly joined_at: number;
  readonly left_at?: number;
  readonly name?: string;
  readonly email?: string;
  readonly id?: string;
  /** Jitsi speaker stats (ms), on left and in all_occupants, with `include_speaker_stats`. */
  readonly total_dominant_speaker_time?: number;
  /** In all_occupants, when the person joined more than once (rejoins, nick changes): how often. */
  readonly sessions?: number;
}

export interface RoomPayload {
  readonly event_name: EventName;
  readonly event_id: string;
  readonly event_timestamp_ms: number;
  readonly room_sequence: number;
  /** For a breakout room: the MAIN room's name and JID. */
  readonly room_name: string;
  readonly room_jid: string;
  readonly is_breakout: boolean;
  /** The breakout room's own id (node), on breakout rooms' events only. */
  readonly breakout_room_id?: string;
  /** Jitsi's meeting id of the room named by room_jid, when known. */
  readonly meeting_id?: string;
  /** Occupants inside after a join or leave (the one who left not counted). */
  readonly active_occupants_count?: number;
  /**
   * On a `left` the module made itself: why. `server_crash` when the person was inside a room
   * that a crash of the server ended (sent after the restart, stamped then).
   */
  readonly disconnect_reason?: string;
  readonly created_at?: number;
  readonly destroyed_at?: number;
  readonly all_occupants?: OccupantPayload[];
  /** Joins of people left out of all_occupants because it was full; absent when none. */
  readonly all_occupants_omitted?: number;
  readonly occupant?: OccupantPayload;
}

/** Marks a list so the JSON encoder writes `[]`, not `{}`, when it is empty. */
export type AsJsonArray = <T>(this: void, items: T[]) => T[];

export interface BuiltEvent {
  readonly roomJid: string;
  readonly payload: RoomPayload;
}

/**
 * Every field this module defines, in payloads and occupants: other sources (the JWT user
 * context, `event_sync_extra_payload`) may add fields but never set one of these, even where
 * an event leaves it out (a `left_at` on a join, say).
 */
const RESERVED_FIELDS = new LuaSet<string>();
for (const field of [
  "event_name", "event_id", "event_timestamp_ms", "room_sequence", "room_name", "room_jid", "is_breakout",
  "breakout_room_id", "meeting_id", "active_occupants_count", "created_at", "destroyed_at", "all_occupants",
  "occupant", "occupant_jid", "joined_at", "left_at", "name", "email", "id", "total_dominant_speaker_time",
  "sessions", "all_occupants_omitted", "disconnect_reason",
]) {
  RESERVED_FIELDS.add(field);
}

/** Copies the fields of `extra` that are not ours into `target`. */
function addExtra(target: object, extra: LuaMap<string, unknown> | undefined): void {
  if (extra === undefined) return;
  const fields = target as LuaMap<string, unknown>;
  for (const [key, value] of extra) {
    if (!RESERVED_FIELDS.has(key)) fields.set(key, value);
  }
}

function withIdentity(payload: OccupantPayload, identity: Identity | undefined): OccupantPayload {
  const fields = payload as { -readonly [K in keyof OccupantPayload]: OccupantPayload[K] };
  fields.name = identity?.name;
  fields.email = identity?.email;
  fields.id = identity?.id;
  addExtra(payload, identity?.userInfo);
  return payload;
}

function occupantPayload(occupant: OccupantRecord, withLeftAt: boolean): OccupantPayload {
  return withIdentity(
    {
      occupant_jid: occupant.occupantJid,
      joined_at: occupant.joinedAt,
      left_at: withLeftAt ? occupant.leftAt : undefined,
      total_dominant_speaker_time: withLeftAt ? occupant.speakerTimeMs : undefined,
    },
    occupant.identity,
  );
}

/** One person's `all_occupants` entry: their first join, last leave and all their sessions. */
function personPayload(person: PersonRecord): OccupantPayload {
  return withIdentity(
    {
      occupant_jid: person.occupantJid,
      joined_at: person.joinedAt,
      left_at: person.leftAt,
      total_dominant_speaker_time: speakerTotalMs(person),
      sessions: person.sessions > 1 ? person.sessions : undefined,
    },
    person.identity,
  );
}

/** A payload under construction; `buildPayload` returns it read-only. */
type PayloadDraft = { -readonly [K in keyof RoomPayload]: RoomPayload[K] };

/** Builds the event name and JSON-ready payload of one room event. */
export function buildPayload(event: RoomEvent, meta: EventMeta, asJsonArray: AsJsonArray): BuiltEvent {
  const room = event.room;
  // A breakout room reports its main room as the room, and itself as breakout_room_id.
  const breakout = room.breakout;
  const payload: PayloadDraft = {
    event_name: EVENT_NAME_OF[event.kind],
    event_id: meta.eventId,
    event_timestamp_ms: meta.timestampMs,
    room_sequence: meta.sequence,
    room_name: breakout?.mainRoomName ?? room.roomName,
    room_jid: breakout?.mainRoomJid ?? room.roomJid,
    is_breakout: breakout !== undefined,
    breakout_room_id: breakout?.breakoutRoomId,
    meeting_id: room.meetingId,
  };
  switch (event.kind) {
    case "room-created":
      payload.created_at = room.createdAt;
      break;
    case "occupant-joined":
      payload.occupant = occupantPayload(event.occupant, false);
      payload.active_occupants_count = event.activeCount;
      break;
    case "occupant-left":
      payload.occupant = occupantPayload(event.occupant, true);
      payload.active_occupants_count = event.activeCount;
      payload.disconnect_reason = event.reason;
      break;
    case "room-destroyed": {
      const all: OccupantPayload[] = [];
      for (const person of room.attendance.listed) all.push(personPayload(person));
      payload.created_at = room.createdAt;
      payload.all_occupants_omitted = room.attendance.omitted > 0 ? room.attendance.omitted : undefined;
      payload.destroyed_at = event.destroyedAt;
      payload.all_occupants = asJsonArray(all);
      break;
    }
  }
  addExtra(payload, room.extraPayload);
  return { roomJid: room.roomJid, payload };
}
