/**
 * Role and affiliation changes of occupants while inside: pure, on the tracker's records.
 */
import { Actor } from "./meeting_events";
import { OccupantAffiliation, OccupantRole } from "./occupant_traits";
import { RoomEvent, RoomFacts, RoomTracker, standingOf } from "./rooms";

/**
 * Records an occupant's role and affiliation as the room now has them, and returns a
 * `role-changed` event when either differs from what was recorded. Nothing for an occupant not
 * tracked (not yet joined, or leaving: a leave is not a role change).
 */
export function roleChange(
  tracker: RoomTracker,
  roomJid: string,
  facts: RoomFacts,
  nick: string,
  now: { readonly role: OccupantRole | undefined; readonly affiliation: OccupantAffiliation | undefined },
  actor: Actor | undefined,
  at: number,
): RoomEvent[] {
  const occupant = tracker.occupant(roomJid, nick);
  if (occupant === undefined || now.role === undefined) return [];
  if (occupant.role === now.role && occupant.affiliation === now.affiliation) return [];
  const previousRole = occupant.role;
  const previousAffiliation = occupant.affiliation;
  occupant.role = now.role;
  occupant.affiliation = now.affiliation;
  const events: RoomEvent[] = [];
  const room = tracker.room(roomJid, facts, at, events);
  events.push({ kind: "role-changed", room, occupant, standing: standingOf(occupant), previousRole, previousAffiliation, actor });
  return events;
}
