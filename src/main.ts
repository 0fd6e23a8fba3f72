/**
 * mod_event_sync_component: posts MUC room and occupant events to an HTTP API.
 *
 * Load order of the pieces: config → room tracking → payloads → delivery → Prosody wiring.
 * This file is the wiring's root: it reads the options once, builds the pieces and hooks
 * the MUC component. Apart from `prosody/` and the two HTTP transports (which use Prosody's
 * networking), everything it calls is pure.
 */
import { Config, readConfig } from "./config";
import { createKeepAliveTransport } from "./delivery/keepalive_transport";
import { createNetHttpTransport } from "./delivery/net_http_transport";
import { Dispatcher } from "./delivery/room_queues";
import { Delivery, HttpTransport, Log, Scheduler } from "./delivery/types";
import { describeUrl, eventUrl } from "./delivery/url";
import { EVENT_PATHS } from "./event_names";
import { DurabilityConfig, readDurabilityConfig } from "./durability_config";
import { MAX_PENDING_BYTES } from "./limits";
import { createIdSource } from "./event_ids";
import { createJsonEncoder } from "./json_encode";
import { createPipeline } from "./pipeline";
import { AdminCommands } from "./admin_commands";
import { registerAdminCommands } from "./prosody/admin_shell";
import { hookShutdown, openDurability, resumeDurable } from "./prosody/durability";
import { createHeaderBuilder } from "./prosody/headers";
import { createModuleMetrics } from "./prosody/metrics";
import { watchMucHosts } from "./prosody/muc_hooks";
import { watchServerStopping, watchSessionEnds } from "./prosody/leave_watch";
import { warmOnLogin } from "./prosody/warm_up";
import { createModuleScheduler } from "./prosody/scheduler";
import { RoomTable, RoomTracker } from "./rooms";
import { VERSION } from "./version";

// TSTL would strip ".json" from an import path, so these are required by hand.
const json = require("util.json") as typeof import("util.json");
const array = require("util.array") as typeof import("util.array");
const random = require("util.random") as typeof import("util.random");
const time = require("util.time") as typeof import("util.time");

/** What `module.save` hands the next instance on `module:reload`. */
interface SavedState {
  readonly rooms: RoomTable;
  readonly pending: Delivery[];
}

const log: Log = (level, message, ...args) => module.log(level, message, ...args);

/** `state` as this version's SavedState when it has its shape (a reload may cross versions). */
function savedStateOf(state: object): SavedState | undefined {
  const candidate = state as Partial<SavedState>;
  if (typeof candidate.rooms !== "object" || typeof candidate.pending !== "object") return undefined;
  for (const delivery of candidate.pending) {
    if (typeof delivery.eventId !== "string" || typeof delivery.path !== "string" || typeof delivery.body !== "string") {
      return undefined;
    }
  }
  return candidate as SavedState;
}
const nowMs = (): number => math.floor(time.now() * 1000);

/**
 * Seconds an idle keep-alive connection stays open: under the 5 s idle timeout of Node.js
 * HTTP servers (and most proxies), so we close first rather than race the server.
 */
const KEEPALIVE_IDLE_TIMEOUT = 4;

/**
 * The TLS context for https with keep-alive, built like Prosody's own HTTP client context
 * (`util/startup.lua`): the "client_https port 0" service name makes certmanager skip looking
 * up a certificate of ours, the CA store is Prosody's (`/etc/ssl/certs`, global `ssl` option),
 * and `client_https_ssl` applies. Verification is checked after the handshake (chain and host
 * name), as net.http does.
 */
function clientTlsContext(): object | undefined {
  const certmanager = require("core.certmanager") as typeof import("core.certmanager");
  const overrides = { verify: ["peer", "client_once"], alpn: "http/1.1" };
  const userSettings = module.get_option("client_https_ssl"); // falls back to the global section
  const [context, err] = certmanager.create_context(
    "client_https port 0",
    "client",
    overrides,
    typeof userSettings === "object" && userSettings !== null ? userSettings : {},
  );
  if (context === undefined) log("error", "Cannot create a TLS context for https (api_prefix): %s", tostring(err));
  return context;
}

function createTransport(config: Config, scheduler: Scheduler): HttpTransport {
  const base64Encode = (data: string): string => (require("util.encodings") as typeof import("util.encodings")).base64.encode(data);
  if (!config.keepAlive) return createNetHttpTransport(scheduler, log, base64Encode);
  let tls: object | false | undefined; // false: creating it failed (logged once)
  return createKeepAliveTransport({
    scheduler,
    log,
    maxConnections: config.maxConnections,
    maxPerConnection: config.pipelineDepth,
    idleTimeout: KEEPALIVE_IDLE_TIMEOUT,
    tlsContext: () => {
      tls ??= clientTlsContext() ?? false;
      return tls === false ? undefined : tls;
    },
    base64Encode,
    backend: (require("net.server") as typeof import("net.server")).get_backend(),
    clock: time.monotonic ?? time.now,
  });
}

function start(config: Config, durability: DurabilityConfig): void {
  const tracker = new RoomTracker();
  const scheduler = createModuleScheduler(log);
  const durable = durability.outbox ? openDurability(durability, scheduler, log, nowMs) : undefined;
  const transport = createTransport(config, scheduler);
  const dispatcher = new Dispatcher({
    journal: durable?.journal,
    transport,
    scheduler,
    apiPrefix: config.apiPrefix,
    policy: { retryCount: config.retryCount, shouldRetryForCode: config.shouldRetryForCode },
    backoff: { mode: config.retryBackoff, initialDelay: config.retryDelay, maxDelay: config.retryMaxDelay },
    timeout: config.apiTimeout,
    maxPending: config.maxPending,
    maxPendingBytes: MAX_PENDING_BYTES,
    pipelineDepth: config.pipelineDepth,
    headersFor: createHeaderBuilder(config),
    random: () => math.random(),
    nowMs,
    metrics: createModuleMetrics(),
    log,
  });
  const pipeline = createPipeline({
    log,
    dispatcher,
    events: config.events,
    encode: createJsonEncoder({ encode: (value) => json.encode(value), null: json.null, arrayMeta: getmetatable(array()) }),
    asJsonArray: array,
    newId: createIdSource((count) => random.bytes(count)),
    nowMs,
  });

  const resumed =
    durable === undefined
      ? undefined
      : resumeDurable(durable, { dispatcher, tracker, pipeline, scheduler, log, now: () => os.time(), reloading: module.reloading === true });
  const publisher = resumed?.publisher ?? pipeline;

  let flushHeld = (): void => undefined;
  module.save = () => {
    flushHeld(); // events held for a new room's first moment go with the hand-over
    durable?.outbox.flush(true);
    return { rooms: tracker.table(), pending: dispatcher.pending() } satisfies SavedState;
  };
  module.restore = (state) => {
    // Prosody calls restore({}) after an instance that saved nothing (e.g. one whose
    // configuration was broken): nothing was handed over, nothing to say.
    if (next(state)[0] === undefined) return;
    const saved = savedStateOf(state);
    if (saved === undefined) {
      log("warn", "The previous instance handed over state this version does not understand; starting afresh");
      return;
    }
    tracker.adopt(saved.rooms);
    durable?.rooms.handedOver(saved.rooms);
    // What this instance read from the outbox is already taken over; the rest (the outbox
    // could not be written or read, or was off before) goes into this instance's outbox.
    for (const delivery of saved.pending) {
      if (resumed?.takenOver.has(delivery.eventId) !== true) {
        resumed?.handedOver.add(delivery.eventId);
        dispatcher.adopt(delivery, durable !== undefined);
      }
    }
  };
  const unregisterShell = registerAdminCommands(
    new AdminCommands({
      host: module.host,
      api: describeUrl(config.apiPrefix),
      dispatcher,
      durable: durable && {
        outbox: durable.outbox,
        deadLetters: durable.deadLetters,
        replayed: durable.metrics.replayed,
        flush: () => durable.outbox.flush(),
        holds: (delivery) => durable.outbox.holds(delivery),
      },
    }),
  );
  module.unload = () => {
    unregisterShell();
    // A plain unload stops reporting rooms that live on: they are not a crash's to close.
    if (module.reloading !== true) durable?.rooms.forget(tracker.table());
    durable?.outbox.flush(true); // what is undelivered stays in the outbox for the next instance
    durable?.outbox.stop();
    dispatcher.stop();
  };

  flushHeld = watchMucHosts(config.mucComponent, config.breakoutComponent, {
    tracker,
    pipeline: publisher,
    log,
    now: () => os.time(),
    nowMs,
    includeUserInfo: config.includeUserInfo,
    includeSpeakerStats: config.includeSpeakerStats,
    defer: (callback) => scheduler.after(0, callback),
    services: config.services,
  }, config.lobbyComponent);
  watchServerStopping(log);
  watchSessionEnds(log);
  const warmUrl = eventUrl(config.apiPrefix, EVENT_PATHS["muc-occupant-joined"]);
  if (transport.warm !== undefined) warmOnLogin(log, () => transport.warm?.(warmUrl));
  hookShutdown({
    timeout: durability.shutdownTimeout,
    flushHeld: () => flushHeld(),
    idle: () => dispatcher.undelivered() === 0,
    persist: () => durable?.outbox.flush(true),
    log,
  });
  const signed = config.signingSecrets.length > 0 ? " (signed)" : "";
  log("info", "event_sync %s posting to %s%s", VERSION, describeUrl(config.apiPrefix), signed);
}

const readOption = (name: string): unknown => module.get_option(name);
const result = readConfig(readOption);
const durabilityResult = readDurabilityConfig(readOption);
if (result.ok && durabilityResult.errors.length === 0) {
  for (const warning of result.warnings) log("warn", "%s", warning);
  start(result.config, durabilityResult.config);
} else {
  const errors = [...(result.ok ? [] : result.errors), ...durabilityResult.errors];
  module.log_status("error", "Not reporting any events until the configuration is fixed: %s", errors.join("; "));
  // Reloaded into a broken configuration: say what the previous instance handed over is lost.
  module.restore = (state) => {
    const pending = (state as Partial<SavedState>).pending;
    if (pending !== undefined && pending.length > 0) {
      log("warn", "%d undelivered events of the previous configuration are dropped", pending.length);
    }
  };
}
