/**
 * `occupant/role-changed`: watches the presences a room broadcasts (every role or affiliation
 * change is broadcast, `muc.lib.lua` set_role and set_affiliation) and reports a change of
 * an occupant's role or affiliation, with who made it.
 */
import { IdentityCache } from "../identity";
import { Actor } from "../meeting_events";
import { affiliationOf, roleOf } from "../occupant_traits";
import { roleChange } from "../role_changes";
import { RoomTracker } from "../rooms";
import { FirstSightBuffer } from "./first_sight";
import { roomFactsOf } from "./room_facts";

export interface RoleWatchDeps {
  readonly tracker: RoomTracker;
  readonly now: (this: void) => number;
  readonly identities: IdentityCache;
}

/** The actor of a broadcast: a real JID (and its session's identity); nothing when the server did it. */
function actorOf(actor: string | true | undefined, identities: IdentityCache): Actor | undefined {
  if (typeof actor !== "string") return undefined;
  return { jid: actor, identity: identities.of(prosody.full_sessions.get(actor)) };
}

/**
 * Returns the handler for the broadcast presence of an occupant who stays inside: reports a
 * change of their role or affiliation.
 */
export function roleWatcher(mainMucHost: string | undefined, rooms: FirstSightBuffer, deps: RoleWatchDeps): (this: void, event: MucBroadcastPresenceEvent) => void {
  const { tracker, now, identities } = deps;
  return ({ room, occupant, actor }) => {
    const current = tracker.occupant(room.jid, occupant.nick);
    if (current === undefined) return; // joining (reported by muc-occupant-joined), or not reported
    const role = roleOf(occupant.role);
    const affiliation = affiliationOf(room.get_affiliation(occupant.bare_jid));
    if (current.role === role && current.affiliation === affiliation) return;
    const facts = roomFactsOf(room, mainMucHost);
    rooms.publish(room.jid, roleChange(tracker, room.jid, facts, occupant.nick, { role, affiliation }, actorOf(actor, identities), now()));
  };
}
