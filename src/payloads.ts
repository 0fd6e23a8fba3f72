/**
 * Pure builders for the JSON bodies the seed contract defines. Field names and types are the
 * contract: fields may be added, never removed or renamed.
 */
import { OccupantRecord, RoomEvent } from "./rooms";

export type EventName = "muc-room-created" | "muc-room-destroyed" | "muc-occupant-joined" | "muc-occupant-left";

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
export function buildPayload(event: RoomEvent, asJsonArray: AsJsonArray): BuiltEvent {
  const room = event.room;
  let payload: RoomPayload;
  switch (event.kind) {
    case "room-created":
      payload = {
        event_name: "muc-room-created",
        room_name: room.roomName,
        room_jid: room.roomJid,
        created_at: room.createdAt,
      };
      break;
    case "occupant-joined":
      payload = {
        event_name: "muc-occupant-joined",
        room_name: room.roomName,
        room_jid: room.roomJid,
        occupant: occupantPayload(event.occupant, false),
      };
      break;
    case "occupant-left":
      payload = {
        event_name: "muc-occupant-left",
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
