/**
 * Multi-user chat objects from Prosody's `modules/muc/` (0.12), as far as event_sync reads them.
 */

/** An occupant (`occupant.lib.lua`): one nickname in a room, possibly with several sessions. */
interface MucOccupant {
  /** The in-room JID, `room@muc.example.com/Nick`. */
  readonly nick: string;
  /** The real bare JID of the user behind the nickname. */
  readonly bare_jid: string;
  /** The real full JID of the occupant's primary session. */
  readonly jid: string;
  /**
   * `moderator`, `participant` or `visitor` while inside; nil once the occupant is leaving or
   * was kicked (`set_role` to none) (`occupant.lib.lua` new_occupant, `muc.lib.lua` set_role).
   */
  readonly role?: string;
  /**
   * The last presence of session `real_jid` (default: the primary session) as the occupant
   * sent it, with MUC's own `<x/>` filtered out (`occupant.lib.lua` get_presence).
   */
  get_presence(real_jid?: string): Stanza | undefined;
}

/** A room (`muc.lib.lua` room_mt). */
interface MucRoom {
  /** The room's bare JID, `room@muc.example.com`. */
  readonly jid: string;
  /**
   * The room's stored state; other modules keep data here. Jitsi's keys that event_sync reads:
   * `meetingId` (mod_muc_meeting_id, a UUID set at `muc-room-created`), `breakout_rooms`
   * (mod_muc_breakout_rooms, on a main room: breakout room JID → name) and
   * `event_sync_extra_payload` (any module: fields to add to this room's payloads).
   */
  readonly _data: LuaTable<string, unknown>;
  /**
   * Jitsi's mod_speakerstats_component: per-occupant speaking time, keyed by the occupant's
   * real full JID (`occupant.jid`). The same table also holds scalars (`dominantSpeakerId`,
   * `sessionId`, ...), so entries must be checked to be tables.
   */
  readonly speakerStats?: LuaTable<string, unknown>;
  /**
   * On a breakout room: its main room, cached there by Jitsi's speaker stats module. On a
   * lobby room of older Jitsi versions: its main room (mod_muc_lobby_rooms attach_lobby_room).
   */
  readonly main_room?: MucRoom;
  /** On a Jitsi lobby room: its main room's JID (mod_muc_lobby_rooms attach_lobby_room). */
  readonly main_room_jid?: string;
  /** The occupant one of whose sessions has this real full JID (`muc.lib.lua`, 0.12 and 13). */
  get_occupant_by_real_jid?(real_jid: string): MucOccupant | undefined;
  /**
   * Set by `room:destroy()` (the reason, or `true`) before it clears the room and fires
   * `muc-room-destroyed` (`muc.lib.lua` ~1030 in 0.12, ~1028 in 13); never cleared: a destroyed
   * room object is not reused (13's tombstones are new room objects).
   */
  readonly destroying?: string | boolean;
  /** Whether the room outlives its last occupant (`muc.lib.lua` get_persistent, 0.12 and 13). */
  get_persistent?(): boolean;
  /**
   * The affiliation of a JID (any resource; a banned host counts): `owner`, `admin`, `member`,
   * `outcast` or nil for none (`muc.lib.lua` get_affiliation, 0.12 and 13).
   */
  get_affiliation(jid: string): string | undefined;
  /** The occupant with this in-room JID, if inside (`muc.lib.lua` get_occupant_by_nick, 0.12 and 13). */
  get_occupant_by_nick(nick: string): MucOccupant | undefined;
}

/**
 * One entry of Jitsi's `room.speakerStats` (mod_speakerstats_component SpeakerStats). Times
 * are milliseconds; the interval in progress is only added to the total when the speaker
 * changes or leaves (`muc-occupant-pre-leave`).
 */
interface JitsiSpeakerStats {
  readonly totalDominantSpeakerTime?: number;
  /** When the current dominant-speaker interval began (ms), 0 when none is open. */
  readonly _dominantSpeakerStart?: number;
  readonly _isSilent?: boolean;
}

/** The parts of mod_muc's module environment event_sync uses (`hosts[muc].modules.muc`). */
interface MucModule {
  /** Iterates the rooms in memory (`mod_muc.lua` live_rooms, 0.12 and later). */
  readonly live_rooms?: (this: void) => LuaIterable<MucRoom>;
  /** The room in memory with this JID (`mod_muc.lua` get_room_from_jid, 0.12 and 13). */
  readonly get_room_from_jid?: (this: void, jid: string) => MucRoom | undefined;
}

/**
 * `muc-occupant-joined` (`muc.lib.lua:527` for the first occupant of a new room, and the
 * normal join path): fired after the occupant is saved and its presence broadcast.
 */
interface MucOccupantJoinedEvent {
  readonly room: MucRoom;
  readonly occupant: MucOccupant;
  /** The joining client's session; carries Jitsi's `jitsi_meet_context_user`. */
  readonly origin?: ProsodySession;
}

/** The parts of a stanza (`util/stanza.lua`) event_sync reads. */
interface Stanza {
  readonly name: string;
  readonly attr: { readonly to?: string; readonly from?: string; readonly type?: string; readonly xmlns?: string } & {
    readonly [name: string]: string | undefined;
  };
  /** The child elements, in document order (a Lua list; text nodes are not in it). */
  readonly tags: readonly Stanza[];
  /**
   * The first child element named `name` in namespace `xmlns` (the parent's namespace when
   * omitted; any name when `name` is nil) (`stanza.lua` get_child).
   */
  get_child(name: string | undefined, xmlns?: string): Stanza | undefined;
  /** The text of that child, or nil when there is no such child (`stanza.lua` get_child_text). */
  get_child_text(name: string, xmlns?: string): string | undefined;
  /** Iterates the child elements matching `name` and `xmlns` as get_child does (`stanza.lua` childtags). */
  childtags(name?: string, xmlns?: string): LuaIterable<Stanza>;
  /** The element's concatenated text nodes (`stanza.lua` get_text). */
  get_text(): string;
}

/**
 * `muc-occupant-left`: fired when an occupant's last session leaves, on kick, on role
 * removal and for every occupant when the room is destroyed (`muc.lib.lua` ~432, ~747, ~1012).
 * On a nick change (`muc.lib.lua:747`) it carries the presence that caused it: `stanza.attr.to`
 * is then the NEW in-room JID, and Prosody fires `muc-occupant-joined` for it only when that
 * presence carries the MUC `<x/>` element. A session that is not the occupant's last one
 * leaves without this event.
 */
interface MucOccupantLeftEvent {
  readonly room: MucRoom;
  readonly occupant: MucOccupant;
  readonly origin?: ProsodySession;
  readonly stanza?: Stanza;
}

/**
 * `muc-room-created`: fired after the first occupant's `muc-occupant-joined`
 * (`muc.lib.lua:543`) or by `create_room` (`mod_muc.lua:307`).
 */
interface MucRoomCreatedEvent {
  readonly room: MucRoom;
}

/**
 * `muc-room-destroyed`: fired by `room:destroy()` after every occupant got its
 * `muc-occupant-left`, and by mod_muc's priority -1 `muc-occupant-left` handler when the last
 * occupant leaves a non-persistent room (`mod_muc.lua:192`).
 */
interface MucRoomDestroyedEvent {
  readonly room: MucRoom;
}

/**
 * `muc-broadcast-presence`: fired by `room:publicise_occupant_status` (`muc.lib.lua` ~243 in
 * 0.12, likewise in 13) before an occupant's presence goes to the room: on joins, presence
 * updates, role and affiliation changes, kicks, bans and leaves (then `occupant.role` is nil
 * already), and for everyone inside when the room is destroyed.
 */
interface MucBroadcastPresenceEvent {
  readonly room: MucRoom;
  readonly occupant: MucOccupant;
  /** The presence to broadcast (the occupant's own, or a generated unavailable one). */
  readonly stanza: Stanza;
  /** The `<x xmlns="http://jabber.org/protocol/muc#user"/>` with the status codes of this change. */
  readonly x: Stanza;
  /**
   * Who caused the change: a real JID (set_role/set_affiliation by a user), `true` or nil when
   * the server did it.
   */
  readonly actor?: string | true;
  readonly reason?: string;
}
