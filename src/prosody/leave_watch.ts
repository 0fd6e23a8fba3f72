/**
 * Gathers the clues to why an occupant left (see leave_reasons.ts): the status codes of the
 * unavailable presence the room broadcast for them (kicks, bans and affiliation changes leave
 * through `set_role`/`set_affiliation`, whose `muc-occupant-left` carries no stanza), and
 * whether the server is stopping.
 */
import { Log } from "../delivery/types";
import { DisconnectReason, leaveReason } from "../leave_reasons";
import { guarded } from "../safe";
import { forEachLocalHost } from "./local_hosts";
import { isDestroyed } from "./room_facts";


/** Codes of each leaving occupant's broadcast, until its `muc-occupant-left`. Weak: nothing lingers. */
const leavingCodes = setmetatable(new LuaTable<MucOccupant, LuaSet<string>>(), { __mode: "k" });

let serverStopping = false;

/**
 * Sessions ending without a clean close of their stream (`resource-unbind` with an error or
 * none), until the unavailable presence it causes reaches the room. Weak: nothing lingers.
 */
const lostSessions = setmetatable(new LuaTable<ProsodySession, true>(), { __mode: "k" });

function statusCodesOf(x: Stanza): LuaSet<string> | undefined {
  let codes: LuaSet<string> | undefined;
  // No namespace: Prosody builds the `<status/>`s without one, parsed ones inherit `<x/>`'s.
  for (const status of x.childtags("status")) {
    const code = status.attr.code;
    if (code !== undefined) {
      codes ??= new LuaSet<string>();
      codes.add(code);
    }
  }
  return codes;
}

/**
 * Watches the sessions of every VirtualHost end, before mod_presence (priority 0) makes them
 * leave their rooms: a session that did not close its stream lost its connection.
 */
export function watchSessionEnds(log: Log): void {
  forEachLocalHost(log, (host) => {
    module.context(host).hook<ResourceUnbindEvent>(
      "resource-unbind",
      guarded(log, "resource-unbind", ({ session, error }) => {
        if (error !== false) lostSessions.set(session, true);
      }),
      10,
    );
  });
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
  const { room, occupant, stanza, origin } = event;
  const codes = leavingCodes.get(occupant);
  leavingCodes.delete(occupant);
  return leaveReason({
    roomDestroying: isDestroyed(room),
    serverStopping,
    nickChange,
    statusCodes: codes,
    statusText: stanza?.get_child_text("status"),
    connectionLost: origin !== undefined && lostSessions.get(origin) === true,
    localClient: origin?.type === "c2s",
  });
}

/**
 * The new in-room JID when a `muc-occupant-left` is really a nick change: the presence that
 * caused it is available (not `unavailable`) and addressed to another nick in the same room.
 */
export function nickChangeTarget(occupant: MucOccupant, stanza: Stanza | undefined): string | undefined {
  if (stanza === undefined || stanza.name !== "presence" || stanza.attr.type !== undefined) return undefined;
  const to = stanza.attr.to;
  return to !== undefined && to !== occupant.nick ? to : undefined;
}
