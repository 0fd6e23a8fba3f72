/**
 * Starts a throw-away Prosody for one test: temp config + data dir, free loopback ports,
 * our freshly built plugin, and a log file the test can read. `stop()` leaves nothing behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { exitedRun, ExitStatus, launch, Run, terminate } from "./prosody_process.js";

export type { ExitStatus } from "./prosody_process.js";

export const DOMAIN = "localhost";
export const MUC_HOST = "conference.localhost";
export const COMPONENT_HOST = "event_sync.localhost";
export const MODULE_FILE = "mod_event_sync_component.lua";
/** Where the Jitsi suite puts Jitsi's breakout rooms MUC (`breakout.<domain>`, as Jitsi does). */
export const BREAKOUT_HOST = "breakout.localhost";

/** A Lua expression written verbatim into the config (e.g. a function). */
export class LuaCode {
  constructor(readonly code: string) {}
}
export const lua = (code: string): LuaCode => new LuaCode(code);

export type LuaValue = string | number | boolean | LuaCode | LuaValue[] | { [key: string]: LuaValue | undefined };

/** Renders a string as a Lua 5.1 literal (no \u escapes in 5.1: use decimal escapes). */
function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString().padStart(3, "0")}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

export function toLua(value: LuaValue): string {
  if (value instanceof LuaCode) return value.code;
  if (typeof value === "string") return luaString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`cannot render ${value} as Lua`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `{ ${value.map(toLua).join(", ")} }`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined) as [string, LuaValue][];
  return `{ ${entries.map(([k, v]) => `[${luaString(k)}] = ${toLua(v)}`).join("; ")} }`;
}

/** Renders `name = value` lines for a config block; `undefined` values are left out. */
export function renderOptions(options: Record<string, LuaValue | undefined>, indent = "    "): string {
  return Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad option name ${name}`);
      return `${indent}${name} = ${toLua(v as LuaValue)}`;
    })
    .join("\n");
}

export interface ProsodyOptions {
  /**
   * Options of our Component block. `muc_component` defaults to the MUC host; pass
   * `muc_component: undefined` explicitly to leave it out. A string is used verbatim (Lua).
   */
  component?: Record<string, LuaValue | undefined> | string;
  /** Extra Lua appended inside our Component block (after `component`). */
  componentLua?: string;
  /** Define the MUC component before ours ("muc-first") or after it ("ours-first", default). */
  order?: "ours-first" | "muc-first";
  /** Options of the MUC Component block (merged over `muc_room_locking = false`). */
  mucOptions?: Record<string, LuaValue | undefined>;
  /** More Component blocks, written after ours and the MUC's (e.g. Jitsi's breakout rooms MUC). */
  extraComponents?: ExtraComponent[];
  /** Directory holding mod_event_sync_component.lua; defaults to the build globalSetup made. */
  pluginDir?: string;
  /** More plugin directories (after ours). */
  extraPluginDirs?: string[];
  /** More globally enabled modules. */
  extraModules?: string[];
  /** Extra global Lua lines (before any host). */
  globalLua?: string;
  /** Extra Lua lines inside the VirtualHost block (e.g. a host-only module and its options). */
  virtualHostLua?: string;
  /**
   * Opens Prosody's telnet admin console (mod_admin_telnet) on a free loopback port, for
   * `ProsodyInstance.adminCommand` (e.g. `module:reload(...)`).
   */
  adminConsole?: boolean;
  /**
   * Enables mod_admin_shell (and mod_admin_socket, on `<dir>/admin.sock`) for `prosodyctl shell`:
   * see `shellCommand` in shell.ts.
   */
  adminShell?: boolean;
  /** Log level floor ("debug" by default, so secrets in debug lines are caught too). */
  logLevel?: "debug" | "info" | "warn" | "error";
  startTimeoutMs?: number;
}

/** `Component "<host>" "<module>"` followed by its options. */
export interface ExtraComponent {
  readonly host: string;
  readonly module: string;
  readonly options?: Record<string, LuaValue | undefined>;
}

/** A second MUC component (`muc_room_locking = false` like the main one), e.g. for breakout rooms. */
export function mucComponent(host: string, options: Record<string, LuaValue | undefined> = {}): ExtraComponent {
  return { host, module: "muc", options: { muc_room_locking: false, ...options } };
}

export interface ProsodyInstance {
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly httpPort: number;
  readonly c2sPort: number;
  /** The current process (changes on `start()`/`restart()`). */
  readonly pid: number;
  /** `ws://127.0.0.1:<http>/xmpp-websocket` */
  readonly websocketUrl: string;
  /** Everything Prosody logged to its log file so far. */
  logText(): string;
  /** Prosody's stdout + stderr so far. */
  consoleText(): string;
  /** True once the current process has exited. */
  exited(): boolean;
  /** The telnet admin console port, when started with `adminConsole: true`. */
  readonly consolePort?: number;
  /**
   * Runs one line on the admin console (needs `adminConsole: true`) and resolves with its
   * output (the `| `-prefixed lines, prefix removed).
   */
  adminCommand(line: string, timeoutMs?: number): Promise<string>;
  /** mod_admin_socket's socket (in `dir`), when started with `adminShell: true` (see shell.ts). */
  readonly adminSocket?: string;
  /** SIGTERM (SIGKILL after `timeoutMs`), then removes the directory. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  /**
   * Sends `signal` to the running Prosody and waits for it to exit, keeping the directory for
   * `start()`. SIGTERM: rejects (after a SIGKILL) if it has not exited within `timeoutMs` (15 s).
   */
  kill(signal?: "SIGTERM" | "SIGKILL", timeoutMs?: number): Promise<void>;
  /** Starts a new Prosody on the same directory, config (re-read from `configPath`) and ports. */
  start(): Promise<void>;
  /** `kill(signal)` then `start()`: a graceful restart (SIGTERM, default) or a crash (SIGKILL). */
  restart(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** How the last process ended (undefined while it runs). */
  exitStatus(): ExitStatus | undefined;
}


/** Finds a free loopback port by binding port 0 (small race, acceptable for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("no port"));
        return;
      }
      const port = address.port;
      server.close(() => resolvePort(port));
    });
  });
}

/** The two Prosody versions the suite runs on (see README, "Compatibility"). */
export type ProsodyVersion = "0.12" | "13";

/**
 * Which Prosody to start, from `PROSODY`: `13` is Debian bookworm-backports' 13.0, unpacked
 * by scripts/prosody13.sh into .cache/prosody-13 (`make prosody13`); anything else (default)
 * is the system's `prosody`, Debian bookworm's 0.12.
 */
export function prosodyVersion(): ProsodyVersion {
  const wanted = process.env.PROSODY ?? "0.12";
  if (wanted === "13" || wanted.startsWith("13.")) return "13";
  if (wanted === "0.12" || wanted.startsWith("0.12")) return "0.12";
  throw new Error(`PROSODY=${wanted}: the suite knows 0.12 and 13`);
}

/** The `prosody` executable of `prosodyVersion()`; `tool` = "prosodyctl" for its prosodyctl. */
export function prosodyBinary(tool: "prosody" | "prosodyctl" = "prosody"): string {
  if (prosodyVersion() === "0.12") return tool;
  const bin = resolve(process.cwd(), ".cache/prosody-13/bin", tool);
  if (!existsSync(bin)) throw new Error(`${bin} not found: run scripts/prosody13.sh (make prosody13) first`);
  return bin;
}

/** Prosody's own source tree (its `prosody.version`, modules) for `prosodyVersion()`. */
export function prosodySourceDir(): string {
  return prosodyVersion() === "0.12" ? "/usr/lib/prosody" : resolve(process.cwd(), ".cache/prosody-13/root/usr/lib/prosody");
}

/** Where the plugin comes from: env E2E_PLUGIN_DIR, else the built dist/. */
export function defaultPluginDir(): string {
  return resolve(process.cwd(), process.env.E2E_PLUGIN_DIR ?? "dist");
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true when an HTTP request to the port gets any response (the server loop runs). */
function httpAnswers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let answered = false;
    const done = (ok: boolean): void => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolveAnswer(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    socket.on("data", (chunk) => done(chunk.toString("latin1").startsWith("HTTP/")));
    socket.on("close", () => done(false));
  });
}

/**
 * `E2E_KEEPALIVE=false` runs the suite on Prosody's net.http transport: `api_keepalive = false`
 * is added to every Component block that does not set it (see `make e2e`).
 */
function transportDefaults(): Record<string, LuaValue> {
  return process.env.E2E_KEEPALIVE === "false" ? { api_keepalive: false } : {};
}

function componentBlock(options: ProsodyOptions): string {
  const lines = [`Component ${luaString(COMPONENT_HOST)} "event_sync_component"`];
  if (typeof options.component === "string") lines.push(options.component);
  else lines.push(renderOptions({ muc_component: MUC_HOST, ...transportDefaults(), ...(options.component ?? {}) }));
  if (options.componentLua !== undefined) lines.push(options.componentLua);
  return lines.filter((l) => l !== "").join("\n");
}

function mucBlock(options: ProsodyOptions): string {
  return [`Component ${luaString(MUC_HOST)} "muc"`, renderOptions({ muc_room_locking: false, ...(options.mucOptions ?? {}) })].join("\n");
}

export function renderConfig(
  options: ProsodyOptions,
  paths: { dir: string; logPath: string; pluginDirs: string[]; adminSocket?: string },
  ports: { http: number; c2s: number; console?: number },
): string {
  const modules = [
    "roster",
    "saslauth",
    "disco",
    "ping",
    "websocket",
    ...(ports.console !== undefined ? ["admin_telnet"] : []),
    ...(paths.adminSocket !== undefined ? ["admin_shell"] : []),
    ...(options.extraModules ?? []),
  ];
  const global = [
    "-- generated by spec/e2e/helpers/prosody.ts",
    "run_as_root = true",
    "daemonize = false",
    `pidfile = ${luaString(join(paths.dir, "prosody.pid"))}`,
    `data_path = ${luaString(join(paths.dir, "data"))}`,
    `certificates = ${luaString(join(paths.dir, "certs"))}`,
    `plugin_paths = ${toLua(paths.pluginDirs)}`,
    `log = { { levels = { min = ${luaString(options.logLevel ?? "debug")} }, to = "file", filename = ${luaString(paths.logPath)} } }`,
    'interfaces = { "127.0.0.1" }',
    'local_interfaces = { "127.0.0.1" }',
    `c2s_ports = { ${ports.c2s} }`,
    "s2s_ports = {}",
    "component_ports = {}",
    `http_ports = { ${ports.http} }`,
    "https_ports = {}",
    'http_interfaces = { "127.0.0.1" }',
    "https_interfaces = {}",
    `http_default_host = ${luaString(DOMAIN)}`,
    "c2s_require_encryption = false",
    "allow_unencrypted_plain_auth = true",
    'authentication = "anonymous"',
    `modules_enabled = ${toLua(modules)}`,
    'modules_disabled = { "s2s", "tls" }',
    "consider_websocket_secure = true",
    "cross_domain_websocket = true",
    ...(ports.console !== undefined ? [`console_ports = { ${ports.console} }`, 'console_interfaces = { "127.0.0.1" }', 'console_banner = "short"'] : []),
    ...(paths.adminSocket !== undefined ? [`admin_socket = ${luaString(paths.adminSocket)}`] : []),
    options.globalLua ?? "",
    "",
    `VirtualHost ${luaString(DOMAIN)}`,
    ...(options.virtualHostLua !== undefined ? [options.virtualHostLua] : []),
    "",
  ];
  const blocks = options.order === "muc-first" ? [mucBlock(options), componentBlock(options)] : [componentBlock(options), mucBlock(options)];
  for (const extra of options.extraComponents ?? []) {
    blocks.push([`Component ${luaString(extra.host)} ${luaString(extra.module)}`, renderOptions(extra.options ?? {})].filter((l) => l !== "").join("\n"));
  }
  return [...global, blocks.join("\n\n"), ""].join("\n");
}

export async function startProsody(options: ProsodyOptions = {}): Promise<ProsodyInstance> {
  const dir = mkdtempSync(join(tmpdir(), "event-sync-e2e-"));
  const logPath = join(dir, "prosody.log");
  const configPath = join(dir, "prosody.cfg.lua");
  const pluginDir = resolve(options.pluginDir ?? defaultPluginDir()); // Prosody runs in `dir`: no relative paths
  if (!existsSync(join(pluginDir, MODULE_FILE))) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${MODULE_FILE} not found in ${pluginDir}: build first (npx tstl -p tstl.json)`);
  }
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "certs"));
  const http = await freePort();
  let c2s = await freePort();
  while (c2s === http) c2s = await freePort();
  let consolePort: number | undefined;
  if (options.adminConsole === true) {
    consolePort = await freePort();
    while (consolePort === http || consolePort === c2s) consolePort = await freePort();
  }
  const adminSocket = options.adminShell === true ? join(dir, "admin.sock") : undefined;
  writeFileSync(
    configPath,
    renderConfig(
      options,
      { dir, logPath, pluginDirs: [pluginDir, ...(options.extraPluginDirs ?? [])], ...(adminSocket !== undefined ? { adminSocket } : {}) },
      { http, c2s, ...(consolePort !== undefined ? { console: consolePort } : {}) },
    ),
  );

  let consoleOut = "";
  const logText = (): string => {
    try {
      return readFileSync(logPath, "utf8");
    } catch {
      return "";
    }
  };
  let run: Run | undefined;
  let removed = false;

  const stop = async (timeoutMs = 5000): Promise<void> => {
    if (removed) return;
    removed = true;
    if (run !== undefined) {
      await terminate(run, "SIGTERM", timeoutMs);
      run.child.stdout?.destroy();
      run.child.stderr?.destroy();
    }
    if (process.env.E2E_KEEP_TMP === undefined) rmSync(dir, { recursive: true, force: true });
  };

  /** Starts Prosody on the config and waits until its HTTP server answers. */
  const start = async (): Promise<void> => {
    if (removed) throw new Error("this Prosody was stopped and its directory removed");
    if (run !== undefined && !exitedRun(run)) throw new Error(`Prosody is still running (pid ${String(run.child.pid)})`);
    const logOffset = logText().length;
    const current = launch(prosodyBinary(), configPath, dir, (text) => (consoleOut += text));
    run = current;
    const fail = async (what: string): Promise<never> => {
      const text = `${what}\nconsole:\n${consoleOut}\nlog:\n${logText().slice(logOffset)}`;
      await terminate(current, "SIGKILL", 5000);
      throw new Error(text);
    };
    const deadline = Date.now() + (options.startTimeoutMs ?? 15000);
    for (;;) {
      if (exitedRun(current)) await fail(`Prosody exited during startup (code ${String(current.status?.code ?? current.child.exitCode)}).`);
      if (await httpAnswers(http)) break;
      if (Date.now() > deadline) await fail(`Prosody did not answer on http port ${http}.`);
      await delay(50);
    }
    const loadFailure = /Unable to load module 'event_sync_component'.*/.exec(logText().slice(logOffset));
    if (loadFailure !== null) await fail(`Prosody could not load the component: ${loadFailure[0]}`);
  };

  const kill = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM", timeoutMs = 15000): Promise<void> => {
    if (run === undefined || exitedRun(run)) return;
    if (!(await terminate(run, signal, timeoutMs))) throw new Error(`Prosody did not exit within ${timeoutMs}ms of ${signal}: killed`);
  };

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    dir,
    configPath,
    logPath,
    httpPort: http,
    c2sPort: c2s,
    get pid() {
      return run?.child.pid ?? -1;
    },
    websocketUrl: `ws://127.0.0.1:${http}/xmpp-websocket`,
    logText,
    consoleText: () => consoleOut,
    exited: () => run === undefined || exitedRun(run),
    exitStatus: () => run?.status,
    stop,
    kill,
    start,
    async restart(signal = "SIGTERM") {
      await kill(signal);
      await start();
    },
    consolePort,
    adminSocket,
    adminCommand(line, timeoutMs) {
      if (consolePort === undefined) return Promise.reject(new Error("start Prosody with adminConsole: true"));
      return adminConsoleCommand(consolePort, line, timeoutMs);
    },
  };
}

/**
 * One command on mod_admin_telnet: connect, wait for the banner (ends with NUL), send the
 * line, collect the answer up to the next NUL, say bye. Output lines lose their `| ` prefix.
 */
export function adminConsoleCommand(port: number, line: string, timeoutMs = 5000): Promise<string> {
  if (line.includes("\n")) return Promise.reject(new Error("one line only"));
  return new Promise((resolveOutput, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let buffer = "";
    let stage: "banner" | "answer" = "banner";
    const finish = (err: Error | undefined, output?: string): void => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      if (err === undefined) socket.end("quit\n");
      socket.destroy();
      if (err !== undefined) reject(err);
      else resolveOutput(output ?? "");
    };
    const timer = setTimeout(
      () => finish(new Error(`admin console: no answer to ${JSON.stringify(line)} within ${timeoutMs}ms; got ${JSON.stringify(buffer)}`)),
      timeoutMs,
    );
    socket.on("error", (err) => finish(err));
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        const nul = buffer.indexOf("\0");
        if (nul < 0) return;
        const part = buffer.slice(0, nul);
        buffer = buffer.slice(nul + 1);
        if (stage === "banner") {
          stage = "answer";
          socket.write(`${line}\n`);
        } else {
          const output = part
            .split(/\r?\n/)
            .filter((l) => l !== "")
            .map((l) => l.replace(/^\| ?/, ""))
            .join("\n");
          finish(undefined, output);
          return;
        }
      }
    });
  });
}

/** spec/prosody_modules: test-only Prosody modules (e.g. mod_test_jwt_identity). */
export function testModulesDir(): string {
  return resolve(process.cwd(), "spec/prosody_modules");
}
