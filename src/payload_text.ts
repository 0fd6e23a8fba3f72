/**
 * The JSON body of the two events most webhooks are (an occupant joined, an occupant left),
 * written straight from the tracker's records as one text. The general path builds the payload
 * table (payloads.ts) and the encoder then walks it key by key; for these two events that was a
 * quarter of the Lua the module runs per webhook. The fields and values are exactly those of
 * `buildPayload` (spec/payload_text_spec.lua decodes both and compares them); only the order
 * of the keys differs, which JSON leaves free. Pure.
 */
import { jsonString } from "./json_encode";
import { isReservedField } from "./payload_occupants";
import { Identity } from "./identity";
import { RoomEvent } from "./rooms";

type Encode = (this: void, value: unknown) => string;
type OccupantEvent = Extract<RoomEvent, { kind: "occupant-joined" | "occupant-left" }>;

/** `,"key":"value"` for a string field; nothing when it is absent. */
function stringField(key: string, value: string | undefined): string {
  return value === undefined ? "" : `,"${key}":${jsonString(value)}`;
}

/** `,"key":123` for a number field; nothing when it is absent. */
function numberField(key: string, value: number | undefined): string {
  return value === undefined ? "" : `,"${key}":${tostring(value)}`;
}

/**
 * The fields of `extra` (a room's `event_sync_extra_payload`, a token's user context) that are
 * not ours, as `,"key":value…`: what `addExtra` adds to a payload table, with the values the
 * table encoder writes (a function or other non-JSON value is left out, as there).
 */
function extraFields(extra: LuaMap<string, unknown> | undefined, encode: Encode): string {
  if (extra === undefined) return "";
  let text = "";
  for (const [key, value] of extra) {
    const kind = type(value);
    if (typeof key === "string" && !isReservedField(key) && (kind === "string" || kind === "number" || kind === "boolean" || kind === "table")) {
      text = `${text},${jsonString(key)}:${encode(value)}`;
    }
  }
  return text;
}

function identityFields(identity: Identity | undefined, encode: Encode): string {
  if (identity === undefined) return "";
  return [stringField("name", identity.name), stringField("email", identity.email), stringField("id", identity.id), extraFields(identity.userInfo, encode)].join("");
}

/** The occupant object of a joined or left. */
function occupantText(event: OccupantEvent, encode: Encode): string {
  const occupant = event.occupant;
  const traits = occupant.traits;
  let leftAt: number | undefined;
  let speakerTimeMs: number | undefined;
  if (event.kind === "occupant-left") {
    leftAt = occupant.leftAt;
    speakerTimeMs = occupant.speakerTimeMs;
  }
  return [
    `{"occupant_jid":${jsonString(occupant.occupantJid)}`,
    numberField("joined_at", occupant.joinedAt),
    numberField("left_at", leftAt),
    identityFields(occupant.identity, encode),
    stringField("role", event.standing.role),
    stringField("affiliation", event.standing.affiliation),
    stringField("nick", traits?.displayNick),
    stringField("participant_id", traits?.participantId),
    stringField("kind", traits?.kind),
    numberField("total_dominant_speaker_time", speakerTimeMs),
    "}",
  ].join("");
}

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
  let breakoutName: string | undefined;
  if (breakout !== undefined) breakoutName = room.breakoutName;
  let reason: string | undefined;
  if (event.kind === "occupant-left") reason = event.reason;
  return [
    `{"event_name":${jsonString(eventName)},"event_id":${jsonString(meta.eventId)}`,
    `,"event_timestamp_ms":${tostring(meta.timestampMs)},"room_sequence":${tostring(meta.sequence)}`,
    `,"room_name":${jsonString(breakout?.mainRoomName ?? room.roomName)},"room_jid":${jsonString(breakout?.mainRoomJid ?? room.roomJid)}`,
    breakout !== undefined ? ',"is_breakout":true' : ',"is_breakout":false',
    stringField("breakout_room_id", breakout?.breakoutRoomId),
    stringField("breakout_room_name", breakoutName),
    stringField("meeting_id", room.meetingId),
    numberField("active_occupants_count", event.activeCount),
    stringField("disconnect_reason", reason),
    ',"occupant":',
    occupantText(event, encode),
    extraFields(room.extraPayload, encode),
    "}",
  ].join("");
}
