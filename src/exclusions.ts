/**
 * Rooms and occupants that are infrastructure, not people: Jicofo's health-check rooms and
 * Jicofo's own `focus` occupant. Reporting them would flood receivers with noise, and
 * operators of the Lua event_sync expect them to be skipped.
 */

const HEALTH_CHECK_ROOM_PREFIX = "__jicofo-health-check";
const FOCUS_NODE = "focus";

/** True for Jicofo's health-check rooms (`__jicofo-health-check-<uuid>@conference...`). */
export function isHealthCheckRoom(roomJid: string): boolean {
  return string.sub(roomJid, 1, HEALTH_CHECK_ROOM_PREFIX.length) === HEALTH_CHECK_ROOM_PREFIX;
}

/** True for Jicofo's focus occupant, whose real JID is `focus@auth.<domain>/...`. */
export function isFocusOccupant(realJid: string): boolean {
  const [node] = string.match(realJid, "^([^@/]*)@");
  return node === FOCUS_NODE;
}
