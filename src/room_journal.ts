/**
 * What the durable outbox keeps of each room besides its events: who is inside and the room's
 * sequence, so that after a crash the module can close the meetings the crash ended (a `left`
 * for each person still inside, and the room's `destroyed`) instead of leaving them open in the
 * API forever. One record per room, rewritten in the outbox's write rounds when the room
 * changed (however many joins and leaves that round saw: one storage call), removed when the
 * room is destroyed. The people inside are one JSON text of entries each made once, when the
 * person is first written: a round's cost does not grow with the room's size. Keys are a hash of the room JID: a long or non-ASCII room name must not
 * make a file name too long for the `internal` backend. Pure.
 */
import { JsonCodec, RecordStore } from "./delivery/outbox_records";
import { JournaledOccupant, JournaledRoom, journaledOccupantJson, occupantsJsonOf, OpenRoom, rebuildRoom, ROOM_JOURNAL_FORMAT, roomRecord } from "./room_records";
import { OccupantRecord, RoomEvent, RoomState, RoomTable } from "./rooms";

export { CRASH_SEQUENCE_GAP, ROOM_JOURNAL_FORMAT, roomTableOf } from "./room_records";
export type { JournaledOccupant, JournaledRoom, OpenRoom } from "./room_records";

/** JSON both ways (util.json in Prosody). */
export type JournalCodec = JsonCodec;

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

/** A person's entry of `occupants_json`, and the role and affiliation it was made with. */
interface JournalEntry {
  readonly text: string;
  readonly role?: string;
  readonly affiliation?: string;
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

  /**
   * Each person's entry of `occupants_json`, made again only when their role or affiliation
   * changed (weak: gone with the person's record).
   */
  private readonly entries = new LuaMap<OccupantRecord, JournalEntry>();

  constructor(
    private readonly store: RecordStore<JournaledRoom>,
    private readonly codec: JournalCodec,
  ) {
    setmetatable(this.entries, { __mode: "k" });
  }

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
      const error = this.store.set(key, room === false ? undefined : roomRecord(room, this.occupantsJson(room)));
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

  /** The people inside as format 3's JSON list. */
  private occupantsJson(room: RoomState): string {
    const texts: string[] = [];
    for (const [, occupant] of room.present) {
      let entry = this.entries.get(occupant);
      if (entry === undefined || entry.role !== occupant.role || entry.affiliation !== occupant.affiliation) {
        entry = { text: journaledOccupantJson(occupant), role: occupant.role, affiliation: occupant.affiliation };
        this.entries.set(occupant, entry);
      }
      texts.push(entry.text);
    }
    return occupantsJsonOf(texts);
  }

  /** The people a stored record lists, or undefined when it is not a format this version reads. */
  private occupantsOf(record: JournaledRoom): JournaledOccupant[] | undefined {
    if (record.format === 2) return typeof record.occupants === "object" ? record.occupants : undefined;
    if (record.format !== ROOM_JOURNAL_FORMAT || typeof record.occupants_json !== "string") return undefined;
    const [ok, list] = pcall(this.codec.decode, record.occupants_json);
    return ok && typeof list === "object" && list !== null ? (list as JournaledOccupant[]) : undefined;
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
      const occupants = record === undefined ? undefined : this.occupantsOf(record);
      if (record === undefined || occupants === undefined) {
        skipped += 1;
        continue;
      }
      this.written.add(key);
      rooms.push({ room: rebuildRoom(record, occupants), persistent: record.persistent === true });
    }
    return { rooms, skipped };
  }
}

