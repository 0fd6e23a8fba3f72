/**
 * What the admin shell's `event_sync` commands say and do, for one host's instance: the status
 * overview, and listing, replaying and discarding dead letters. Pure: it sees the dispatcher and
 * the durable stores through the small views below; src/prosody/admin_shell.ts registers it.
 */
import { DeadLetter, LetterSelector } from "./delivery/dead_letters";
import { Delivery } from "./delivery/types";

/** At most this many dead letters are listed (the rest are counted). */
export const LIST_LIMIT = 50;
/** Rooms shown in the status overview, those with the most undelivered events first. */
const STATUS_ROOMS = 10;

export interface AdminSources {
  readonly host: string;
  /** The API base URL as logged (no credentials, no query). */
  readonly api: string;
  readonly dispatcher: {
    undelivered(): number;
    backlog(): { readonly roomJid: string; readonly undelivered: number; readonly onWire: number }[];
    latestFailure(): { readonly atMs: number; readonly eventName: string; readonly roomJid: string; readonly reason: string } | undefined;
    replay(delivery: Delivery): void;
  };
  /** Undefined with `api_outbox = false`. */
  readonly durable?: {
    readonly outbox: { size(): number };
    readonly deadLetters: {
      count(): number;
      list(selector: LetterSelector, limit?: number): { letters: DeadLetter[]; more: number; error?: string };
      remove(keys: readonly string[]): { removed: number; error?: string };
    };
    /** Counts replayed events in the metrics. */
    readonly replayed: (this: void, count: number) => void;
    /** Writes the outbox now (a replayed event must be in it before its dead letter goes). */
    readonly flush: (this: void) => boolean;
    /** Whether the outbox holds a delivery in storage (or no longer needs to). */
    readonly holds: (this: void, delivery: Delivery) => boolean;
  };
  /** A line about the API connections, when the transport can tell. */
  readonly connections?: (this: void) => string;
}

export type Answer = { readonly ok: true; readonly lines: string[]; readonly summary: string } | { readonly ok: false; readonly error: string };

export function isoTime(ms: number): string {
  return os.date("!%Y-%m-%dT%H:%M:%SZ", math.floor(ms / 1000));
}

/** `all`, an event id, or a room JID (anything with an `@`). */
function selectorOf(text: string): LetterSelector {
  if (text === "all") return { kind: "all" };
  if (string.find(text, "@", 1, true)[0] !== undefined) return { kind: "room", roomJid: text };
  return { kind: "event", eventId: text };
}

function describeLetter(letter: DeadLetter): string {
  return `${isoTime(letter.deadAtMs)}  ${letter.delivery.eventId}  ${letter.delivery.eventName}  ${letter.delivery.roomJid}  attempts ${letter.attempts}: ${letter.error}`;
}

const noOutbox: Answer = { ok: false, error: "there are no dead letters with api_outbox = false" };

export class AdminCommands {
  constructor(private readonly sources: AdminSources) {}

  status(): string[] {
    const { host, api, dispatcher, durable, connections } = this.sources;
    const backlog = dispatcher.backlog();
    table.sort(backlog, (a, b) => a.undelivered > b.undelivered);
    let onWire = 0;
    for (const room of backlog) onWire += room.onWire;
    const lines = [
      `${host} posting to ${api}`,
      `  undelivered: ${dispatcher.undelivered()} in ${backlog.length} rooms (${onWire} on the wire)`,
      durable !== undefined
        ? `  outbox: ${durable.outbox.size()} events; dead letters: ${durable.deadLetters.count()}`
        : "  outbox: off (api_outbox = false): undelivered events are in memory only",
    ];
    if (connections !== undefined) lines.push(`  connections: ${connections()}`);
    for (let i = 0; i < backlog.length && i < STATUS_ROOMS; i++) {
      const room = backlog[i]!;
      lines.push(`    ${room.roomJid}: ${room.undelivered} undelivered, ${room.onWire} on the wire`);
    }
    if (backlog.length > STATUS_ROOMS) lines.push(`    … and ${backlog.length - STATUS_ROOMS} more rooms`);
    const failure = dispatcher.latestFailure();
    lines.push(failure === undefined ? "  last failure: none" : `  last failure: ${isoTime(failure.atMs)} ${failure.eventName} for ${failure.roomJid}: ${failure.reason}`);
    return lines;
  }

  deadLetters(selector = "all"): Answer {
    const durable = this.sources.durable;
    if (durable === undefined) return noOutbox;
    const listed = durable.deadLetters.list(selectorOf(selector), LIST_LIMIT);
    if (listed.error !== undefined) return { ok: false, error: `cannot read the dead letters: ${listed.error}` };
    const lines = listed.letters.map((letter) => describeLetter(letter));
    if (listed.more > 0) lines.push(`… and ${listed.more} more`);
    return { ok: true, lines, summary: `${listed.letters.length + listed.more} dead letters` };
  }

  /** Sends matching dead letters again, with their event ids and bodies, and removes them. */
  replay(selector: string): Answer {
    const durable = this.sources.durable;
    if (durable === undefined) return noOutbox;
    const listed = durable.deadLetters.list(selectorOf(selector));
    if (listed.error !== undefined) return { ok: false, error: `cannot read the dead letters: ${listed.error}` };
    // Into the outbox first, written, and only then out of the dead letters: a crash in
    // between sends it twice rather than never.
    for (const letter of listed.letters) {
      letter.delivery.attempts = 0;
      this.sources.dispatcher.replay(letter.delivery);
    }
    durable.replayed(listed.letters.length);
    durable.flush();
    if (!listed.letters.every((letter) => durable.holds(letter.delivery))) {
      return { ok: false, error: `${listed.letters.length} dead letters queued for delivery again, but the outbox could not be written: they stay dead letters too` };
    }
    const removal = durable.deadLetters.remove(listed.letters.map((letter) => letter.key));
    if (removal.error !== undefined) {
      return { ok: false, error: `${listed.letters.length} dead letters queued for delivery again; ${listed.letters.length - removal.removed} could not be removed (${removal.error})` };
    }
    return { ok: true, lines: [], summary: `${listed.letters.length} dead letters queued for delivery again` };
  }

  discard(selector: string): Answer {
    const durable = this.sources.durable;
    if (durable === undefined) return noOutbox;
    const listed = durable.deadLetters.list(selectorOf(selector));
    if (listed.error !== undefined) return { ok: false, error: `cannot read the dead letters: ${listed.error}` };
    const removal = durable.deadLetters.remove(listed.letters.map((letter) => letter.key));
    if (removal.error !== undefined) return { ok: false, error: `${removal.removed} of ${listed.letters.length} dead letters discarded; the rest could not be removed (${removal.error})` };
    return { ok: true, lines: [], summary: `${removal.removed} dead letters discarded` };
  }
}
