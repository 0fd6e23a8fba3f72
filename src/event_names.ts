/**
 * The events the module can send, their paths under `api_prefix`, and which are on by default.
 * The seed contract's four are on by default; the meeting events added since (roles, lobby,
 * recording, live streaming) are sent only when `api_events` lists them.
 */

/** The seed contract's events: on by default. */
export type SeedEventName = "muc-room-created" | "muc-room-destroyed" | "muc-occupant-joined" | "muc-occupant-left";

/** Events beyond the seed: off unless `api_events` names them. */
export type MeetingEventName =
  | "muc-occupant-role-changed"
  | "muc-lobby-joined"
  | "muc-lobby-left"
  | "muc-recording-started"
  | "muc-recording-stopped"
  | "muc-live-stream-started"
  | "muc-live-stream-stopped";

export type EventName = SeedEventName | MeetingEventName;

/** The seed's events, in the order of a room's life: what `api_events` selects by default. */
export const DEFAULT_EVENT_NAMES: readonly EventName[] = [
  "muc-room-created",
  "muc-occupant-joined",
  "muc-occupant-left",
  "muc-room-destroyed",
];

/** Every event name: the seed's, then the meeting events. */
export const EVENT_NAMES: readonly EventName[] = [
  ...DEFAULT_EVENT_NAMES,
  "muc-occupant-role-changed",
  "muc-lobby-joined",
  "muc-lobby-left",
  "muc-recording-started",
  "muc-recording-stopped",
  "muc-live-stream-started",
  "muc-live-stream-stopped",
];

/** Path under `api_prefix` each event is posted to. */
export const EVENT_PATHS: { readonly [name in EventName]: string } = {
  "muc-room-created": "/events/room/created",
  "muc-room-destroyed": "/events/room/destroyed",
  "muc-occupant-joined": "/events/occupant/joined",
  "muc-occupant-left": "/events/occupant/left",
  "muc-occupant-role-changed": "/events/occupant/role-changed",
  "muc-lobby-joined": "/events/lobby/joined",
  "muc-lobby-left": "/events/lobby/left",
  "muc-recording-started": "/events/recording/started",
  "muc-recording-stopped": "/events/recording/stopped",
  "muc-live-stream-started": "/events/live-stream/started",
  "muc-live-stream-stopped": "/events/live-stream/stopped",
};
