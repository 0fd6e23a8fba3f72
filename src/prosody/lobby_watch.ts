/**
 * `lobby/joined` and `lobby/left`: watches the rooms of Jitsi's lobby component
 * (mod_muc_lobby_rooms). A lobby room is `<main room node>@<lobby host>`, tied to its main
 * room by `main_room_jid` (older Jitsi: `main_room`). Signals (lobby.ts decides):
 * - knock: `muc-occupant-joined` in a lobby room, unless a moderator of the main room;
 * - denied: the lobby room broadcasts their leave with status 307 (Jitsi's deny is a kick);
 * - admitted: at their lobby `muc-occupant-left` they are a member of the main room (Jitsi's
 *   admit is an invite, which members-only turns into membership) or inside it;
 * - room_destroyed: the lobby room is being destroyed (lobby turned off, or the main room
 *   destroyed: Jitsi destroys the lobby room then, before our `destroyed` of the main room);
 * - left: anything else.
 * The lobby room itself and its occupants are never reported as a room or occupants.
 */
import { isFocusOccupant, isHealthCheckRoom } from "../exclusions";
import { IdentityCache } from "../identity";
import { isAdmittedAffiliation, isLobbyModerator, lobbyKnocked, lobbyLeaveReason, lobbyLeft, lobbyRenamed } from "../lobby";
import { participantIdOf } from "../occupant_traits";
import { roomNameOf, RoomTracker } from "../rooms";
import { FirstSightBuffer } from "./first_sight";
import { nickChangeTarget, noteLeaving, reasonOf } from "./leave_watch";
import { displayNickIn } from "./occupant_reader";
import { isDestroyed, roomFactsOf } from "./room_facts";

export interface LobbyWatchDeps {
  readonly tracker: RoomTracker;
  readonly now: (this: void) => number;
  readonly identities: IdentityCache;
  /** The main MUC's buffer (undefined until that host is active): one sequence per room. */
  readonly mainRooms: (this: void) => FirstSightBuffer | undefined;
}

/** Hooks placed on the lobby host, at the priorities the main MUC's use. */
export type HookOn = <E>(name: string, priority: number, handler: (this: void, event: E) => void) => void;

/** The live main room of a lobby room on `mucHost`, if any. */
function mainRoomOf(lobbyRoom: MucRoom, mucHost: string): MucRoom | undefined {
  const jid = lobbyRoom.main_room_jid ?? lobbyRoom.main_room?.jid ?? `${roomNameOf(lobbyRoom.jid)}@${mucHost}`;
  const muc = hosts.get(mucHost)?.modules.get("muc") as MucModule | undefined;
  const main = muc?.get_room_from_jid?.(jid);
  return main !== undefined && !isHealthCheckRoom(main.jid) ? main : undefined;
}

/** Whether the main room lets them in: a member (or better), or already inside. */
function admitted(main: MucRoom, occupant: MucOccupant): boolean {
  if (isAdmittedAffiliation(main.get_affiliation(occupant.bare_jid))) return true;
  return main.get_occupant_by_real_jid?.(occupant.jid) !== undefined;
}

/** Reports the lobby rooms of one lobby host as events of their main rooms on `mucHost`. */
export function watchLobby(on: HookOn, mucHost: string, priorities: { readonly event: number; readonly left: number }, deps: LobbyWatchDeps): void {
  const { tracker, now, identities, mainRooms } = deps;
  on<MucOccupantJoinedEvent>("muc-occupant-joined", priorities.event, ({ room, occupant, origin }) => {
    const main = mainRoomOf(room, mucHost);
    const buffer = mainRooms();
    if (main === undefined || buffer === undefined || isDestroyed(main) || isDestroyed(room) || isFocusOccupant(occupant.bare_jid)) return;
    if (isLobbyModerator(occupant.role, main.get_affiliation(occupant.bare_jid))) return;
    const visitor = {
      occupantJid: occupant.jid,
      participantId: participantIdOf(occupant.nick),
      displayNick: displayNickIn(occupant.get_presence()),
      identity: identities.of(origin),
      joinedAt: now(),
    };
    buffer.publish(main.jid, lobbyKnocked(tracker, main.jid, roomFactsOf(main, undefined), occupant.nick, visitor));
  });
  // A kick (deny) leaves through set_role, whose `muc-occupant-left` has no stanza: its 307 is here.
  on<MucBroadcastPresenceEvent>("muc-broadcast-presence", priorities.event, (event) => {
    if (event.occupant.role === undefined) noteLeaving(event);
  });
  on<MucOccupantLeftEvent>("muc-occupant-left", priorities.left, (event) => {
    const { room, occupant } = event;
    const newNick = nickChangeTarget(occupant, event.stanza);
    const leave = reasonOf(event, newNick !== undefined); // consumes the noted codes, reported or not
    const main = mainRoomOf(room, mucHost);
    const buffer = mainRooms();
    if (main === undefined || buffer === undefined) return;
    if (newNick !== undefined) {
      lobbyRenamed(tracker, main.jid, occupant.nick, newNick);
      return;
    }
    const reason = lobbyLeaveReason({ leave, admitted: leave !== "room_destroyed" && admitted(main, occupant) });
    buffer.publish(main.jid, lobbyLeft(tracker, main.jid, roomFactsOf(main, undefined), occupant.nick, reason, now()));
  });
}
