/**
 * Closes the meetings a crash ended: the rooms the previous run had open (from the room
 * journal) are taken over by the tracker, everyone still inside gets a `left` stamped now with
 * `disconnect_reason: "server_crash"`, and a room Prosody does not keep (non-persistent) its
 * `destroyed`. A persistent room stays tracked: Prosody restores it, and its next events go on
 * from its sequence. Pure.
 */
import { OpenRoom, roomTableOf } from "./room_journal";
import { endJibriSessions } from "./jibri_sessions";
import { LobbyVisitor } from "./meeting_events";
import { RoomEvent, RoomState, RoomTracker } from "./rooms";

export const CRASH_REASON = "server_crash";

const noSpeakerTime = (): undefined => undefined;

/**
 * The Jibri sessions that were on and the people waiting in the lobby, closed before the
 * room's lefts: `stop_reason` and `disconnect_reason` `server_crash`.
 */
function meetingEnds(room: RoomState, now: number): RoomEvent[] {
  const events: RoomEvent[] = [];
  if (room.jibri !== undefined) {
    for (const { kind, sessionId, mode, stopReason } of endJibriSessions(room.jibri, CRASH_REASON)) {
      events.push({ kind, room, session: { sessionId, mode, stopReason } });
    }
  }
  if (room.lobby !== undefined) {
    const waiting: [string, LobbyVisitor][] = [];
    for (const [nick, visitor] of room.lobby) waiting.push([nick, visitor]);
    table.sort(waiting, (a, b) => a[1].joinedAt < b[1].joinedAt || (a[1].joinedAt === b[1].joinedAt && a[0] < b[0]));
    for (const [, visitor] of waiting) events.push({ kind: "lobby-left", room, visitor: { ...visitor, leftAt: now }, reason: CRASH_REASON });
    room.lobby = undefined;
  }
  return events;
}

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
      // (a loop, not push(...): TSTL turns `push(...list)` into one assignment of its first item)
      for (const occupant of inside) {
        for (const left of crashed.occupantLeft(room.roomJid, {}, occupant.nick, CRASH_REASON, noSpeakerTime, now)) closing.push(left);
      }
    } else {
      closing = crashed.roomDestroyed(room.roomJid, {}, noSpeakerTime, now, CRASH_REASON);
    }
    for (const event of meetingEnds(room, now)) events.push(event);
    for (const event of closing) events.push(event);
  }
  return events;
}
