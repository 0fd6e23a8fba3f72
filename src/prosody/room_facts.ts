/**
 * Reads what Jitsi's modules keep on a Prosody room: the meeting id, extra payload fields,
 * a breakout room's main room and speaking times. All optional: on a plain Prosody MUC none
 * of it is there and the payloads simply go without.
 */
import { truncateUtf8 } from "../json_values";
import { MAX_CLAIM_BYTES } from "../limits";
import { copyStringKeys } from "../lua_tables";
import { BreakoutInfo, RoomFacts, roomNameOf, SpeakerTime } from "../rooms";

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A copy of `room._data.event_sync_extra_payload` (string keys only), when it is a table. */
function extraPayloadOf(room: MucRoom): LuaMap<string, unknown> | undefined {
  return copyStringKeys(room._data.get("event_sync_extra_payload"));
}

/** Main rooms found for live breakout rooms, by breakout room JID (see `forgetBreakoutRoom`). */
const mainRoomCache = new LuaMap<string, MucRoom | false>();

function searchMainRoom(breakoutJid: string, mainMucHost: string): MucRoom | undefined {
  const muc = hosts.get(mainMucHost)?.modules.get("muc") as MucModule | undefined;
  const liveRooms = muc?.live_rooms;
  if (liveRooms === undefined) return undefined;
  for (const room of liveRooms()) {
    const breakouts = room._data.get("breakout_rooms");
    if (typeof breakouts === "object" && (breakouts as LuaTable<string, unknown>).get(breakoutJid) !== undefined) {
      return room;
    }
  }
  return undefined;
}

/**
 * The main room of a breakout room. Jitsi's mod_muc_breakout_rooms keeps the link only on the
 * main room (`_data.breakout_rooms[breakout JID]`); its speaker stats module caches the answer
 * as `room.main_room`. Otherwise the main MUC's live rooms are searched once per breakout room
 * and the answer cached, so later events cost O(1).
 */
function findMainRoom(breakoutRoom: MucRoom, mainMucHost: string): MucRoom | undefined {
  if (breakoutRoom.main_room !== undefined) return breakoutRoom.main_room;
  const cached = mainRoomCache.get(breakoutRoom.jid);
  if (cached !== undefined) return cached === false ? undefined : cached;
  const found = searchMainRoom(breakoutRoom.jid, mainMucHost);
  mainRoomCache.set(breakoutRoom.jid, found ?? false); // a miss is remembered too
  return found;
}

/**
 * A breakout room's display name: Jitsi's mod_muc_breakout_rooms keeps it on the main room
 * (`_data.breakout_rooms[breakout JID]`, the subject it gave the room; renames update it).
 */
function breakoutNameOf(main: MucRoom, breakoutJid: string): string | undefined {
  const breakouts = main._data.get("breakout_rooms");
  if (typeof breakouts !== "object") return undefined;
  const name = (breakouts as LuaTable<string, unknown>).get(breakoutJid);
  return typeof name === "string" && name !== "" ? truncateUtf8(name, MAX_CLAIM_BYTES) : undefined;
}

/** Drops the cached main room of a destroyed breakout room. */
export function forgetBreakoutRoom(breakoutJid: string): void {
  mainRoomCache.delete(breakoutJid);
}

function breakoutInfo(breakoutRoom: MucRoom, mainMucHost: string): BreakoutInfo {
  const main = findMainRoom(breakoutRoom, mainMucHost);
  const mainJid = main?.jid ?? breakoutRoom.jid; // no main room found: report the room itself
  return { mainRoomJid: mainJid, mainRoomName: roomNameOf(mainJid), breakoutRoomId: roomNameOf(breakoutRoom.jid) };
}

/**
 * The facts of a room of the main MUC (`mainMucHost` undefined) or of the breakout component.
 * A breakout room's meeting id is its main room's, so one meeting shares one id.
 */
export function roomFactsOf(room: MucRoom, mainMucHost: string | undefined): RoomFacts {
  const persistent = room.get_persistent !== undefined ? room.get_persistent() === true : undefined;
  if (mainMucHost === undefined) {
    return { meetingId: stringOf(room._data.get("meetingId")), extraPayload: extraPayloadOf(room), persistent };
  }
  const main = findMainRoom(room, mainMucHost);
  return {
    meetingId: stringOf((main ?? room)._data.get("meetingId")),
    extraPayload: extraPayloadOf(room),
    breakout: () => breakoutInfo(room, mainMucHost),
    persistent,
    breakoutName: main !== undefined ? breakoutNameOf(main, room.jid) : undefined,
  };
}

/**
 * Jitsi's total dominant-speaker time (ms) of an occupant, by real full JID, including an
 * interval still open (Jitsi closes it on `muc-occupant-pre-leave`, which a room destroy
 * skips). 0 when there are no stats for them (or none at all); undefined when the option is off.
 */
export function speakerTimeOf(room: MucRoom, enabled: boolean, nowMs: number): SpeakerTime {
  return (occupantJid) => {
    if (!enabled) return undefined;
    const entry = room.speakerStats?.get(occupantJid);
    if (typeof entry !== "object") return 0;
    const stats = entry as JitsiSpeakerStats;
    const recorded = stats.totalDominantSpeakerTime;
    // inf or NaN would make the body invalid JSON
    const total = typeof recorded === "number" && recorded === recorded && math.abs(recorded) < math.huge ? recorded : 0;
    const start = stats._dominantSpeakerStart;
    const open = typeof start === "number" && start > 0 && stats._isSilent !== true ? math.max(0, nowMs - start) : 0;
    return math.floor(total + open);
  };
}

/**
 * A room `room:destroy()` has ended (or is ending): `room.destroying` is set before its
 * occupants are cleared out. Another module may destroy a room from a handler running before
 * ours (a policy module refusing it at `muc-room-created`): its `muc-room-destroyed` was then
 * already reported, and an event reaching us now is about a dead room.
 */
export function isDestroyed(room: MucRoom): boolean {
  return room.destroying !== undefined && room.destroying !== false;
}
