/**
 * Pure builders for the JSON bodies the seed contract defines. Field names and types are the
 * contract: fields may be added, never removed or renamed.
 */
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
}

export interface RoomPayload {
  readonly event_name: EventName;
  readonly event_id: string;
  readonly event_timestamp_ms: number;
  readonly room_sequence: number;
  readonly room_name: string;
  readonly room_jid: string;
  readonly created_at?: number;
  readonly destroyed_at?: number;
  readonly all_occupants?: OccupantPayload[];
  readonly occupant?: OccupantPayload;
}

/** Marks a list so the JSON encoder writes `[]`, not `{}`, when it is empty. */
export type AsJsonArray = <T>(this: void, items: T[]) => T[];

export interface BuiltEvent {
  readonly name: EventName;
  readonly roomJid: string;
  readonly payload: RoomPayload;
}

function occupantPayload(occupant: OccupantRecord, withLeftAt: boolean): OccupantPayload {
  const identity = occupant.identity;
  return {
    occupant_jid: occupant.occupantJid,
    joined_at: occupant.joinedAt,
    left_at: withLeftAt ? occupant.leftAt : undefined,
    name: identity?.name,
    email: identity?.email,
    id: identity?.id,
  };
}

/** Builds the event name and JSON-ready payload of one room event. */
export function buildPayload(event: RoomEvent, meta: EventMeta, asJsonArray: AsJsonArray): BuiltEvent {
  const room = event.room;
  let payload: RoomPayload;
  switch (event.kind) {
    case "room-created":
      payload = {
        event_name: "muc-room-created",
        event_id: meta.eventId,
        event_timestamp_ms: meta.timestampMs,
        room_sequence: meta.sequence,
        room_name: room.roomName,
        room_jid: room.roomJid,
        created_at: room.createdAt,
      };
      break;
    case "occupant-joined":
      payload = {
        event_name: "muc-occupant-joined",
        event_id: meta.eventId,
        event_timestamp_ms: meta.timestampMs,
        room_sequence: meta.sequence,
        room_name: room.roomName,
        room_jid: room.roomJid,
        occupant: occupantPayload(event.occupant, false),
      };
      break;
    case "occupant-left":
      payload = {
        event_name: "muc-occupant-left",
        event_id: meta.eventId,
        event_timestamp_ms: meta.timestampMs,
        room_sequence: meta.sequence,
        room_name: room.roomName,
        room_jid: room.roomJid,
        occupant: occupantPayload(event.occupant, true),
      };
      break;
    case "room-destroyed": {
      const all: OccupantPayload[] = [];
      for (const occupant of room.history) all.push(occupantPayload(occupant, true));
      payload = {
        event_name: "muc-room-destroyed",
        event_id: meta.eventId,
        event_timestamp_ms: meta.timestampMs,
        room_sequence: meta.sequence,
        room_name: room.roomName,
        room_jid: room.roomJid,
        created_at: room.createdAt,
        destroyed_at: event.destroyedAt,
        all_occupants: asJsonArray(all),
      };
      break;
    }
  }
  return { name: payload.event_name, roomJid: room.roomJid, payload };
}
