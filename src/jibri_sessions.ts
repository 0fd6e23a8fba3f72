/**
 * Jibri sessions as Jicofo announces them in its own presence in the room: one
 * `<jibri-recording-status xmlns="http://jitsi.org/protocol/jibri" status session_id
 * recording_mode initiator failure_reason/>` (jicofo JibriRecorder.kt
 * `publishJibriRecordingStatus`; jitsi-xmpp-extensions RecordingStatus.java), replaced on each
 * change and re-sent with every later presence of focus. Pure: remembers per room which
 * sessions are pending or on, so each start and each stop is reported once.
 */
import { truncateUtf8 } from "./json_values";
import { MAX_CLAIM_BYTES } from "./limits";

/** The element's attributes, as read (any may be missing). */
export interface JibriStatusFields {
  readonly status?: string;
  readonly sessionId?: string;
  readonly recordingMode?: string;
  readonly initiator?: string;
  readonly failureReason?: string;
}

export type JibriMode = "file" | "stream";
/** Why a session was reported stopped: Jicofo said `off`, or focus (or the whole room) went away. */
export type JibriStopReason = "off" | "focus_left" | "room_destroyed" | "server_crash";

export interface LiveSession {
  readonly sessionId: string;
  mode?: JibriMode;
  /** Reported started (Jicofo said `on`); false while `pending`. */
  on: boolean;
}

/** What a room remembers of its sessions: plain data, so it survives `module:reload`. */
export interface JibriMemory {
  /** Pending or on, in the order they appeared. */
  readonly live: LiveSession[];
  /** Sessions that ended, newest last: Jicofo keeps re-sending their `off`. */
  readonly ended: string[];
  /** The in-room JID of the focus occupant whose presence announced them: its leaving ends them. */
  focusNick?: string;
}

export interface JibriChange {
  readonly kind: "jibri-started" | "jibri-stopped";
  readonly sessionId: string;
  readonly mode: JibriMode;
  /** Jicofo's `initiator`: who started (on `on`) or stopped (on `off`) it, an in-room JID. */
  readonly initiator?: string;
  readonly failureReason?: string;
  readonly stopReason?: JibriStopReason;
}

/** Jicofo runs one recording session per conference; a few more are tolerated, no more. */
const MAX_LIVE = 4;
const MAX_ENDED = 8;
/** Jicofo's session ids are UUIDs; anything much longer is not one of them. */
const MAX_SESSION_ID_BYTES = 128;

export function newJibriMemory(): JibriMemory {
  return { live: [], ended: [] };
}

function modeOf(value: string | undefined): JibriMode | undefined {
  return value === "file" || value === "stream" ? value : undefined;
}

function bounded(text: string | undefined): string | undefined {
  return text === undefined || text === "" ? undefined : truncateUtf8(text, MAX_CLAIM_BYTES);
}

function indexOf(memory: JibriMemory, sessionId: string): number {
  for (let i = 0; i < memory.live.length; i++) {
    if (memory.live[i].sessionId === sessionId) return i;
  }
  return -1;
}

function remember(memory: JibriMemory, sessionId: string): void {
  memory.ended.push(sessionId);
  if (memory.ended.length > MAX_ENDED) memory.ended.splice(0, memory.ended.length - MAX_ENDED);
}

/**
 * The change one status means, if any: `on` of a session not yet on is its start; `off` of a
 * session seen pending or on is its stop (a session that failed before it was on gets only a
 * stop, with its failure_reason). Repeats, unknown statuses, a session whose mode is never
 * given, and an `off` of a session never seen (it may have ended before we looked) say nothing.
 */
export function noteJibriStatus(memory: JibriMemory, fields: JibriStatusFields): JibriChange | undefined {
  const sessionId = fields.sessionId;
  if (sessionId === undefined || sessionId === "" || sessionId.length > MAX_SESSION_ID_BYTES) return undefined;
  if (memory.ended.includes(sessionId)) return undefined;
  const at = indexOf(memory, sessionId);
  const mode = modeOf(fields.recordingMode);
  if (fields.status === "off") {
    if (at < 0) return undefined;
    const [session] = memory.live.splice(at, 1);
    remember(memory, sessionId);
    const known = mode ?? session.mode;
    if (known === undefined) return undefined;
    return {
      kind: "jibri-stopped",
      sessionId,
      mode: known,
      initiator: bounded(fields.initiator),
      failureReason: bounded(fields.failureReason),
      stopReason: "off",
    };
  }
  if (fields.status !== "pending" && fields.status !== "on") return undefined;
  let session = at >= 0 ? memory.live[at] : undefined;
  if (session === undefined) {
    if (memory.live.length >= MAX_LIVE) return undefined;
    session = { sessionId, on: false };
    memory.live.push(session);
  }
  session.mode = mode ?? session.mode;
  if (fields.status === "pending" || session.on || session.mode === undefined) return undefined;
  session.on = true;
  return { kind: "jibri-started", sessionId, mode: session.mode, initiator: bounded(fields.initiator) };
}

/**
 * Focus left the room (Jicofo stops its sessions with it) or the room is destroyed: every
 * session that is on stops now; pending ones are forgotten (they never started).
 */
export function endJibriSessions(memory: JibriMemory, reason: JibriStopReason): JibriChange[] {
  const changes: JibriChange[] = [];
  for (const session of memory.live) {
    remember(memory, session.sessionId);
    if (session.on && session.mode !== undefined) {
      changes.push({ kind: "jibri-stopped", sessionId: session.sessionId, mode: session.mode, stopReason: reason });
    }
  }
  memory.live.splice(0, memory.live.length);
  return changes;
}
