/**
 * Who attended a room, for `room/destroyed`'s `all_occupants`: one entry per person (real bare
 * JID), however often they rejoin or change nick, and at most MAX_ALL_OCCUPANTS entries of
 * about MAX_ALL_OCCUPANTS_BYTES in all; joins of people past that are only counted. Pure and
 * O(1) per join or leave, so one participant cannot grow a room's memory or its `destroyed`
 * body without limit.
 */
import { Identity } from "./identity";
import { MAX_ALL_OCCUPANTS, MAX_ALL_OCCUPANTS_BYTES } from "./limits";

/** JSON bytes of an entry besides its JID and identity (field names, times, counts). */
const ENTRY_OVERHEAD_BYTES = 160;

export interface PersonRecord {
  /** The real full JID of their first session. */
  readonly occupantJid: string;
  /** When they first joined. */
  readonly joinedAt: number;
  /** When they last left (the destroy time for those inside when the room is destroyed). */
  leftAt?: number;
  /** Their first session's identity (one with an identity, if a later one brought it). */
  identity?: Identity;
  /** Joins (and nick changes) of theirs since the room was created. */
  sessions: number;
  /** Jitsi speaking time (ms) of their sessions before the latest one's real JID. */
  speakerEarlierMs?: number;
  /** The real JID of their latest session that left, and its speaking time (Jitsi's running total). */
  speakerJid?: string;
  speakerLatestMs?: number;
}

export interface Attendance {
  /** Listed people by real bare JID. */
  readonly people: LuaMap<string, PersonRecord>;
  /** Listed people in the order they first joined. */
  readonly listed: PersonRecord[];
  /** Estimated JSON bytes of `listed`. */
  bytes: number;
  /** Joins of people not listed (the list was full). */
  omitted: number;
}

export function newAttendance(): Attendance {
  return { people: new LuaMap(), listed: [], bytes: 0, omitted: 0 };
}

/** The bare part of a real JID (`user@host` of `user@host/resource`). */
export function bareJidOf(jid: string): string {
  const [bare] = string.match(jid, "^([^/]*)");
  return bare ?? jid;
}

/**
 * Records a join: a person already listed gets one more session; a new person is listed while
 * the bounds allow, else only counted. Returns their entry, or undefined when not listed.
 */
export function attend(a: Attendance, occupantJid: string, identity: Identity | undefined, now: number): PersonRecord | undefined {
  const bareJid = bareJidOf(occupantJid);
  const known = a.people.get(bareJid);
  const identityBytes = identity?.bytes ?? 0;
  if (known !== undefined) {
    known.sessions += 1;
    if (known.identity === undefined && identity !== undefined && a.bytes + identityBytes <= MAX_ALL_OCCUPANTS_BYTES) {
      known.identity = identity;
      a.bytes += identityBytes;
    }
    return known;
  }
  const bytes = occupantJid.length + identityBytes + ENTRY_OVERHEAD_BYTES;
  if (a.listed.length >= MAX_ALL_OCCUPANTS || a.bytes + bytes > MAX_ALL_OCCUPANTS_BYTES) {
    a.omitted += 1;
    return undefined;
  }
  const person: PersonRecord = { occupantJid, joinedAt: now, identity, sessions: 1 };
  a.people.set(bareJid, person);
  a.listed.push(person);
  a.bytes += bytes;
  return person;
}

/**
 * Records that one of their sessions (real full JID `occupantJid`) left at `at`. Jitsi keeps a
 * running speaking total per real full JID, so a rejoin under the same JID replaces that
 * session's figure and a new JID adds to the earlier ones.
 */
export function recordLeave(person: PersonRecord, occupantJid: string, at: number, speakerMs: number | undefined): void {
  person.leftAt = person.leftAt === undefined ? at : math.max(person.leftAt, at);
  if (speakerMs === undefined) return;
  if (person.speakerJid !== undefined && person.speakerJid !== occupantJid) {
    person.speakerEarlierMs = (person.speakerEarlierMs ?? 0) + (person.speakerLatestMs ?? 0);
  }
  person.speakerJid = occupantJid;
  person.speakerLatestMs = speakerMs;
}

/** Their total speaking time (ms), undefined when speaker stats are not reported. */
export function speakerTotalMs(person: PersonRecord): number | undefined {
  if (person.speakerLatestMs === undefined) return undefined;
  return (person.speakerEarlierMs ?? 0) + person.speakerLatestMs;
}
