/**
 * The room events beyond the seed's four (role changes, the lobby, Jibri sessions): what the
 * wiring hands the pipeline. Each belongs to one room and takes the next number of its sequence.
 */
import { Identity } from "./identity";
import { OccupantRecord, RoomState, Standing } from "./rooms";

/** Who did something (changed a role, started a recording): real JID and JWT identity. */
export interface Actor {
  /** The actor's real JID, when known. */
  readonly jid?: string;
  readonly identity?: Identity;
}

/** Someone waiting in (or leaving) a Jitsi lobby. */
export interface LobbyVisitor {
  /** Their real full JID. */
  readonly occupantJid: string;
  /** Their in-lobby JID's resource. */
  readonly participantId?: string;
  /** The XEP-0172 nick they sent (client-provided). */
  readonly displayNick?: string;
  readonly identity?: Identity;
  /** When they knocked, Unix seconds. */
  readonly joinedAt: number;
  /** When they stopped waiting (lobby/left). */
  readonly leftAt?: number;
}

/** One Jibri session Jicofo announced in its presence (`jibri-recording-status`). */
export interface JibriSession {
  readonly sessionId: string;
  /** `file` (a recording) or `stream` (a live stream). */
  readonly mode: "file" | "stream";
  readonly initiator?: Actor;
  readonly failureReason?: string;
  /** On a stop: `off` (Jicofo said so), `focus_left` or `room_destroyed` (see jibri_sessions.ts). */
  readonly stopReason?: string;
}

/** The events beyond the seed's four; each belongs to one room and takes its sequence. */
export type MeetingEvent =
  | {
      readonly kind: "role-changed";
      readonly room: RoomState;
      readonly occupant: OccupantRecord;
      /** Their role and affiliation after this change. */
      readonly standing: Standing;
      readonly previousRole?: string;
      readonly previousAffiliation?: string;
      readonly actor?: Actor;
    }
  | { readonly kind: "lobby-joined"; readonly room: RoomState; readonly visitor: LobbyVisitor }
  | { readonly kind: "lobby-left"; readonly room: RoomState; readonly visitor: LobbyVisitor; readonly reason: string }
  | { readonly kind: "jibri-started" | "jibri-stopped"; readonly room: RoomState; readonly session: JibriSession };
