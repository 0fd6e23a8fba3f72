/**
 * `recording/*` and `live-stream/*`: watches the presences Jicofo's focus occupant sends in a
 * room for its `jibri-recording-status` (jicofo JibriRecorder.kt `publishJibriRecordingStatus`
 * through ChatRoomImpl `setPresenceExtension`) and reports each session's start and stop
 * once (jibri_sessions.ts). Only focus's presence counts: anyone else could forge one.
 */
import { IdentityCache } from "../identity";
import { endJibriSessions, JibriChange, JibriMemory, newJibriMemory, noteJibriStatus } from "../jibri_sessions";
import { Actor } from "../meeting_events";
import { RoomEvent, RoomTracker } from "../rooms";
import { FirstSightBuffer } from "./first_sight";
import { isDestroyed, roomFactsOf } from "./room_facts";

/** jitsi-xmpp-extensions JibriIq.NAMESPACE, shared by RecordingStatus. */
const JIBRI_NS = "http://jitsi.org/protocol/jibri";

export interface JibriWatchDeps {
  readonly tracker: RoomTracker;
  readonly now: (this: void) => number;
  readonly identities: IdentityCache;
}

/**
 * Jicofo's `initiator` is the requester's in-room JID (jicofo BaseJibri: the start IQ comes
 * from the room): the occupant we track there, or the one inside now; a real JID is used as is.
 */
function actorOf(room: MucRoom, initiator: string | undefined, deps: JibriWatchDeps): Actor | undefined {
  if (initiator === undefined) return undefined;
  const record = deps.tracker.occupant(room.jid, initiator);
  if (record !== undefined) return { jid: record.occupantJid, identity: record.identity };
  const [bare] = string.match(initiator, "^([^/]*)");
  const realJid = bare === room.jid ? room.get_occupant_by_nick(initiator)?.jid : initiator;
  if (realJid === undefined) return undefined;
  return { jid: realJid, identity: deps.identities.of(prosody.full_sessions.get(realJid)) };
}

/** The events of these changes (after the room's `created`, if it was not tracked). */
function eventsOf(room: MucRoom, mainMucHost: string | undefined, changes: JibriChange[], deps: JibriWatchDeps): RoomEvent[] {
  const events: RoomEvent[] = [];
  if (changes.length === 0) return events;
  const state = deps.tracker.room(room.jid, roomFactsOf(room, mainMucHost), deps.now(), events);
  for (const change of changes) {
    const { kind, sessionId, mode, failureReason, stopReason } = change;
    events.push({ kind, room: state, session: { sessionId, mode, failureReason, stopReason, initiator: actorOf(room, change.initiator, deps) } });
  }
  return events;
}

/** The memory of a tracked room, made on first use. */
function memoryOf(room: MucRoom, mainMucHost: string | undefined, deps: JibriWatchDeps, rooms: FirstSightBuffer): JibriMemory {
  const events: RoomEvent[] = [];
  const state = deps.tracker.room(room.jid, roomFactsOf(room, mainMucHost), deps.now(), events);
  if (events.length > 0) rooms.publish(room.jid, events);
  state.jibri ??= newJibriMemory();
  return state.jibri;
}

/**
 * Returns the handler for focus's broadcast presences: a status element is noted; focus
 * leaving (the room destroyed, or Jicofo gone) stops every session still on.
 */
export function jibriWatcher(
  mainMucHost: string | undefined,
  rooms: FirstSightBuffer,
  deps: JibriWatchDeps,
): (this: void, event: MucBroadcastPresenceEvent) => void {
  return ({ room, occupant, stanza }) => {
    let changes: JibriChange[];
    if (occupant.role === undefined) {
      const memory = deps.tracker.table().get(room.jid)?.jibri;
      // Only the focus that announced the sessions ends them by leaving (not a second one).
      if (memory === undefined || (memory.focusNick !== undefined && memory.focusNick !== occupant.nick)) return;
      changes = endJibriSessions(memory, isDestroyed(room) ? "room_destroyed" : "focus_left");
    } else {
      const status = stanza.get_child("jibri-recording-status", JIBRI_NS);
      if (status === undefined) return;
      const memory = memoryOf(room, mainMucHost, deps, rooms);
      memory.focusNick = occupant.nick;
      const change = noteJibriStatus(memory, {
        status: status.attr.status,
        sessionId: status.attr.session_id,
        recordingMode: status.attr.recording_mode,
        initiator: status.attr.initiator,
        failureReason: status.attr.failure_reason,
      });
      changes = change === undefined ? [] : [change];
    }
    const events = eventsOf(room, mainMucHost, changes, deps);
    if (events.length > 0) rooms.publish(room.jid, events);
  };
}
