/**
 * Closes the meetings a crash ended: the rooms the previous run had open (from the room
 * journal) are taken over by the tracker, everyone still inside gets a `left` stamped now with
 * `disconnect_reason: "server_crash"`, and a room Prosody does not keep (non-persistent) its
 * `destroyed`. A persistent room stays tracked: Prosody restores it, and its next events go on
 * from its sequence. Pure.
 */
import { OpenRoom, roomTableOf } from "./room_journal";
import { RoomEvent, RoomTracker } from "./rooms";

export const CRASH_REASON = "server_crash";

const noSpeakerTime = (): undefined => undefined;

export function closingEvents(tracker: RoomTracker, open: readonly OpenRoom[], now: number): RoomEvent[] {
  // Closed on a tracker of their own: rooms live by now (a take-over retried) are not touched.
  const crashed = new RoomTracker();
  crashed.adopt(roomTableOf(open));
  const live = tracker.table();
  for (const { room, persistent } of open) if (persistent && !live.has(room.roomJid)) live.set(room.roomJid, room);
  const events: RoomEvent[] = [];
  const ordered = [...open];
  table.sort(ordered, (a, b) => a.room.roomJid < b.room.roomJid);
  for (const { room, persistent } of ordered) {
    let closing: RoomEvent[];
    if (persistent) {
      closing = [];
      const inside = [];
      for (const [, occupant] of room.present) inside.push(occupant);
      inside.sort((a, b) => a.seq - b.seq);
      for (const occupant of inside) closing.push(...crashed.occupantLeft(room.roomJid, {}, occupant.nick, CRASH_REASON, noSpeakerTime, now));
    } else {
      closing = crashed.roomDestroyed(room.roomJid, {}, noSpeakerTime, now, CRASH_REASON);
    }
    for (const event of closing) events.push(event);
  }
  return events;
}
