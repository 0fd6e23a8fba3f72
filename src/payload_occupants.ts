/**
 * The person-shaped parts of payloads: an occupant, an `all_occupants` entry, someone waiting
 * in a lobby, an actor; and the rule that other sources (the JWT user context,
 * `event_sync_extra_payload`) may add fields but never set one of ours.
 */
import { PersonRecord, speakerTotalMs } from "./attendance";
import { Identity } from "./identity";
import { Actor, LobbyVisitor } from "./meeting_events";
import { OccupantRecord, Standing } from "./rooms";

export interface OccupantPayload {
  readonly occupant_jid: string;
  readonly joined_at: number;
  readonly left_at?: number;
  readonly name?: string;
  readonly email?: string;
  readonly id?: string;
  /** `moderator`, `participant` or `visitor`: at this event (the last one held inside, on a left). */
  readonly role?: string;
  /** `owner`, `admin`, `member` or `none`, likewise. */
  readonly affiliation?: string;
  /** The display name the client sent (XEP-0172), unlike `name` not vouched for by a token. */
  readonly nick?: string;
  /** The in-room resource: Jitsi's endpoint id. */
  readonly participant_id?: string;
  /** `participant`, `sip`, `transcriber` or `recorder`. */
  readonly kind?: string;
  /** Jitsi speaker stats (ms), on left and in all_occupants, with `include_speaker_stats`. */
  readonly total_dominant_speaker_time?: number;
  /** In all_occupants, when the person joined more than once (rejoins, nick changes): how often. */
  readonly sessions?: number;
}

/** Who changed a role or started a recording. */
export interface ActorPayload {
  /** Their real JID. */
  readonly jid?: string;
  readonly name?: string;
  readonly email?: string;
  readonly id?: string;
}

/**
 * Every field this module defines, in payloads and occupants: other sources may add fields
 * but never set one of these, even where an event leaves it out (a `left_at` on a join, say).
 */
const RESERVED_FIELDS = new LuaSet<string>();
for (const field of [
  "event_name", "event_id", "event_timestamp_ms", "room_sequence", "room_name", "room_jid", "is_breakout",
  "breakout_room_id", "breakout_room_name", "meeting_id", "active_occupants_count", "created_at", "destroyed_at",
  "all_occupants", "occupant", "occupant_jid", "joined_at", "left_at", "name", "email", "id",
  "total_dominant_speaker_time", "sessions", "all_occupants_omitted", "disconnect_reason", "role", "affiliation",
  "nick", "participant_id", "kind", "previous_role", "previous_affiliation", "actor", "jid", "session_id",
  "recording_mode", "initiator", "failure_reason", "started_at", "stopped_at", "stop_reason",
]) {
  RESERVED_FIELDS.add(field);
}

/**
 * util.json's markers: an object with one of these keys is written in util.json's own shape
 * (`"__hash":[…]`), so a field of that name could not reach the API as itself. Left out.
 */
const JSON_MARKERS = new LuaSet<string>();
JSON_MARKERS.add("__array");
JSON_MARKERS.add("__hash");

/** Whether other sources may not set `field`: one this module defines, or a util.json marker. */
export function isReservedField(field: string): boolean {
  return RESERVED_FIELDS.has(field) || JSON_MARKERS.has(field);
}

/** Copies the fields of `extra` that are not ours into `target`. */
export function addExtra(target: object, extra: LuaMap<string, unknown> | undefined): void {
  if (extra === undefined) return;
  const fields = target as LuaMap<string, unknown>;
  for (const [key, value] of extra) {
    if (!isReservedField(key)) fields.set(key, value);
  }
}

type Draft<T> = { -readonly [K in keyof T]: T[K] };

function withIdentity(payload: OccupantPayload, identity: Identity | undefined): OccupantPayload {
  const fields = payload as Draft<OccupantPayload>;
  fields.name = identity?.name;
  fields.email = identity?.email;
  fields.id = identity?.id;
  addExtra(payload, identity?.userInfo);
  return payload;
}

/** An occupant at one event: `standing` is their role and affiliation then. */
export function occupantPayload(occupant: OccupantRecord, standing: Standing, withLeftAt: boolean): OccupantPayload {
  const traits = occupant.traits;
  return withIdentity(
    {
      occupant_jid: occupant.occupantJid,
      joined_at: occupant.joinedAt,
      left_at: withLeftAt ? occupant.leftAt : undefined,
      role: standing.role,
      affiliation: standing.affiliation,
      nick: traits?.displayNick,
      participant_id: traits?.participantId,
      kind: traits?.kind,
      total_dominant_speaker_time: withLeftAt ? occupant.speakerTimeMs : undefined,
    },
    occupant.identity,
  );
}

/** One person's `all_occupants` entry: their first join, last leave and all their sessions. */
export function personPayload(person: PersonRecord): OccupantPayload {
  return withIdentity(
    {
      occupant_jid: person.occupantJid,
      joined_at: person.joinedAt,
      left_at: person.leftAt,
      total_dominant_speaker_time: speakerTotalMs(person),
      sessions: person.sessions > 1 ? person.sessions : undefined,
    },
    person.identity,
  );
}

/** Someone in a lobby, shaped like an occupant. */
export function visitorPayload(visitor: LobbyVisitor): OccupantPayload {
  return withIdentity(
    {
      occupant_jid: visitor.occupantJid,
      joined_at: visitor.joinedAt,
      left_at: visitor.leftAt,
      nick: visitor.displayNick,
      participant_id: visitor.participantId,
    },
    visitor.identity,
  );
}

export function actorPayload(actor: Actor | undefined): ActorPayload | undefined {
  if (actor === undefined || (actor.jid === undefined && actor.identity === undefined)) return undefined;
  const identity = actor.identity;
  return { jid: actor.jid, name: identity?.name, email: identity?.email, id: identity?.id };
}
