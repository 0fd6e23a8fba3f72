/**
 * The options about Jitsi's infrastructure occupants: who Jicofo is (`focus_jids`), how Jibri
 * and transcribers are recognised (Jitsi's own `recorder_prefixes`/`transcriber_prefixes`), and
 * whether they are reported at all (`exclude_service_participants`). Pure.
 */
import { OptionErrors, OptionReader, readBoolean, readStringList } from "./option_readers";
import { DEFAULT_RECORDER_PREFIXES, DEFAULT_TRANSCRIBER_PREFIXES, ServicePrefixes } from "./service_kinds";

export interface ServiceOptions {
  /** `focus_jids`: bare JIDs of Jicofo's accounts besides `focus@…`. */
  readonly focusJids: readonly string[];
  /** `exclude_service_participants`: leave recorders and transcribers out of the occupant events. */
  readonly excludeServiceParticipants: boolean;
  readonly prefixes: ServicePrefixes;
}

/** A list of bare JIDs (`user@domain`, no resource). */
function readBareJids(read: OptionReader, name: string, errors: OptionErrors): string[] {
  const jids = readStringList(read, name, errors) ?? [];
  for (const jid of jids) {
    if (string.find(jid, "^[^@/]+@[^@/]+$")[0] === undefined) {
      errors.add(name, `must list bare JIDs such as "focus@auth.example.com", got ${string.format("%q", jid)}`);
      return [];
    }
  }
  return jids;
}

/** Real-JID prefixes; an empty one would match everyone, so it is an error. */
function readPrefixes(read: OptionReader, name: string, errors: OptionErrors): string[] | undefined {
  const prefixes = readStringList(read, name, errors);
  if (prefixes === undefined) return undefined;
  for (const prefix of prefixes) {
    if (prefix === "") {
      errors.add(name, "has an empty prefix, which every JID starts with");
      return undefined;
    }
  }
  return prefixes;
}

export function readServiceOptions(read: OptionReader, errors: OptionErrors): ServiceOptions {
  return {
    focusJids: readBareJids(read, "focus_jids", errors),
    excludeServiceParticipants: readBoolean(read, "exclude_service_participants", false, errors),
    prefixes: {
      recorder: readPrefixes(read, "recorder_prefixes", errors) ?? DEFAULT_RECORDER_PREFIXES,
      transcriber: readPrefixes(read, "transcriber_prefixes", errors) ?? DEFAULT_TRANSCRIBER_PREFIXES,
    },
  };
}
