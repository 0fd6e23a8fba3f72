/**
 * Rooms handed over by a `module:reload` from an older version, brought to today's shape.
 */
import { attend, newAttendance, recordLeave } from "./attendance";
import { OccupantRecord, RoomState } from "./rooms";

/** A room as versions before 0.1.1 handed it over: every join kept in `history`. */
type LegacyRoom = { -readonly [K in keyof RoomState]?: RoomState[K] } & { history?: LegacyOccupant[] };
type LegacyOccupant = { -readonly [K in keyof OccupantRecord]?: OccupantRecord[K] };

/** Rebuilds a handed-over room of an older version (a `history` of every join) in today's shape. */
export function upgradeRoom(room: RoomState): void {
  const legacy = room as LegacyRoom;
  if (legacy.attendance !== undefined) return;
  const attendance = newAttendance();
  let joins = 0;
  for (const old of legacy.history ?? []) {
    if (old.occupantJid === undefined || old.joinedAt === undefined) continue;
    joins += 1;
    const person = attend(attendance, old.occupantJid, old.identity, old.joinedAt);
    if (person !== undefined && old.leftAt !== undefined) recordLeave(person, old.occupantJid, old.leftAt, old.speakerTimeMs);
    old.person = person;
    old.seq = joins;
  }
  legacy.attendance = attendance;
  legacy.joins = joins;
  legacy.history = undefined;
}
