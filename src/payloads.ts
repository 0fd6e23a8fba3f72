/**
 * Pure builders for the JSON bodies the seed contract defines. Field names and types are the
 * contract: fields may be added, never removed or renamed.
 */
import { EVENT_NAMES, EVENT_PATHS, EventName } from "./event_names";
import { ActorPayload, actorPayload, addExtra, OccupantPayload, occupantPayload, personPayload, visitorPayload } from "./payload_occupants";
import { RoomEvent, RoomState } from "./rooms";

export { EVENT_NAMES, EVENT_PATHS, EventName };

/** The event name each tracker event is reported under. */
export function eventNameOf(event: RoomEvent): EventName {
  switch (event.kind) {
    case "room-created":
      return "muc-room-created";
    case "occupant-joined":
      return "muc-occupant-joined";
    case "occupant-left":
      return "muc-occupant-left";
    case "room-destroyed":
      return "muc-room-destroyed";
    case "role-changed":
      return "muc-occupant-role-changed";
    case "lobby-joined":
      return "muc-lobby-joined";
    case "lobby-left":
      return "muc-lobby-left";
    case "jibri-started":
      return event.session.mode === "stream" ? "muc-live-stream-started" : "muc-recording-started";
    case "jibri-stopped":
      return event.session.mode === "stream" ? "muc-live-stream-stopped" : "muc-recording-stopped";
  }
}

/** What identifies one event to a receiver: the same on every retry. */
export interface EventMeta {
  /** Random UUID v4. */
  readonly eventId: string;
  /** When the event happened, Unix milliseconds. */
  readonly timestampMs: number;
  /** 1, 2, 3, … per room, in the order the room's events happened. */
  readonly sequence: number;
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
  /** The breakout room's display name (Jitsi's subject for it), when known. */
  readonly breakout_room_name?: string;
  /** Jitsi's meeting id of the room named by room_jid, when known. */
  readonly meeting_id?: string;
  /** Occupants inside after a join or leave (the one who left not counted). */
  readonly active_occupants_count?: number;
  /** On `occupant/left` and `lobby/left`: why (README lists the values). */
  readonly disconnect_reason?: string;
  /** On `occupant/role-changed`: what the occupant was before, and who changed it. */
  readonly previous_role?: string;
  readonly previous_affiliation?: string;
  readonly actor?: ActorPayload;
  /** On recording and live-stream events: Jibri's session, as Jicofo announced it. */
  readonly session_id?: string;
  readonly recording_mode?: string;
  readonly initiator?: ActorPayload;
  readonly failure_reason?: string;
  /** On recording and live-stream stops: `off`, `focus_left` or `room_destroyed`. */
  readonly stop_reason?: string;
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
  /**
   * The delivery queue the event goes into: the main room's JID for a breakout room's events
   * too, so that a meeting's events reach the API in the order they happened (a breakout
   * room's leaves and destroyed before the main room's destroyed when a meeting is ended).
   */
  readonly roomJid: string;
  readonly payload: RoomPayload;
}

/** The delivery queue a room's events go into (see BuiltEvent.roomJid). */
export function queueJidOf(room: RoomState): string {
  return room.breakout?.mainRoomJid ?? room.roomJid;
}

/** A payload under construction; `buildPayload` returns it read-only. */
type PayloadDraft = { -readonly [K in keyof RoomPayload]: RoomPayload[K] };

/** Builds the event name and JSON-ready payload of one room event. */
export function buildPayload(event: RoomEvent, meta: EventMeta, asJsonArray: AsJsonArray): BuiltEvent {
  const room = event.room;
  // A breakout room reports its main room as the room, and itself as breakout_room_id.
  const breakout = room.breakout;
  const payload: PayloadDraft = {
    event_name: eventNameOf(event),
    event_id: meta.eventId,
    event_timestamp_ms: meta.timestampMs,
    room_sequence: meta.sequence,
    room_name: breakout?.mainRoomName ?? room.roomName,
    room_jid: breakout?.mainRoomJid ?? room.roomJid,
    is_breakout: breakout !== undefined,
    breakout_room_id: breakout?.breakoutRoomId,
    breakout_room_name: breakout !== undefined ? room.breakoutName : undefined,
    meeting_id: room.meetingId,
  };
  switch (event.kind) {
    case "room-created":
      payload.created_at = room.createdAt;
      break;
    case "occupant-joined":
      payload.occupant = occupantPayload(event.occupant, event.standing, false);
      payload.active_occupants_count = event.activeCount;
      break;
    case "occupant-left":
      payload.occupant = occupantPayload(event.occupant, event.standing, true);
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
    case "role-changed":
      payload.occupant = occupantPayload(event.occupant, event.standing, false);
      payload.previous_role = event.previousRole;
      payload.previous_affiliation = event.previousAffiliation;
      payload.actor = actorPayload(event.actor);
      break;
    case "lobby-joined":
      payload.occupant = visitorPayload(event.visitor);
      break;
    case "lobby-left":
      payload.occupant = visitorPayload(event.visitor);
      payload.disconnect_reason = event.reason;
      break;
    case "jibri-started":
    case "jibri-stopped":
      payload.session_id = event.session.sessionId;
      payload.recording_mode = event.session.mode;
      payload.initiator = actorPayload(event.session.initiator);
      payload.failure_reason = event.session.failureReason;
      payload.stop_reason = event.session.stopReason;
      break;
  }
  addExtra(payload, room.extraPayload);
  return { roomJid: queueJidOf(room), payload };
}
