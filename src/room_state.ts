/**
 * The data a room's tracking keeps and hands out: occupants, rooms, the events made of them.
 * Plain tables (they survive `module:reload` through `module.save`).
 */
import { Attendance, PersonRecord } from "./attendance";
import { Identity } from "./identity";
import { JibriMemory } from "./jibri_sessions";
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
  /** Jibri sessions Jicofo announced here (jibri_sessions.ts), once it announced one. */
  jibri?: JibriMemory;
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
