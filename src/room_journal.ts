/**
 * What the durable outbox keeps of each room besides its events: who is inside and the room's
 * sequence, so that after a crash the module can close the meetings the crash ended (a `left`
 * for each person still inside, and the room's `destroyed`) instead of leaving them open in the
 * API forever. Written in the outbox's write rounds, one record per room and one per occupant,
 * so a round's cost follows the joins and leaves since the last one. Pure.
 */
import { attend, newAttendance } from "./attendance";
import { RecordStore } from "./delivery/outbox_records";
import { Identity } from "./identity";
import { BreakoutInfo, OccupantRecord, RoomEvent, RoomState, RoomTable } from "./rooms";

export const ROOM_JOURNAL_FORMAT = 1;
/**
 * After a crash a room's closing events are numbered from its last written `room_sequence`
 * plus this: events of the last write round before the crash may have been delivered without
 * being written, and a receiver must never see one sequence number twice.
 */
export const CRASH_SEQUENCE_GAP = 100;

export interface JournaledRoom {
  readonly format: number;
  readonly kind: "room";
  readonly room_jid: string;
  readonly room_name: string;
  readonly created_at: number;
  readonly sequence: number;
  readonly persistent: boolean;
  readonly meeting_id?: string;
  readonly breakout?: BreakoutInfo;
}

export interface JournaledOccupant {
  readonly format: number;
  readonly kind: "occupant";
  readonly room_jid: string;
  readonly nick: string;
  readonly occupant_jid: string;
  readonly joined_at: number;
  /** Their place in the room's joins (the order of the closing `left`s). */
  readonly seq: number;
  readonly identity?: Identity;
}

export type JournalRecord = JournaledRoom | JournaledOccupant;

/** A room the previous run left open, rebuilt, with whether Prosody keeps it (persistent). */
export interface OpenRoom {
  readonly room: RoomState;
  readonly persistent: boolean;
}

const roomKey = (roomJid: string): string => `room ${roomJid}`;
const occupantKey = (nick: string): string => `occupant ${nick}`;

export class RoomJournal {
  /** Room records to write (the live state) or remove (false), by key. */
  private readonly rooms = new LuaMap<string, RoomState | false>();
  private readonly occupants = new LuaMap<string, [RoomState, OccupantRecord] | false>();

  constructor(private readonly store: RecordStore<JournalRecord>) {}

  /** Notes what the published events changed; written in the next `flush`. */
  observe(events: readonly RoomEvent[]): void {
    for (const event of events) {
      const room = event.room;
      switch (event.kind) {
        case "room-created":
          this.rooms.set(roomKey(room.roomJid), room);
          break;
        case "occupant-joined":
          this.rooms.set(roomKey(room.roomJid), room);
          this.occupants.set(occupantKey(event.occupant.nick), [room, event.occupant]);
          break;
        case "occupant-left":
          this.rooms.set(roomKey(room.roomJid), room);
          this.occupants.set(occupantKey(event.occupant.nick), false);
          break;
        case "room-destroyed":
          this.rooms.set(roomKey(room.roomJid), false);
          break;
      }
    }
  }

  /** Writes what changed since the last flush; on a storage error the rest waits for the next. */
  flush(): string | undefined {
    for (const [key, change] of this.occupants) {
      const record: JournaledOccupant | undefined =
        change === false
          ? undefined
          : {
              format: ROOM_JOURNAL_FORMAT,
              kind: "occupant",
              room_jid: change[0].roomJid,
              nick: change[1].nick,
              occupant_jid: change[1].occupantJid,
              joined_at: change[1].joinedAt,
              seq: change[1].seq,
              identity: change[1].identity,
            };
      const error = this.store.set(key, record);
      if (error !== undefined) return error;
      this.occupants.delete(key);
    }
    for (const [key, room] of this.rooms) {
      const error = this.store.set(key, room === false ? undefined : this.roomRecord(room));
      if (error !== undefined) return error;
      this.rooms.delete(key);
    }
    return undefined;
  }

  /** Removes the records of these rooms and the people inside (the module stops reporting them). */
  forget(rooms: RoomTable): void {
    for (const [roomJid, room] of rooms) {
      this.rooms.set(roomKey(roomJid), false);
      for (const [nick] of room.present) this.occupants.set(occupantKey(nick), false);
    }
  }

  /** Something waits for the next flush. */
  pending(): boolean {
    return next(this.rooms)[0] !== undefined || next(this.occupants)[0] !== undefined;
  }

  /**
   * Reads the rooms a previous run left open, rebuilt as tracked rooms with the people inside
   * (numbered on after CRASH_SEQUENCE_GAP), and removes their records: the caller closes them.
   */
  takeOpenRooms(): { rooms: OpenRoom[]; skipped: number; error?: string } {
    const listed = this.store.keys();
    if (listed.error !== undefined) return { rooms: [], skipped: 0, error: listed.error };
    const byJid = new LuaMap<string, OpenRoom>();
    const occupants: JournaledOccupant[] = [];
    let skipped = 0;
    for (const key of listed.keys) {
      const read = this.store.get(key);
      const record = read.record;
      if (record === undefined || record.format !== ROOM_JOURNAL_FORMAT) {
        skipped += 1;
        continue;
      }
      if (record.kind === "room") byJid.set(record.room_jid, { room: rebuildRoom(record), persistent: record.persistent === true });
      else if (record.kind === "occupant") occupants.push(record);
      else skipped += 1;
      this.store.set(key, undefined); // taken: the caller closes it (a failure leaves it for the next start)
    }
    table.sort(occupants, (a, b) => (a.seq ?? 0) < (b.seq ?? 0));
    for (const stored of occupants) {
      const open = byJid.get(stored.room_jid);
      if (open === undefined) continue; // its room record was not written: nothing to close it with
      const room = open.room;
      room.joins += 1;
      const person = attend(room.attendance, stored.occupant_jid, stored.identity, stored.joined_at);
      room.present.set(stored.nick, { nick: stored.nick, occupantJid: stored.occupant_jid, joinedAt: stored.joined_at, identity: stored.identity, person, seq: room.joins });
      room.presentCount += 1;
    }
    const rooms: OpenRoom[] = [];
    for (const [, open] of byJid) rooms.push(open);
    return { rooms, skipped };
  }

  private roomRecord(room: RoomState): JournaledRoom {
    return {
      format: ROOM_JOURNAL_FORMAT,
      kind: "room",
      room_jid: room.roomJid,
      room_name: room.roomName,
      created_at: room.createdAt,
      sequence: room.lastSequence,
      persistent: room.persistent === true,
      meeting_id: room.meetingId,
      breakout: room.breakout,
    };
  }
}

function rebuildRoom(record: JournaledRoom): RoomState {
  return {
    roomJid: record.room_jid,
    roomName: record.room_name,
    createdAt: record.created_at,
    present: new LuaMap(),
    presentCount: 0,
    attendance: newAttendance(),
    joins: 0,
    lastSequence: record.sequence + CRASH_SEQUENCE_GAP,
    breakout: record.breakout,
    meetingId: record.meeting_id,
  };
}

/** The rooms as a table the tracker can adopt. */
export function roomTableOf(rooms: readonly OpenRoom[]): RoomTable {
  const table = new LuaMap<string, RoomState>();
  for (const open of rooms) table.set(open.room.roomJid, open.room);
  return table;
}
