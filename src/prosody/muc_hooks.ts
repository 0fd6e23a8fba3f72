/**
 * The thin Prosody wiring: hooks on the MUC component's events (and on Jitsi's breakout rooms
 * component when configured), placed once that host is active: it may be defined before or
 * after our component in the config.
 */
import { Log } from "../delivery/types";
import { isHealthCheckRoom } from "../exclusions";
import { IdentityCache } from "../identity";
import { Pipeline } from "../pipeline";
import { RoomTracker } from "../rooms";
import { guarded } from "../safe";
import { Defer, FirstSightBuffer } from "./first_sight";
import { nickChangeTarget, noteLeaving, reasonOf } from "./leave_watch";
import { HookOn, watchLobby } from "./lobby_watch";
import { ServiceOptions } from "../service_options";
import { jibriWatcher } from "./jibri_watch";
import { renamedTraits, traitsOf } from "./occupant_reader";
import { roleWatcher } from "./role_watch";
import { adminsOf, serviceParticipants } from "./service_participants";
import { forgetBreakoutRoom, isDestroyed, roomFactsOf, speakerTimeOf } from "./room_facts";

/**
 * mod_muc destroys an empty room from a `muc-occupant-left` handler at priority -1
 * (`mod_muc.lua:192`); ours must run before it so the last `left` precedes `destroyed`.
 * Jitsi's speaker stats close the leaver's speaking interval earlier, in
 * `muc-occupant-pre-leave`, so their total is final by then.
 */
const OCCUPANT_LEFT_PRIORITY = 10;
/**
 * Other MUC events: after Jitsi's modules that prepare the room at `muc-room-created`
 * (mod_muc_meeting_id at 0, speaker stats at -1), like the Lua event_sync (-2).
 */
const ROOM_EVENT_PRIORITY = -2;

export interface MucHookDeps {
  readonly tracker: RoomTracker;
  readonly pipeline: Pipeline;
  readonly log: Log;
  /** Current time in integer Unix seconds. */
  readonly now: (this: void) => number;
  /** Current time in Unix milliseconds (speaker stats). */
  readonly nowMs: (this: void) => number;
  readonly includeUserInfo: boolean;
  readonly includeSpeakerStats: boolean;
  /** Runs a callback on the next turn of Prosody's main loop. */
  readonly defer: Defer;
  /** Who is Jicofo, Jibri, Jigasi (service_participants.ts), and whether they are reported. */
  readonly services: ServiceOptions;
}

/** Hooks on `muc` whose handlers never throw into Prosody. */
function hookOn(muc: ProsodyModuleApi, log: Log): HookOn {
  return (name, priority, handler) => muc.hook(name, guarded(log, name, handler), priority);
}

/**
 * Hooks one MUC host. `mainMucHost` is undefined for the main MUC itself and names it when
 * `muc` is the breakout rooms component.
 */
function hookMucHost(
  muc: ProsodyModuleApi,
  mainMucHost: string | undefined,
  deps: MucHookDeps,
  identities: IdentityCache,
): FirstSightBuffer {
  const { tracker, log, now, nowMs } = deps;
  const rooms = new FirstSightBuffer(deps.pipeline, deps.defer);
  const on = hookOn(muc, log);
  const speakerTime = (room: MucRoom) => speakerTimeOf(room, deps.includeSpeakerStats, nowMs());
  const services = serviceParticipants(deps.services, adminsOf(muc));

  on<MucRoomCreatedEvent>("muc-room-created", ROOM_EVENT_PRIORITY, ({ room }) => {
    if (isHealthCheckRoom(room.jid) || isDestroyed(room)) return;
    rooms.publish(room.jid, tracker.roomCreated(room.jid, roomFactsOf(room, mainMucHost), now()));
  });
  on<MucOccupantJoinedEvent>("muc-occupant-joined", ROOM_EVENT_PRIORITY, ({ room, occupant, origin }) => {
    if (isHealthCheckRoom(room.jid) || isDestroyed(room) || services.isFocus(occupant) || services.isLeftOut(occupant)) return;
    const joining = { nick: occupant.nick, occupantJid: occupant.jid, identity: identities.of(origin), traits: traitsOf(room, occupant, services.kindOf) };
    rooms.publish(room.jid, tracker.occupantJoined(room.jid, roomFactsOf(room, mainMucHost), joining, now()));
  });
  on<MucOccupantLeftEvent>("muc-occupant-left", OCCUPANT_LEFT_PRIORITY, (event) => {
    const { room, occupant, origin, stanza } = event;
    if (isHealthCheckRoom(room.jid) || services.isFocus(occupant)) return;
    const at = now();
    const facts = roomFactsOf(room, mainMucHost);
    const newNick = nickChangeTarget(occupant, stanza);
    // The real JID of the session that changed nick (an s2s session has no full_jid of its own).
    const realJid = stanza?.attr.from ?? origin?.full_jid;
    const renamed = newNick !== undefined && realJid !== undefined;
    const previous = tracker.occupant(room.jid, occupant.nick);
    if (previous === undefined && services.isLeftOut(occupant)) return; // nor its nick change
    rooms.publish(room.jid, tracker.occupantLeft(room.jid, facts, occupant.nick, reasonOf(event, renamed), speakerTime(room), at));
    if (renamed) {
      const traits = renamedTraits(previous, newNick, stanza);
      rooms.publish(room.jid, tracker.occupantJoined(room.jid, facts, { nick: newNick, occupantJid: realJid, identity: identities.of(origin), traits }, at));
    }
  });
  on<MucRoomDestroyedEvent>("muc-room-destroyed", ROOM_EVENT_PRIORITY, ({ room }) => {
    if (isHealthCheckRoom(room.jid)) return;
    rooms.publish(room.jid, tracker.roomDestroyed(room.jid, roomFactsOf(room, mainMucHost), speakerTime(room), now()));
    if (mainMucHost !== undefined) forgetBreakoutRoom(room.jid);
  });
  const roleChanged = roleWatcher(mainMucHost, rooms, { tracker, now, identities });
  const jibriChanged = jibriWatcher(mainMucHost, rooms, { tracker, now, identities });
  // Every presence the room sends out: focus's Jibri status, a leaver's status codes, a role
  // or affiliation change.
  on<MucBroadcastPresenceEvent>("muc-broadcast-presence", ROOM_EVENT_PRIORITY, (event) => {
    if (isHealthCheckRoom(event.room.jid)) return;
    if (services.isFocus(event.occupant)) jibriChanged(event);
    else if (event.occupant.role === undefined) noteLeaving(event);
    else roleChanged(event);
  });
  return rooms;
}

/** The active hosts that run mod_muc, sorted: what a mistyped MUC option could have meant. */
function mucHostNames(): string[] {
  const names: string[] = [];
  for (const [name, host] of hosts) {
    if (host.modules.get("muc") !== undefined) names.push(name);
  }
  table.sort(names);
  return names;
}

/**
 * Calls `attach` for `host` now if it is active, and again whenever it is (re)activated.
 * Hooks placed through `module:context(host)` are removed when our module unloads. When the
 * host is still missing once the server runs (the first turn of its main loop comes after
 * every configured host was activated), `option` most likely names a host that does not exist:
 * one warning says so.
 */
function whenActive(host: string, option: string, deps: MucHookDeps, attach: (this: void, api: ProsodyModuleApi) => void): void {
  const log = deps.log;
  module.hook_global(
    "host-activated",
    guarded(log, "host-activated", (activated: string) => {
      if (activated === host) attach(module.context(host));
    }),
  );
  if (hosts.get(host) !== undefined) {
    attach(module.context(host));
    return;
  }
  log("info", "Waiting for %s to be activated", host);
  deps.defer(() => {
    if (hosts.get(host) !== undefined) return;
    const known = mucHostNames();
    log(
      "warn",
      "%s = %q: no such host is active, so nothing of it is reported (MUC components on this server: %s); fix the option and reload the module",
      option,
      host,
      known.length > 0 ? known.join(", ") : "none",
    );
  });
}

/**
 * Reports the rooms of `mucHost`, of `breakoutHost` (Jitsi breakout rooms) and the lobbies of
 * `lobbyHost` (Jitsi lobby rooms) when given. Returns a function that publishes every event
 * still held back (call it before a reload).
 */
export function watchMucHosts(mucHost: string, breakoutHost: string | undefined, deps: MucHookDeps, lobbyHost?: string): () => void {
  const buffers: FirstSightBuffer[] = [];
  let mainRooms: FirstSightBuffer | undefined;
  const identities = new IdentityCache(deps.includeUserInfo); // shared: a session may move to a breakout room
  whenActive(mucHost, "muc_component", deps, (api) => {
    deps.log("info", "Reporting room events of %s", mucHost);
    mainRooms = hookMucHost(api, undefined, deps, identities);
    buffers.push(mainRooms);
  });
  if (breakoutHost !== undefined) {
    whenActive(breakoutHost, "breakout_component", deps, (api) => {
      deps.log("info", "Reporting breakout room events of %s", breakoutHost);
      buffers.push(hookMucHost(api, mucHost, deps, identities));
    });
  }
  if (lobbyHost !== undefined) {
    const priorities = { event: ROOM_EVENT_PRIORITY, left: OCCUPANT_LEFT_PRIORITY };
    whenActive(lobbyHost, "lobby_component", deps, (api) => {
      deps.log("info", "Reporting lobby events of %s", lobbyHost);
      watchLobby(hookOn(api, deps.log), mucHost, priorities, { ...deps, identities, mainRooms: () => mainRooms });
    });
  }
  return () => {
    for (const buffer of buffers) buffer.flushAll();
  };
}
