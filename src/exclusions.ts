/**
 * Rooms and occupants that are infrastructure, not people: Jicofo's health-check rooms and
 * Jicofo's own focus occupant. Reporting them would flood receivers with noise, and
 * operators of the Lua event_sync expect them to be skipped.
 */

const HEALTH_CHECK_ROOM_PREFIX = "__jicofo-health-check";
/** Jicofo's default account (`focus@auth.<domain>`) and MUC nick (`jicofo.xmpp.client.username`). */
const FOCUS_NODE = "focus";

/**
 * Who else is Jicofo: `focus_jids` (bare JIDs the operator named) and the accounts Prosody
 * calls admins (`admins` of the MUC component and the global one, as jitsi-meet's
 * util.lib.lua `is_admin` reads them), all lower-cased.
 */
export interface FocusRule {
  readonly jids: LuaSet<string>;
  readonly admins: LuaSet<string>;
}

/** True for Jicofo's health-check rooms (`__jicofo-health-check-<uuid>@conference...`). */
export function isHealthCheckRoom(roomJid: string): boolean {
  return string.sub(roomJid, 1, HEALTH_CHECK_ROOM_PREFIX.length) === HEALTH_CHECK_ROOM_PREFIX;
}

/** A rule from lists of bare JIDs (lower-cased: JID nodes and domains ignore case). */
export function focusRule(focusJids: readonly string[], admins: readonly string[]): FocusRule {
  const rule: FocusRule = { jids: new LuaSet(), admins: new LuaSet() };
  for (const jid of focusJids) rule.jids.add(string.lower(jid));
  for (const jid of admins) rule.admins.add(string.lower(jid));
  return rule;
}

/**
 * True for Jicofo's focus occupant: a real JID `focus@…` (Jicofo's default account), a bare
 * JID listed in `focus_jids`, or an admin account in the room under its own account name or
 * `focus` (Jicofo joins as `jicofo.xmpp.client.username`: jicofo ChatRoomImpl.kt `join()`;
 * a person's Jitsi Meet client joins under a random endpoint id).
 */
export function isFocusOccupant(realJid: string, inRoomJid?: string, rule?: FocusRule): boolean {
  const [node, domain] = string.match(realJid, "^([^@/]*)@([^/]*)");
  if (node === FOCUS_NODE) return true;
  if (rule === undefined || node === undefined || domain === undefined) return false;
  const bare = string.lower(`${node}@${domain}`);
  if (rule.jids.has(bare)) return true;
  if (!rule.admins.has(bare) || inRoomJid === undefined) return false;
  const [nick] = string.match(inRoomJid, "^[^/]*/(.*)$");
  return nick === node || nick === FOCUS_NODE;
}
