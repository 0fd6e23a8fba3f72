/**
 * Reads an occupant's traits (role, affiliation, display name, participant id, kind) from
 * Prosody's occupant object and its presence; occupant_traits.ts turns them into our words.
 */
import { OccupantRecord } from "../rooms";
import { affiliationOf, displayNickOf, OccupantKind, OccupantTraits, participantIdOf, roleOf } from "../occupant_traits";

/** XEP-0172 User Nickname: the display name a client puts in its presence. */
const NICK_NS = "http://jabber.org/protocol/nick";

/** Decides an occupant's kind from their real JID and presence (service_participants.ts). */
export type KindOf = (this: void, realJid: string, presence: Stanza | undefined) => OccupantKind;

/** The XEP-0172 display name in a presence, bounded; undefined when it has none. */
export function displayNickIn(presence: Stanza | undefined): string | undefined {
  return displayNickOf(presence?.get_child_text("nick", NICK_NS));
}

/** The traits of an occupant inside `room`, read from its current (join) presence. */
export function traitsOf(room: MucRoom, occupant: MucOccupant, kindOf: KindOf): OccupantTraits {
  const presence = occupant.get_presence();
  return {
    role: roleOf(occupant.role),
    affiliation: affiliationOf(room.get_affiliation(occupant.bare_jid)),
    displayNick: displayNickIn(presence),
    participantId: participantIdOf(occupant.nick),
    kind: kindOf(occupant.jid, presence),
  };
}

/** The traits after a nick change: the same person under another in-room JID (and maybe name). */
export function renamedTraits(previous: OccupantRecord | undefined, newNick: string, presence: Stanza | undefined): OccupantTraits {
  return {
    role: roleOf(previous?.role),
    affiliation: affiliationOf(previous?.affiliation),
    displayNick: displayNickIn(presence) ?? previous?.traits?.displayNick,
    participantId: participantIdOf(newNick),
    kind: previous?.traits?.kind ?? "participant",
  };
}
