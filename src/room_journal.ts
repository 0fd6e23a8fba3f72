/**
 * What the durable outbox keeps of each room besides its events: who is inside and the room's
 * sequence, so that after a crash the module can close the meetings the crash ended (a `left`
 * for each person still inside, and the room's `destroyed`) instead of leaving them open in the
 * API forever. One record per room, rewritten in the outbox's write rounds when the room
 * changed (however many joins and leaves that round saw: one storage call), removed when the
 * room is destroyed. Keys are a hash of the room JID: a long or non-ASCII room name must not
 * make a file name too long for the `internal` backend. Pure.
 */
import { attend, newAttendance } from "./attendance";
import { RecordStore } from "./delivery/outbox_records";
import { Identity } from "./identity";
import { JournaledMeeting, meetingRecordOf, restoreMeeting } from "./journal_meeting";
import { OccupantTraits } from "./occupant_traits";
import { BreakoutInfo, RoomEvent, RoomState, RoomTable } from "./rooms";

export const ROOM_JOURNAL_FORMAT = 2;
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
  readonly occupants: JournaledOccupant[];
}

/** A room the previous run left open, rebuilt, with whether Prosody keeps it (persistent). */
export interface OpenRoom {
  readonly room: RoomState;
  readonly persistent: boolean;
}

/**
 * The storage key of a room's record: two 31-bit polynomial hashes of the JID (collisions are
 * out of reach for any number of rooms a server has) and the first letters of its name for a
 * person reading the data directory. Short whatever the JID: the `internal` backend makes each
 * key a file name, and a long or non-ASCII room name would exceed what a file system allows.
 */
export function roomKeyOf(roomJid: string): string {
  let h1 = 7;
  let h2 = 11;
  for (let i = 1; i <= roomJid.length; i++) {
    const byte = string.byte(roomJid, i);
    h1 = (h1 * 31 + byte) % 2147483647;
    h2 = (h2 * 131 + byte) % 2147483629;
  }
  const [readable] = string.gsub(string.sub(roomJid, 1, 24), "[^%w]", "");
  return string.format("room %d-%d-%d %s", roomJid.length, h1, h2, readable);
}

/** Room keys remembered at most; past it the memory starts afresh. */
const MAX_CACHED_KEYS = 1000;

export class RoomJournal {
  /** Rooms to write (their live state) or remove (false) in the next flush, by key. */
  private readonly changes = new LuaMap<string, RoomState | false>();
  /** Keys that hold a record in storage (only those need removing). */
  private readonly written = new LuaSet<string>();
  /** roomKeyOf of recent rooms (hashing a JID byte by byte costs more than the rest of an event's journaling). */
  private keys = new LuaMap<string, string>();
  private keyCount = 0;

  constructor(private readonly store: RecordStore<JournaledRoom>) {}

  private keyOf(roomJid: string): string {
    let key = this.keys.get(roomJid);
    if (key === undefined) {
      key = roomKeyOf(roomJid);
      if (this.keyCount >= MAX_CACHED_KEYS) {
        this.keys = new LuaMap();
        this.keyCount = 0;
      }
      this.keys.set(roomJid, key);
      this.keyCount += 1;
    }
    return key;
  }

  /** Notes which rooms the published events changed; written in the next `flush`. */
  observe(events: readonly RoomEvent[]): void {
    for (const event of events) {
      const key = this.keyOf(event.room.roomJid);
      if (event.kind !== "room-destroyed") this.changes.set(key, event.room);
      else if (this.written.has(key)) this.changes.set(key, false);
      else this.changes.delete(key); // never written: nothing to remove
    }
  }

  /** Writes every changed room; a failed one waits for the next flush. Returns the first error. */
  flush(): string | undefined {
    if (this.holding) return undefined;
    let firstError: string | undefined;
    for (const [key, room] of this.changes) {
      const error = this.store.set(key, room === false ? undefined : roomRecord(room));
      if (error !== undefined) {
        firstError ??= error;
        continue;
      }
      this.changes.delete(key);
      if (room === false) this.written.delete(key);
      else this.written.add(key);
    }
    return firstError;
  }

  /** Rooms a previous instance handed over (module:reload): their records may exist. */
  handedOver(rooms: RoomTable): void {
    for (const [roomJid] of rooms) this.written.add(roomKeyOf(roomJid));
  }

  /** While the previous run's rooms are not read yet, nothing is written (a live room's record would pass for a crashed one). */
  holding = false;

  /** The room's record is rewritten in the next flush (it lives on). */
  keep(room: RoomState): void {
    this.changes.set(roomKeyOf(room.roomJid), room);
  }

  /** Something waits for the next flush. */
  pending(): boolean {
    return next(this.changes)[0] !== undefined;
  }

  /** Removes the records of these rooms (the module stops reporting them). */
  forget(rooms: RoomTable): void {
    for (const [roomJid] of rooms) {
      const key = roomKeyOf(roomJid);
      if (this.written.has(key)) this.changes.set(key, false);
      else this.changes.delete(key);
    }
  }

  /**
   * Reads the rooms a previous run left open, rebuilt as tracked rooms with the people inside
   * (numbered on after CRASH_SEQUENCE_GAP). Their records stay until the closing events the
   * caller publishes are observed and written in a round (a crash before that closes them at
   * the next start).
   */
  openRooms(): { rooms: OpenRoom[]; skipped: number; error?: string } {
    const listed = this.store.keys();
    if (listed.error !== undefined) return { rooms: [], skipped: 0, error: listed.error };
    const rooms: OpenRoom[] = [];
    let skipped = 0;
    for (const key of listed.keys) {
      const read = this.store.get(key);
      if (read.error !== undefined) return { rooms: [], skipped: 0, error: read.error };
      const record = read.record;
      if (record === undefined || record.format !== ROOM_JOURNAL_FORMAT || typeof record.occupants !== "object") {
        skipped += 1;
        continue;
      }
      this.written.add(key);
      rooms.push({ room: rebuildRoom(record), persistent: record.persistent === true });
    }
    return { rooms, skipped };
  }
}

function occupantsOf(room: RoomState): JournaledOccupant[] {
  const out: JournaledOccupant[] = [];
  for (const [, occupant] of room.present) {
    out.push({
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
    });
  }
  return out;
}

function roomRecord(room: RoomState): JournaledRoom {
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
    occupants: occupantsOf(room),
    ...meetingRecordOf(room),
  };
}

function identityOf(stored: JournaledOccupant): Identity | undefined {
  if (stored.id === undefined && stored.name === undefined && stored.email === undefined) return undefined;
  return { id: stored.id, name: stored.name, email: stored.email, bytes: 0 };
}

function rebuildRoom(record: JournaledRoom): RoomState {
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
  const inside = [...record.occupants];
  table.sort(inside, (a, b) => (a.seq ?? 0) < (b.seq ?? 0));
  for (const stored of inside) {
    const identity = identityOf(stored);
    room.joins += 1;
    const person = attend(room.attendance, stored.occupant_jid, identity, stored.joined_at);
    room.present.set(stored.nick, {
      nick: stored.nick,
      occupantJid: stored.occupant_jid,
      joinedAt: stored.joined_at,
      identity,
      traits: typeof stored.traits === "object" ? stored.traits : undefined,
      role: stored.role,
      affiliation: stored.affiliation,
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
