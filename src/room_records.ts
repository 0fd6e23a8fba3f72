/**
 * The records the rooms' journal (room_journal.ts) writes and reads back: what is kept of a room
 * and of each person inside, and the room rebuilt from them after a crash. Pure.
 */
import { attend, newAttendance } from "./attendance";
import { storedIdentity } from "./identity";
import { beginText, endText, put, putNumberField, putString, putStringField } from "./json_text";
import { JournaledMeeting, meetingRecordOf, restoreMeeting } from "./journal_meeting";
import { OccupantTraits } from "./occupant_traits";
import { BreakoutInfo, OccupantRecord, RoomState, RoomTable } from "./rooms";

/**
 * 3: the people inside as one JSON text (`occupants_json`), each person's entry made once when
 * they join; 2 (still read): a list of tables (`occupants`), which storage serialized field by
 * field for every person in every write round.
 */
export const ROOM_JOURNAL_FORMAT = 3;

/**
 * After a crash a room's closing events are numbered from its last written `room_sequence`
 * plus this: events of the last write round before the crash may have been delivered without
 * being written, and a receiver should not see one number twice (it could, if more than this
 * many events of one room were delivered in that last 0.1 s).
 */
export const CRASH_SEQUENCE_GAP = 100;

/**
 * Someone inside, as kept: what a `left` needs (the seed's identity fields, no user context;
 * their role, affiliation and traits, absent in records of versions before them).
 */
export interface JournaledOccupant {
  readonly nick: string;
  readonly occupant_jid: string;
  readonly joined_at: number;
  /** Their place in the room's joins (the order of the closing `left`s). */
  readonly seq: number;
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
  readonly role?: string;
  readonly affiliation?: string;
  readonly traits?: OccupantTraits;
}

export interface JournaledRoom extends JournaledMeeting {
  readonly format: number;
  readonly room_jid: string;
  readonly room_name: string;
  readonly created_at: number;
  readonly sequence: number;
  readonly persistent: boolean;
  readonly meeting_id?: string;
  readonly breakout?: BreakoutInfo;
  readonly breakout_name?: string;
  /** Format 2. */
  readonly occupants?: JournaledOccupant[];
  /** Format 3: a JSON list of JournaledOccupant. */
  readonly occupants_json?: string;
}

/** A room the previous run left open, rebuilt, with whether Prosody keeps it (persistent). */
export interface OpenRoom {
  readonly room: RoomState;
  readonly persistent: boolean;
}

export function journaledOccupant(occupant: OccupantRecord): JournaledOccupant {
  return {
    nick: occupant.nick,
    occupant_jid: occupant.occupantJid,
    joined_at: occupant.joinedAt,
    seq: occupant.seq,
    id: occupant.identity?.id,
    name: occupant.identity?.name,
    email: occupant.identity?.email,
    role: occupant.role,
    affiliation: occupant.affiliation,
    traits: occupant.traits,
  };
}

/**
 * `journaledOccupant(occupant)` as JSON text, written directly (json_text.ts): the same fields
 * and values as the encoder would write (spec/payload_text_spec.lua compares them), in a
 * fraction of the instructions and allocations; made once per person (room_journal.ts).
 */
export function journaledOccupantJson(occupant: OccupantRecord): string {
  const identity = occupant.identity;
  const traits = occupant.traits;
  beginText();
  putStringField('{"nick":"', occupant.nick);
  putStringField(',"occupant_jid":"', occupant.occupantJid);
  putNumberField(',"joined_at":', occupant.joinedAt);
  putNumberField(',"seq":', occupant.seq);
  if (identity !== undefined) {
    putStringField(',"id":"', identity.id);
    putStringField(',"name":"', identity.name);
    putStringField(',"email":"', identity.email);
  }
  putStringField(',"role":"', occupant.role);
  putStringField(',"affiliation":"', occupant.affiliation);
  if (traits !== undefined) {
    put(',"traits":{"participantId":');
    putString(traits.participantId);
    putStringField(',"kind":"', traits.kind);
    putStringField(',"role":"', traits.role);
    putStringField(',"affiliation":"', traits.affiliation);
    putStringField(',"displayNick":"', traits.displayNick);
    put("}");
  }
  put("}");
  return endText();
}

/** The people inside as one JSON list of their entries' texts (format 3's `occupants_json`). */
export function occupantsJsonOf(entries: readonly string[]): string {
  beginText();
  put("[");
  for (let i = 0; i < entries.length; i++) {
    if (i > 0) put(",");
    put(entries[i]);
  }
  put("]");
  return endText();
}

export function roomRecord(room: RoomState, occupantsJson: string): JournaledRoom {
  return {
    format: ROOM_JOURNAL_FORMAT,
    room_jid: room.roomJid,
    room_name: room.roomName,
    created_at: room.createdAt,
    sequence: room.lastSequence,
    persistent: room.persistent === true,
    meeting_id: room.meetingId,
    breakout: room.breakout,
    breakout_name: room.breakoutName,
    occupants_json: occupantsJson,
    ...meetingRecordOf(room),
  };
}

const textOrNothing = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** Traits read back from a record: only text fields (a damaged record must not put a number where a payload has text). */
function storedTraits(value: unknown): OccupantTraits | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const traits = value as Partial<Record<keyof OccupantTraits, unknown>>;
  const participantId = textOrNothing(traits.participantId);
  const kind = textOrNothing(traits.kind);
  if (participantId === undefined || kind === undefined) return undefined;
  return {
    role: textOrNothing(traits.role) as OccupantTraits["role"],
    affiliation: textOrNothing(traits.affiliation) as OccupantTraits["affiliation"],
    displayNick: textOrNothing(traits.displayNick),
    participantId,
    kind: kind as OccupantTraits["kind"],
  };
}

export function rebuildRoom(record: JournaledRoom, occupants: JournaledOccupant[]): RoomState {
  const room: RoomState = {
    roomJid: record.room_jid,
    roomName: record.room_name,
    createdAt: record.created_at,
    present: new LuaMap(),
    presentCount: 0,
    attendance: newAttendance(),
    joins: 0,
    lastSequence: record.sequence + CRASH_SEQUENCE_GAP,
    breakout: record.breakout,
    breakoutName: record.breakout_name,
    meetingId: record.meeting_id,
    persistent: record.persistent === true,
  };
  restoreMeeting(room, record);
  // Only entries with what a `left` needs: a damaged or foreign entry must not make a body
  // with a missing or mistyped field (nor stop the module's start).
  const inside = occupants.filter(
    (stored) => typeof stored === "object" && typeof stored.nick === "string" && typeof stored.occupant_jid === "string" && typeof stored.joined_at === "number",
  );
  table.sort(inside, (a, b) => (a.seq ?? 0) < (b.seq ?? 0));
  for (const stored of inside) {
    const identity = storedIdentity(stored);
    room.joins += 1;
    const person = attend(room.attendance, stored.occupant_jid, identity, stored.joined_at);
    room.present.set(stored.nick, {
      nick: stored.nick,
      occupantJid: stored.occupant_jid,
      joinedAt: stored.joined_at,
      identity,
      traits: storedTraits(stored.traits),
      role: textOrNothing(stored.role),
      affiliation: textOrNothing(stored.affiliation),
      person,
      seq: room.joins,
    });
    room.presentCount += 1;
  }
  return room;
}

/** The rooms as a table the tracker can adopt. */
export function roomTableOf(rooms: readonly OpenRoom[]): RoomTable {
  const table = new LuaMap<string, RoomState>();
  for (const open of rooms) table.set(open.room.roomJid, open.room);
  return table;
}
