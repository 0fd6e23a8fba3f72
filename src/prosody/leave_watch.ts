/**
 * Gathers the clues to why an occupant left (see leave_reasons.ts): the status codes of the
 * unavailable presence the room broadcast for them (kicks, bans and affiliation changes leave
 * through `set_role`/`set_affiliation`, whose `muc-occupant-left` carries no stanza), and
 * whether the server is stopping.
 */
import { Log } from "../delivery/types";
import { DisconnectReason, leaveReason } from "../leave_reasons";
import { guarded } from "../safe";

const MUC_USER_NS = "http://jabber.org/protocol/muc#user";

/** Codes of each leaving occupant's broadcast, until its `muc-occupant-left`. Weak: nothing lingers. */
const leavingCodes = setmetatable(new LuaTable<MucOccupant, LuaSet<string>>(), { __mode: "k" });

let serverStopping = false;

function statusCodesOf(x: Stanza): LuaSet<string> | undefined {
  let codes: LuaSet<string> | undefined;
  for (const status of x.childtags("status", MUC_USER_NS)) {
    const code = status.attr.code;
    if (code !== undefined) {
      codes ??= new LuaSet<string>();
      codes.add(code);
    }
  }
  return codes;
}

/** Watches the server stopping (once per load of the module). */
export function watchServerStopping(log: Log): void {
  serverStopping = false;
  // Before mod_c2s closes the sessions (priority 0 and -80), so their leaves are seen as shutdown.
  module.hook_global(
    "server-stopping",
    guarded(log, "server-stopping", () => {
      serverStopping = true;
    }),
    1000,
  );
}

/**
 * Remembers the status codes of an unavailable presence the room broadcasts for a leaving
 * occupant (`occupant.role` is nil by then), for its `muc-occupant-left`.
 */
export function noteLeaving(event: MucBroadcastPresenceEvent): void {
  const codes = statusCodesOf(event.x);
  if (codes !== undefined) leavingCodes.set(event.occupant, codes);
}

/** Why the occupant of this `muc-occupant-left` left. */
export function reasonOf(event: MucOccupantLeftEvent, nickChange: boolean): DisconnectReason {
  const { room, occupant, stanza } = event;
  const codes = leavingCodes.get(occupant);
  leavingCodes.delete(occupant);
  return leaveReason({
    roomDestroying: room.destroying !== undefined && room.destroying !== false,
    serverStopping,
    nickChange,
    statusCodes: codes,
    statusText: stanza?.get_child_text("status"),
  });
}
