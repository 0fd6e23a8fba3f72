/**
 * Why an occupant left (`disconnect_reason`), from what Prosody shows when it happens. Pure:
 * the wiring (prosody/leave_watch.ts) gathers the clues, this decides.
 *
 * How each path looks in Prosody 0.12 and 13 (`modules/muc/muc.lib.lua`, `mod_presence.lua`):
 * - the room is being destroyed: `room.destroying` is set before `clear()` makes everyone leave;
 * - a moderator kicks (set_role to none): the broadcast presence carries status 307;
 *   a ban (affiliation outcast) 301; an affiliation change 321; members-only 322;
 * - the occupant's server bounced a presence (`handle_kickable`): status 333;
 * - the session ended without a goodbye (connection dropped, timed out, stream error):
 *   `resource-unbind` fires with an error (or none: the connection just went away) but not
 *   `false` (the client closed its stream), then mod_presence sends an unavailable presence,
 *   whose status text is `Disconnected: <error>` when there was an error (trusted only from a
 *   remote user's server: a local client could write it itself);
 * - the server is stopping: mod_c2s closes every session (the wiring sees `server-stopping`);
 * - a nick change: the presence that ended the old nick is available and to another nick;
 * - Jitsi's clients moving between a main and a breakout room leave with status `switch_room`.
 */

export type DisconnectReason =
  | "left"
  | "switch_room"
  | "kicked"
  | "banned"
  | "removed"
  | "connection_lost"
  | "server_shutdown"
  | "room_destroyed"
  | "nick_change";

export interface LeaveClues {
  /** `room.destroying` was set: the room is being destroyed with them inside. */
  readonly roomDestroying: boolean;
  /** The server is stopping (`server-stopping` fired). */
  readonly serverStopping: boolean;
  /** The presence that ended their stay is an available one to another nick in the room. */
  readonly nickChange: boolean;
  /** Status codes of the unavailable presence the room broadcast for them, if seen. */
  readonly statusCodes?: LuaSet<string>;
  /** The `<status/>` text of the unavailable presence that made them leave, if any. */
  readonly statusText?: string;
  /** Their session ended without closing its stream (`resource-unbind` with an error or none). */
  readonly connectionLost?: boolean;
  /**
   * They are a client of this server: their session's end is known first-hand
   * (`connectionLost`), and a `Disconnected: …` status text is their own words, not their
   * server's. For remote users only that text tells.
   */
  readonly localClient?: boolean;
}

/** Status codes of the room's broadcast, most telling first (XEP-0045 §15.6). */
const CODE_REASONS: readonly (readonly [string, DisconnectReason])[] = [
  ["301", "banned"],
  ["307", "kicked"],
  ["321", "removed"],
  ["322", "removed"],
  ["333", "connection_lost"],
];

/** Jitsi's status text for a client moving between a main room and a breakout room. */
export const SWITCH_ROOM_STATUS = "switch_room";
/** mod_presence's status text when a session ends with an error (`Disconnected: <error>`). */
const DISCONNECTED_PREFIX = "Disconnected: ";

export function leaveReason(clues: LeaveClues): DisconnectReason {
  if (clues.roomDestroying) return "room_destroyed";
  if (clues.nickChange) return "nick_change";
  const codes = clues.statusCodes;
  if (codes !== undefined) {
    for (const [code, reason] of CODE_REASONS) if (codes.has(code)) return reason;
  }
  const text = clues.statusText;
  if (text === SWITCH_ROOM_STATUS) return "switch_room";
  if (clues.serverStopping) return "server_shutdown";
  if (clues.connectionLost === true) return "connection_lost";
  if (clues.localClient !== true && text !== undefined && string.sub(text, 1, DISCONNECTED_PREFIX.length) === DISCONNECTED_PREFIX) {
    return "connection_lost";
  }
  return "left";
}
