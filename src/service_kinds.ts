/**
 * Jitsi's service participants told apart from people, the way Jitsi's own Prosody modules do
 * it (jitsi-meet `resources/prosody-plugins/util.lib.lua`): Jibri and Jigasi's transcriber log
 * in with known accounts of the hidden domain (`recorder.<domain>`), a Jigasi SIP call carries
 * an `<initiator/>` in its presence, a SIP Jibri a Jibri feature and a known e-mail. Pure: the
 * wiring reads the presence into `ServiceMarkers`.
 */
import { OccupantKind } from "./occupant_traits";

/** util.lib.lua `RECORDER_PREFIXES` (option `recorder_prefixes`): Jibri's real JIDs. */
export const DEFAULT_RECORDER_PREFIXES: readonly string[] = ["recorder@recorder.", "jibria@recorder.", "jibrib@recorder."];
/** util.lib.lua `TRANSCRIBER_PREFIXES` (option `transcriber_prefixes`): Jigasi transcribers' real JIDs. */
export const DEFAULT_TRANSCRIBER_PREFIXES: readonly string[] = ["transcriber@recorder.", "transcribera@recorder.", "transcriberb@recorder."];
/** util.lib.lua `INBOUND_`/`OUTBOUND_SIP_JIBRI_PREFIXES`: the `<email/>` of a SIP Jibri's presence. */
const SIP_JIBRI_EMAIL_PREFIXES: readonly string[] = [
  "inbound-sip-jibri@",
  "sipjibriina@",
  "outbound-sip-jibri@",
  "sipjibriouta@",
  "sipjibrioutb@",
];

/** What Jitsi looks at in an occupant's real JID and join presence. */
export interface ServiceMarkers {
  readonly realJid: string;
  /** `<features><feature var="http://jitsi.org/protocol/transcriber"/>` (util.lib.lua is_transcriber_jigasi). */
  readonly transcriberFeature: boolean;
  /** `<features><feature var="http://jitsi.org/protocol/jibri"/>` (util.lib.lua is_sip_jibri_join). */
  readonly jibriFeature: boolean;
  /** `<initiator xmlns="http://jitsi.org/protocol/jigasi"/>` (util.lib.lua is_sip_jigasi). */
  readonly jigasiInitiator: boolean;
  /** The presence's `<email/>` text. */
  readonly email?: string;
}

/** The real-JID prefixes of Jibri and of Jigasi's transcriber accounts. */
export interface ServicePrefixes {
  readonly recorder: readonly string[];
  readonly transcriber: readonly string[];
}

/** util.lib.lua starts_with_one_of: a plain (not pattern) prefix test. */
function startsWithOneOf(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) {
    if (string.sub(text, 1, prefix.length) === prefix) return true;
  }
  return false;
}

/** A real JID of Jitsi's hidden domain (`recorder.<domain>`, where Jibri and Jigasi log in). */
function onHiddenDomain(realJid: string): boolean {
  return string.find(realJid, "^[^@/]*@recorder%.")[0] !== undefined;
}

/**
 * The kind of an occupant: a transcriber first (a transcribing Jigasi is no phone call), then
 * a SIP call (Jigasi's, or a SIP Jibri's: a phone call, not a recording), then Jibri recording
 * or streaming, else a person.
 */
export function serviceKindOf(markers: ServiceMarkers, prefixes: ServicePrefixes): OccupantKind {
  if (startsWithOneOf(markers.realJid, prefixes.transcriber)) return "transcriber";
  // The feature alone is anyone's to send: believed on Jitsi's hidden domain only, as
  // lib-jitsi-meet does (`isHiddenDomain && features.has(FEATURE_TRANSCRIBER)`).
  if (markers.transcriberFeature && onHiddenDomain(markers.realJid)) return "transcriber";
  if (markers.jigasiInitiator) return "sip";
  if (markers.jibriFeature && markers.email !== undefined && startsWithOneOf(markers.email, SIP_JIBRI_EMAIL_PREFIXES)) return "sip";
  if (startsWithOneOf(markers.realJid, prefixes.recorder)) return "recorder";
  return "participant";
}

/** Kinds `exclude_service_participants` leaves out of the occupant events: machines, not callers. */
export function isLeftOutKind(kind: OccupantKind | undefined): boolean {
  return kind === "recorder" || kind === "transcriber";
}
