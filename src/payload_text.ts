/**
 * The JSON body of the two events most webhooks are (an occupant joined, an occupant left),
 * written straight from the tracker's records as one text. The general path builds the payload
 * table (payloads.ts) and the encoder then walks it key by key; for these two events that was a
 * quarter of the Lua the module runs per webhook. The fields and values are exactly those of
 * `buildPayload` (spec/payload_text_spec.lua decodes both and compares them); only the order
 * of the keys differs, which JSON leaves free. Pure.
 */
import { beginText, endText, put, putNumberField, putString, putStringField } from "./json_text";
import { isReservedField } from "./payload_occupants";
import { Identity } from "./identity";
import { RoomEvent } from "./rooms";

type Encode = (this: void, value: unknown) => string;
type OccupantEvent = Extract<RoomEvent, { kind: "occupant-joined" | "occupant-left" }>;

/**
 * The fields of `extra` (a room's `event_sync_extra_payload`, a token's user context) that are
 * not ours: what `addExtra` adds to a payload table, with the values the table encoder writes
 * (a function or other non-JSON value is left out, as there).
 */
function putExtraFields(extra: LuaMap<string, unknown> | undefined, encode: Encode): void {
  if (extra === undefined) return;
  for (const [key, value] of extra) {
    const kind = type(value);
    if (typeof key === "string" && !isReservedField(key) && (kind === "string" || kind === "number" || kind === "boolean" || kind === "table")) {
      put(",");
      putString(key);
      put(":");
      put(encode(value));
    }
  }
}

function putIdentity(identity: Identity | undefined, encode: Encode): void {
  if (identity === undefined) return;
  putStringField(',"name":"', identity.name);
  putStringField(',"email":"', identity.email);
  putStringField(',"id":"', identity.id);
  putExtraFields(identity.userInfo, encode);
}

/** The occupant object of a joined or left. */
function putOccupant(event: OccupantEvent, encode: Encode): void {
  const occupant = event.occupant;
  const traits = occupant.traits;
  put('{"occupant_jid":');
  putString(occupant.occupantJid);
  putNumberField(',"joined_at":', occupant.joinedAt);
  if (event.kind === "occupant-left") putNumberField(',"left_at":', occupant.leftAt);
  putIdentity(occupant.identity, encode);
  putStringField(',"role":"', event.standing.role);
  putStringField(',"affiliation":"', event.standing.affiliation);
  if (traits !== undefined) {
    putStringField(',"nick":"', traits.displayNick);
    putStringField(',"participant_id":"', traits.participantId);
    putStringField(',"kind":"', traits.kind);
  }
  if (event.kind === "occupant-left") putNumberField(',"total_dominant_speaker_time":', occupant.speakerTimeMs);
  put("}");
}

const EVENT_HEAD = '{"event_name":"%s","event_id":"%s","event_timestamp_ms":%s,"room_sequence":%s';

/** What identifies an event (as in payloads.ts's EventMeta). */
interface Meta {
  readonly eventId: string;
  readonly timestampMs: number;
  readonly sequence: number;
}

/** The JSON body of a joined or left event named `eventName`. */
export function occupantEventJson(event: OccupantEvent, eventName: string, meta: Meta, encode: Encode): string {
  const room = event.room;
  const breakout = room.breakout;
  beginText();
  // The fields every event has, in one piece (the name and id are ours: nothing to escape).
  put(string.format(EVENT_HEAD, eventName, meta.eventId, tostring(meta.timestampMs), tostring(meta.sequence)));
  if (breakout === undefined) {
    putStringField(',"room_name":"', room.roomName);
    putStringField(',"room_jid":"', room.roomJid);
    put(',"is_breakout":false');
  } else {
    putStringField(',"room_name":"', breakout.mainRoomName);
    putStringField(',"room_jid":"', breakout.mainRoomJid);
    put(',"is_breakout":true');
    putStringField(',"breakout_room_id":"', breakout.breakoutRoomId);
    putStringField(',"breakout_room_name":"', room.breakoutName);
  }
  putStringField(',"meeting_id":"', room.meetingId);
  putNumberField(',"active_occupants_count":', event.activeCount);
  if (event.kind === "occupant-left") putStringField(',"disconnect_reason":"', event.reason);
  put(',"occupant":');
  putOccupant(event, encode);
  putExtraFields(room.extraPayload, encode);
  put("}");
  return endText();
}
