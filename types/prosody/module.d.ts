/**
 * The module API Prosody hands every plugin as the global `module`
 * (`core/moduleapi.lua`, Prosody 0.12). Only the parts event_sync uses are declared.
 *
 * Methods are called with a colon (`module:hook(...)`), so this interface is NOT `@noSelf`.
 */

/** Log levels understood by Prosody's logger (`core/loggingmanager.lua`). */
type ProsodyLogLevel = "debug" | "info" | "warn" | "error";

/**
 * An event handler. Prosody's `util.events` stops the handler chain as soon as a handler
 * returns anything but nil (`util/events.lua:81`), so handlers are typed to return nothing.
 */
type ProsodyEventHandler<E> = (this: void, event: E) => undefined;

/** A timer callback. Returning a number reschedules the timer that many seconds later. */
type ProsodyTimerCallback = (this: void, now: number) => number | undefined;

/** The handle `module:add_timer` returns (`core/moduleapi.lua` timer_mt). */
interface ProsodyTimer {
  /** Cancels the timer; the callback will not run. */
  stop(): void;
}

/**
 * A legacy measure (`core/statsmanager.lua` legacy_metric_wrappers): a `rate` counts calls,
 * an `amount` is a gauge set to the value given, a `distribution` samples the value given.
 * With statistics disabled Prosody hands out a no-op.
 */
type ProsodyMeasure = (this: void, value?: number) => void;

/** Extra settings of a measure: what `/metrics` shows as its description and unit. */
interface ProsodyMeasureConf {
  readonly description?: string;
  readonly unit?: string;
}

interface ProsodyModuleApi {
  /** This module's name without the `mod_` prefix, e.g. `event_sync_component`. */
  readonly name: string;
  /** The host (or component) this instance is loaded on. */
  readonly host: string;
  /**
   * True while a `module:reload` replaces this module: set on the old instance before its
   * `unload`, and on the new one while it loads (`modulemanager.lua`, 0.12 and 13).
   */
  readonly reloading?: boolean;

  /**
   * Reads a raw config value for this module's host, falling back to the global section,
   * then to `default_value` (`moduleapi.lua:202`). No type conversion or logging happens,
   * which lets us validate and report ill-typed values ourselves.
   */
  get_option(name: string, default_value?: unknown): unknown;


  /**
   * Adds `handler` to `event` on this module's host, with a priority (higher runs first).
   * The hook is removed when the module unloads (`moduleapi.lua:93`). On a host that does not
   * exist yet it would land on the global event bus instead, so call it only for live hosts.
   */
  hook<E>(event: string, handler: ProsodyEventHandler<E>, priority?: number): void;
  /** Hooks an event on Prosody's global event bus (`prosody.events`). Removed on unload. */
  hook_global(event: ProsodyHostEventName, handler: ProsodyEventHandler<string>, priority?: number): void;
  /**
   * `server-stopping` fires on `prosody.shutdown` (`util/startup.lua`), inside a `util.async`
   * runner: mod_c2s closes every client session at priority -100 and waits for them there.
   */
  hook_global(event: "server-stopping", handler: ProsodyEventHandler<{ readonly reason?: string }>, priority?: number): void;

  /**
   * Returns this module's API bound to another host (`moduleapi.lua:309`): hooks placed through
   * it fire for that host and are still removed when THIS module unloads.
   */
  context(host: string): ProsodyModuleApi;

  /** Logs through the module's logger; `message` is a `string.format` pattern. */
  log(level: ProsodyLogLevel, message: string, ...args: unknown[]): void;

  /**
   * Logs like `log` and also records the message as the module's status, shown by
   * `prosodyctl shell` (`moduleapi.lua:595`).
   */
  log_status(level: ProsodyLogLevel, message: string, ...args: unknown[]): void;

  /**
   * Runs `callback` after `delay` seconds (`moduleapi.lua:501`), on Prosody's main loop.
   * Skipped once the module has been unloaded.
   */
  add_timer(delay: number, callback: ProsodyTimerCallback): ProsodyTimer;

  /**
   * Creates a statistic named `mod_<module>/<name>` (`moduleapi.lua:543`), exported by
   * `mod_http_openmetrics` when `statistics = "internal"`.
   */
  measure(name: string, type: "rate" | "amount" | "distribution", conf?: ProsodyMeasureConf): ProsodyMeasure;
  /**
   * A table shared by every module instance that asks for the same path (`moduleapi.lua`
   * shared): a relative name is this module's on this host; `/*\/admin_shell/env` is
   * mod_admin_shell's command environment on every host (0.12 and 13).
   */
  shared<T extends object>(path: string): T;
  /**
   * Opens this host's store `name` of the given type (`moduleapi.lua:539`, storagemanager
   * `open`): the store, or nil and an error text. A backend that does not support the type
   * yields a store that keeps nothing (logged by Prosody at debug level).
   */
  open_store(name: string, type: "keyval"): LuaMultiReturn<[ProsodyKeyvalStore | undefined, string | undefined]>;

  /**
   * Called by Prosody without a self (`modulemanager.lua:410`) before the module is unloaded
   * for a reload; whatever it returns is handed to the new instance's `restore`.
   */
  save?: (this: void) => object;
  /** Receives what the previous instance's `save` returned, right after a reload. */
  restore?: (this: void, state: object) => void;
  /** Called without a self when the module is unloaded (also on reload). */
  unload?: (this: void) => void;
}

/** Prosody's global host table, keyed by host name (`core/hostmanager.lua`). */
interface ProsodyHost {
  /** Loaded modules, keyed by name (`modulemanager`): present means loaded. */
  readonly modules: LuaTable<string, unknown>;
  /** `"local"` for a VirtualHost (users log in there), `"component"` for a Component. */
  readonly type?: string;
}

/** The module API; Prosody sets it as a global in every plugin's environment. */
declare const module: ProsodyModuleApi;
/** All active hosts; a component appears here once it is activated. */
declare const hosts: LuaTable<string, ProsodyHost>;

/**
 * Global events whose payload is a bare host name rather than a table
 * (`core/hostmanager.lua:108`, `:158`): `host-activated`, `host-deactivated`.
 */
type ProsodyHostEventName = "host-activated" | "host-deactivated";

/** Prosody's global state table (`prosody` in every module's environment). */
declare const prosody: {
  /**
   * Every bound client session by full JID (`core/sessionmanager.lua`, 0.12 and 13): how a
   * real JID found in a stanza leads to its session (and a Jitsi token's user context).
   */
  readonly full_sessions: LuaTable<string, ProsodySession>;
};
