/**
 * What kind of occupant someone is and how they stand in the room: role, affiliation, the
 * display name their client sent, their participant id. Pure: the Prosody wiring reads the
 * raw values (`occupant.role`, `room:get_affiliation()`, the join presence) and this module
 * turns them into the payload's words, so specs cover the mapping without Prosody.
 */
import { truncateUtf8 } from "./json_values";
import { MAX_CLAIM_BYTES } from "./limits";

/** XEP-0045 roles an occupant can have while inside. */
export type OccupantRole = "moderator" | "participant" | "visitor";
/** XEP-0045 affiliations; `none` when the room has none for them (outcasts cannot be inside). */
export type OccupantAffiliation = "owner" | "admin" | "member" | "none";
/** People, and Jitsi's service participants: Jigasi (`sip`), its transcriber, Jibri (`recorder`). */
export type OccupantKind = "participant" | "sip" | "transcriber" | "recorder";

export interface OccupantTraits {
  /** Role at join; the occupant record follows later changes. */
  readonly role?: OccupantRole;
  readonly affiliation?: OccupantAffiliation;
  /** XEP-0172 `<nick/>` of their join presence, client-provided, at most MAX_CLAIM_BYTES. */
  readonly displayNick?: string;
  /** The in-room JID's resource: in Jitsi, the endpoint id the other clients see. */
  readonly participantId: string;
  readonly kind: OccupantKind;
}

const ROLES = new LuaSet<string>();
for (const role of ["moderator", "participant", "visitor"]) ROLES.add(role);
const AFFILIATIONS = new LuaSet<string>();
for (const affiliation of ["owner", "admin", "member", "none"]) AFFILIATIONS.add(affiliation);

/** Prosody's `occupant.role` as a payload role; undefined for `none`/nil (not inside) or junk. */
export function roleOf(value: unknown): OccupantRole | undefined {
  return typeof value === "string" && ROLES.has(value) ? (value as OccupantRole) : undefined;
}

/** `room:get_affiliation(jid)` as a payload affiliation: nil is `none`; `outcast` and junk undefined. */
export function affiliationOf(value: unknown): OccupantAffiliation | undefined {
  if (value === undefined) return "none";
  return typeof value === "string" && AFFILIATIONS.has(value) ? (value as OccupantAffiliation) : undefined;
}

/** The resource of an in-room JID (`room@muc/abcd1234` → `abcd1234`); the JID itself without one. */
export function participantIdOf(inRoomJid: string): string {
  const [resource] = string.match(inRoomJid, "^[^/]*/(.*)$");
  return resource ?? inRoomJid;
}

/** A client-sent display name, bounded; undefined when absent or empty. */
export function displayNickOf(text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  return truncateUtf8(text, MAX_CLAIM_BYTES);
}
