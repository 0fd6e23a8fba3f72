/**
 * Tells Jitsi's infrastructure from people on one MUC host: Jicofo's focus (exclusions.ts),
 * and the service participants, Jigasi's SIP calls and transcriber and Jibri
 * (service_kinds.ts), read from an occupant's real JID and join presence as jitsi-meet's
 * `resources/prosody-plugins/util.lib.lua` reads them.
 */
import * as configmanager from "core.configmanager";
import { FocusRule, focusRule, isFocusOccupant } from "../exclusions";
import { OccupantKind } from "../occupant_traits";
import { isLeftOutKind, ServiceMarkers, serviceKindOf } from "../service_kinds";
import { ServiceOptions } from "../service_options";
import { KindOf } from "./occupant_reader";

const TRANSCRIBER_FEATURE = "http://jitsi.org/protocol/transcriber";
const JIBRI_FEATURE = "http://jitsi.org/protocol/jibri";
const JIGASI_NS = "http://jitsi.org/protocol/jigasi";

export interface ServiceParticipants {
  readonly kindOf: KindOf;
  /** Jicofo's focus occupant: never reported. */
  isFocus(this: void, occupant: MucOccupant): boolean;
  /** A recorder or transcriber while `exclude_service_participants` is on: not reported. */
  isLeftOut(this: void, occupant: MucOccupant): boolean;
}

/**
 * util.lib.lua is_transcriber_jigasi / is_sip_jibri_join / is_sip_jigasi, as markers. One walk
 * over the presence's children finds what `get_child("features")`, `get_child("initiator",
 * JIGASI_NS)` and `get_child_text("email")` would (each the first match, by util.stanza's rule:
 * without a namespace, a child in the presence's own namespace or none), instead of three.
 */
export function markersOf(realJid: string, presence: Stanza | undefined): ServiceMarkers {
  let features: Stanza | undefined;
  let jigasiInitiator = false;
  let emailTag: Stanza | undefined;
  if (presence !== undefined) {
    const ownNs = presence.attr.xmlns;
    for (const child of presence.tags) {
      const name = child.name;
      const ns = child.attr.xmlns;
      if (name === "features") {
        if (features === undefined && (ns === ownNs || ns === undefined)) features = child;
      } else if (name === "initiator") {
        if (ns === JIGASI_NS) jigasiInitiator = true;
      } else if (name === "email") {
        if (emailTag === undefined && (ns === ownNs || ns === undefined)) emailTag = child;
      }
    }
  }
  let transcriberFeature = false;
  let jibriFeature = false;
  if (features !== undefined) {
    for (const feature of features.childtags()) {
      if (feature.attr.var === TRANSCRIBER_FEATURE) transcriberFeature = true;
      if (feature.attr.var === JIBRI_FEATURE) jibriFeature = true;
    }
  }
  return { realJid, transcriberFeature, jibriFeature, jigasiInitiator, email: emailTag?.get_text() };
}

/** The bare JIDs of an `admins` option value (a list or a set-like table of JIDs). */
function jidsOf(value: unknown, into: string[]): void {
  if (typeof value !== "object") return;
  for (const [key, item] of pairs(value as LuaTable<AnyNotNil, unknown>)) {
    if (typeof item === "string") into.push(item);
    else if (item === true && typeof key === "string") into.push(key);
  }
}

/**
 * The admins of the MUC component itself (its own `admins` line, where Jitsi's configs name
 * Jicofo's account), not the server's global admins: a server admin joining a room from an
 * ordinary client, nick = account name, is a person. `module:get_option` would fall back to
 * the global `admins`; configmanager.rawget does not.
 */
export function adminsOf(muc: ProsodyModuleApi): string[] {
  const admins: string[] = [];
  jidsOf(configmanager.rawget(muc.host, "admins"), admins);
  return admins;
}

/** The rules for one MUC host (its `admins` may differ from another's). */
export function serviceParticipants(options: ServiceOptions, admins: readonly string[]): ServiceParticipants {
  const focus: FocusRule = focusRule(options.focusJids, admins);
  const kindOf = (realJid: string, presence: Stanza | undefined): OccupantKind =>
    serviceKindOf(markersOf(realJid, presence), options.prefixes);
  return {
    kindOf,
    isFocus: (occupant) => isFocusOccupant(occupant.jid, occupant.nick, focus),
    isLeftOut: (occupant) => options.excludeServiceParticipants && isLeftOutKind(kindOf(occupant.jid, occupant.get_presence())),
  };
}
