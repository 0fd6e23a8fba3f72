/**
 * Jitsi's lobby (`mod_muc_lobby_rooms`): people waiting to be let into a members-only room.
 * Pure: the wiring (prosody/lobby_watch.ts) reads the lobby room's Prosody events, this
 * decides who counts as waiting, why they stopped, and records them on the MAIN room's state,
 * so their `lobby/joined` and `lobby/left` take the main room's sequence.
 */
import { DisconnectReason } from "./leave_reasons";
import { LobbyVisitor } from "./meeting_events";
import { RoomEvent, RoomFacts, RoomTracker } from "./rooms";

/** `disconnect_reason` of `lobby/left`. */
export type LobbyLeaveReason = "admitted" | "denied" | "left" | "room_destroyed";

/** What the wiring saw when someone left a lobby room. */
export interface LobbyLeaveClues {
  /** Their leave as for any room (leave_reasons.ts): destroyed room, kick (307), ban (301), ... */
  readonly leave: DisconnectReason;
  /** The main room made them a member (or better), or they are inside it already. */
  readonly admitted: boolean;
}

/**
 * Why someone stopped waiting. The lobby room destroyed (lobby turned off, main room
 * destroyed) first; then a kick or ban from the lobby room (Jitsi's "deny"); then membership
 * of the main room (Jitsi's "admit" invites them, which makes them a member); else they left.
 */
export function lobbyLeaveReason(clues: LobbyLeaveClues): LobbyLeaveReason {
  if (clues.leave === "room_destroyed") return "room_destroyed";
  if (clues.leave === "kicked" || clues.leave === "banned") return "denied";
  return clues.admitted ? "admitted" : "left";
}

/** A main-room affiliation that lets someone in past the lobby. */
export function isAdmittedAffiliation(affiliation: string | undefined): boolean {
  return affiliation === "member" || affiliation === "admin" || affiliation === "owner";
}

/**
 * Whether a lobby occupant is a moderator watching the lobby, not someone waiting: Jitsi's
 * moderators join the lobby room too, with their main-room affiliation (owner) and so the
 * moderator role.
 */
export function isLobbyModerator(role: string | undefined, mainAffiliation: string | undefined): boolean {
  return role === "moderator" || mainAffiliation === "owner" || mainAffiliation === "admin";
}

/**
 * Someone knocked: records them on the main room (tracked from now on if it was not) and
 * returns its `lobby/joined`. Nothing when that in-lobby JID is already recorded.
 */
export function lobbyKnocked(
  tracker: RoomTracker,
  mainRoomJid: string,
  facts: RoomFacts,
  lobbyNick: string,
  visitor: LobbyVisitor,
): RoomEvent[] {
  const events: RoomEvent[] = [];
  const room = tracker.room(mainRoomJid, facts, visitor.joinedAt, events);
  room.lobby ??= new LuaMap();
  if (room.lobby.has(lobbyNick)) return events;
  room.lobby.set(lobbyNick, visitor);
  events.push({ kind: "lobby-joined", room, visitor });
  return events;
}

/**
 * Someone stopped waiting: returns the main room's `lobby/left` and forgets them. Nothing for
 * someone not recorded (a moderator, a knock not seen) or once the main room is no longer
 * tracked (its `destroyed` was reported).
 */
export function lobbyLeft(
  tracker: RoomTracker,
  mainRoomJid: string,
  facts: RoomFacts,
  lobbyNick: string,
  reason: LobbyLeaveReason,
  now: number,
): RoomEvent[] {
  const visitor = tracker.table().get(mainRoomJid)?.lobby?.get(lobbyNick);
  if (visitor === undefined) return [];
  const events: RoomEvent[] = [];
  const room = tracker.room(mainRoomJid, facts, now, events);
  room.lobby?.delete(lobbyNick);
  events.push({ kind: "lobby-left", room, visitor: { ...visitor, leftAt: now }, reason });
  return events;
}

/**
 * Someone waiting changed their nick in the lobby room (Prosody's nick change is a
 * `muc-occupant-left` of the old one): still waiting, under the new in-lobby JID. No event.
 */
export function lobbyRenamed(tracker: RoomTracker, mainRoomJid: string, lobbyNick: string, newNick: string): void {
  const lobby = tracker.table().get(mainRoomJid)?.lobby;
  const visitor = lobby?.get(lobbyNick);
  if (lobby === undefined || visitor === undefined) return;
  lobby.delete(lobbyNick);
  lobby.set(newNick, visitor);
}
