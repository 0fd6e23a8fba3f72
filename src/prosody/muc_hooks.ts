/**
 * The thin Prosody wiring: hooks on the MUC component's events, placed once that host is
 * active (it may be defined before or after our component in the config).
 */
import { Log } from "../delivery/types";
import { isFocusOccupant, isHealthCheckRoom } from "../exclusions";
import { identityOf } from "../identity";
import { Pipeline } from "../pipeline";
import { RoomTracker } from "../rooms";
import { guarded } from "../safe";

/**
 * mod_muc destroys an empty room from a `muc-occupant-left` handler at priority -1
 * (`mod_muc.lua:192`); ours must run before it so the last `left` precedes `destroyed`.
 */
const OCCUPANT_LEFT_PRIORITY = 10;
/** Other MUC events: default priority, any order relative to mod_muc is fine. */
const DEFAULT_PRIORITY = 0;

export interface MucHookDeps {
  readonly tracker: RoomTracker;
  readonly pipeline: Pipeline;
  readonly log: Log;
  /** Current time in integer Unix seconds. */
  readonly now: (this: void) => number;
}

/**
 * The new in-room JID when a `muc-occupant-left` is really a nick change: the presence that
 * caused it is available (not `unavailable`) and addressed to another nick in the same room.
 */
function nickChangeTarget(occupant: MucOccupant, stanza: Stanza | undefined): string | undefined {
  if (stanza === undefined || stanza.name !== "presence" || stanza.attr.type !== undefined) return undefined;
  const to = stanza.attr.to;
  return to !== undefined && to !== occupant.nick ? to : undefined;
}

function hookMucHost(muc: ProsodyModuleApi, deps: MucHookDeps): void {
  const { tracker, pipeline, log, now } = deps;
  const on = <E>(name: string, priority: number, handler: (this: void, event: E) => void): void =>
    muc.hook<E>(name, guarded(log, name, handler), priority);

  on<MucRoomCreatedEvent>("muc-room-created", DEFAULT_PRIORITY, ({ room }) => {
    if (isHealthCheckRoom(room.jid)) return;
    pipeline.publish(tracker.roomCreated(room.jid, now()));
  });
  on<MucOccupantJoinedEvent>("muc-occupant-joined", DEFAULT_PRIORITY, ({ room, occupant, origin }) => {
    if (isHealthCheckRoom(room.jid) || isFocusOccupant(occupant.bare_jid)) return;
    pipeline.publish(tracker.occupantJoined(room.jid, occupant.nick, occupant.jid, identityOf(origin), now()));
  });
  on<MucOccupantLeftEvent>("muc-occupant-left", OCCUPANT_LEFT_PRIORITY, ({ room, occupant, origin, stanza }) => {
    if (isHealthCheckRoom(room.jid) || isFocusOccupant(occupant.bare_jid)) return;
    const at = now();
    pipeline.publish(tracker.occupantLeft(room.jid, occupant.nick, at));
    const newNick = nickChangeTarget(occupant, stanza);
    if (newNick !== undefined && origin?.full_jid !== undefined) {
      pipeline.publish(tracker.occupantJoined(room.jid, newNick, origin.full_jid, identityOf(origin), at));
    }
  });
  on<MucRoomDestroyedEvent>("muc-room-destroyed", DEFAULT_PRIORITY, ({ room }) => {
    if (isHealthCheckRoom(room.jid)) return;
    pipeline.publish(tracker.roomDestroyed(room.jid, now()));
  });
}

/**
 * Hooks the MUC host now if it is active, and again whenever it is (re)activated.
 * Hooks placed through `module:context(host)` are removed when our module unloads.
 */
export function watchMucHost(mucHost: string, deps: MucHookDeps): void {
  const attach = (): void => {
    deps.log("info", "Reporting room events of %s", mucHost);
    hookMucHost(module.context(mucHost), deps);
  };
  module.hook_global(
    "host-activated",
    guarded(deps.log, "host-activated", (host: string) => {
      if (host === mucHost) attach();
    }),
  );
  if (hosts.get(mucHost) !== undefined) {
    attach();
  } else {
    deps.log("info", "Waiting for MUC component %s to be activated", mucHost);
  }
}
