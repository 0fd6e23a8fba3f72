/**
 * mod_event_sync_component: posts MUC room and occupant events to an HTTP API.
 *
 * Load order of the pieces: config → room tracking → payloads → delivery → Prosody wiring.
 * This file is the wiring's root: it reads the options once, builds the pieces and hooks
 * the MUC component. Everything it calls that is not under `prosody/` is pure.
 */
import { Config, readConfig } from "./config";
import { Dispatcher } from "./delivery/room_queues";
import { createNetHttpTransport } from "./delivery/net_http_transport";
import { Delivery, Log } from "./delivery/types";
import { createPipeline } from "./pipeline";
import { watchMucHost } from "./prosody/muc_hooks";
import { createModuleScheduler } from "./prosody/scheduler";
import { RoomTable, RoomTracker } from "./rooms";
import { USER_AGENT, VERSION } from "./version";

// TSTL would strip ".json" from an import path, so these two are required by hand.
const json = require("util.json") as typeof import("util.json");
const array = require("util.array") as typeof import("util.array");

/** What `module.save` hands the next instance on `module:reload`. */
interface SavedState {
  readonly rooms: RoomTable;
  readonly pending: Delivery[];
}

const log: Log = (level, message, ...args) => module.log(level, message, ...args);

function requestHeaders(config: Config): LuaMap<string, string> {
  const headers = new LuaMap<string, string>();
  for (const [name, value] of config.apiHeaders) headers.set(name, value);
  headers.set("Content-Type", "application/json");
  headers.set("User-Agent", USER_AGENT);
  return headers;
}

function start(config: Config): void {
  const tracker = new RoomTracker();
  const headers = requestHeaders(config);
  const dispatcher = new Dispatcher({
    transport: createNetHttpTransport(),
    scheduler: createModuleScheduler(),
    apiPrefix: config.apiPrefix,
    policy: { retryCount: config.retryCount, shouldRetryForCode: config.shouldRetryForCode },
    timeout: config.apiTimeout,
    retryDelay: config.retryDelay,
    headersFor: () => headers,
    log,
  });
  const pipeline = createPipeline(dispatcher, (value) => json.encode(value), array);

  module.save = () => ({ rooms: tracker.table(), pending: dispatcher.pending() }) satisfies SavedState;
  module.restore = (state) => {
    const saved = state as Partial<SavedState>;
    if (saved.rooms !== undefined) tracker.adopt(saved.rooms);
    for (const delivery of saved.pending ?? []) dispatcher.enqueue(delivery);
  };
  module.unload = () => dispatcher.stop();

  watchMucHost(config.mucComponent, { tracker, pipeline, log, now: () => os.time() });
  log("info", "event_sync %s posting to %s", VERSION, config.apiPrefix);
}

const result = readConfig((name) => module.get_option(name));
if (result.ok) {
  for (const warning of result.warnings) log("warn", "%s", warning);
  start(result.config);
} else {
  module.log_status("error", "Not reporting any events until the configuration is fixed: %s", result.errors.join("; "));
}
