/**
 * The parts of a room's journal record beyond its occupants: the Jibri sessions on and the
 * people waiting in its lobby, so that a crash closes them too (crash_recovery.ts). Pure.
 */
import { storedIdentity } from "./identity";
import { JibriMemory, JibriMode, newJibriMemory } from "./jibri_sessions";
import { LobbyVisitor } from "./meeting_events";
import { RoomState } from "./room_state";

/** A Jibri session that was on, as kept. */
export interface JournaledSession {
  readonly session_id: string;
  readonly mode: JibriMode;
}

/** Someone waiting in the lobby, as kept (the seed's identity fields, no user context). */
export interface JournaledVisitor {
  readonly lobby_nick: string;
  readonly occupant_jid: string;
  readonly joined_at: number;
  readonly participant_id?: string;
  readonly nick?: string;
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
}

export interface JournaledMeeting {
  readonly jibri?: JournaledSession[];
  readonly lobby?: JournaledVisitor[];
}

export function meetingRecordOf(room: RoomState): JournaledMeeting {
  let jibri: JournaledSession[] | undefined;
  for (const session of room.jibri?.live ?? []) {
    if (session.on && session.mode !== undefined) {
      jibri ??= [];
      jibri.push({ session_id: session.sessionId, mode: session.mode });
    }
  }
  let lobby: JournaledVisitor[] | undefined;
  for (const [lobbyNick, visitor] of room.lobby ?? new LuaMap<string, LobbyVisitor>()) {
    lobby ??= [];
    const identity = visitor.identity;
    lobby.push({
      lobby_nick: lobbyNick,
      occupant_jid: visitor.occupantJid,
      joined_at: visitor.joinedAt,
      participant_id: visitor.participantId,
      nick: visitor.displayNick,
      id: identity?.id,
      name: identity?.name,
      email: identity?.email,
    });
  }
  return { jibri, lobby };
}

/** Puts a record's sessions and lobby back on a rebuilt room (fields of older records absent). */
export function restoreMeeting(room: RoomState, record: JournaledMeeting): void {
  if (typeof record.jibri === "object") {
    const memory: JibriMemory = newJibriMemory();
    for (const session of record.jibri) memory.live.push({ sessionId: session.session_id, mode: session.mode, on: true });
    room.jibri = memory;
  }
  if (typeof record.lobby === "object") {
    const lobby = new LuaMap<string, LobbyVisitor>();
    for (const stored of record.lobby) {
      lobby.set(stored.lobby_nick, {
        occupantJid: stored.occupant_jid,
        joinedAt: stored.joined_at,
        participantId: stored.participant_id,
        displayNick: stored.nick,
        identity: storedIdentity(stored),
      });
    }
    room.lobby = lobby;
  }
}
