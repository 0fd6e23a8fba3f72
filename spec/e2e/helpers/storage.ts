/**
 * Storage backends for e2e tests: the global config lines that put Prosody's storage on its
 * files (`internal`), SQLite or PostgreSQL (mod_storage_sql + LuaDBI, Debian's lua-dbi-*), and a
 * throwaway PostgreSQL cluster per test (Debian's `postgresql`; `make system-deps` installs it).
 *
 * PostgreSQL refuses to run as root: as root the cluster lives in a temp dir owned by the
 * `postgres` user and every server binary runs through `runuser -u postgres --`. It listens on
 * 127.0.0.1 and a free port (socket dir inside the temp dir), with a password user for Prosody.
 * `stop()` removes everything; a cluster still running when the test process exits, or dies
 * (SIGKILL included: a watchdog shell polls our pid), is shut down immediately and removed.
 */
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./prosody.js";

export type StorageKind = "internal" | "sqlite" | "postgres";

/** Where Prosody finds the database, as mod_storage_sql's `sql` option wants it. */
export interface PostgresConnection {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface PostgresServer extends PostgresConnection {
  /** The cluster's temp dir (data in `data/`, server log in `postgres.log`). */
  readonly dir: string;
  /** Stops the server, keeping the data and port (`fast` = clean shutdown, `immediate` = crash). */
  pause(mode?: "fast" | "immediate"): Promise<void>;
  /** Starts the paused server again on the same data and port. */
  resume(): Promise<void>;
  /** Runs SQL as the superuser on the test database; resolves with psql's unaligned output. */
  query(sql: string): Promise<string>;
  /** The server's log so far. */
  logText(): string;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** The SQLite database file, relative to Prosody's data dir (mod_storage_sql resolves it there). */
export const SQLITE_FILE = "prosody.sqlite";

/**
 * Global Lua lines for Prosody's `storage` (pass as `globalLua`, or through `storageLua` below).
 * `internal` is Prosody's default (files under the data dir); `sqlite` is `data/prosody.sqlite`.
 */
export function storageOptions(kind: "internal" | "sqlite"): string;
export function storageOptions(kind: "postgres", server: PostgresConnection): string;
export function storageOptions(kind: StorageKind, server?: PostgresConnection): string {
  if (kind === "internal") return 'storage = "internal"';
  if (kind === "sqlite") return `storage = "sql"\nsql = { driver = "SQLite3", database = ${JSON.stringify(SQLITE_FILE)} }`;
  if (server === undefined) throw new Error("storageOptions(\"postgres\") needs the server (startPostgres())");
  const fields = [
    'driver = "PostgreSQL"',
    `host = ${JSON.stringify(server.host)}`,
    `port = ${server.port}`,
    `database = ${JSON.stringify(server.database)}`,
    `username = ${JSON.stringify(server.user)}`,
    `password = ${JSON.stringify(server.password)}`,
  ];
  return `storage = "sql"\nsql = { ${fields.join(", ")} }`;
}

/** The newest PostgreSQL's server binaries: `PG_BINDIR`, else /usr/lib/postgresql/<highest>/bin. */
export function postgresBinDir(): string {
  if (process.env.PG_BINDIR !== undefined) return process.env.PG_BINDIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb"))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions[0] === undefined) throw new Error(`no PostgreSQL server under ${root}: apt-get install postgresql (make system-deps)`);
  return join(root, versions[0], "bin");
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as `postgres` (as root) or as ourselves; resolves with stdout. */
function pgTool(bin: string, args: readonly string[], timeoutMs = 30000): Promise<string> {
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, [...args]];
  return new Promise((resolveOut, reject) => {
    const child = spawn(file, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: "/" });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolveOut(out);
      else reject(new Error(`${bin} ${args.join(" ")} exited with ${String(code)}:\n${err}${out}`));
    });
  });
}

/** Clusters not stopped yet: postmaster pid file and directory. */
const clusters = new Map<string, { pidFile: string; dir: string }>();
let exitHookInstalled = false;

/** The running postmaster's pid (first line of postmaster.pid), if any. */
function postmasterPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function killClustersOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const { pidFile, dir } of clusters.values()) {
      const pid = postmasterPid(pidFile);
      if (pid !== undefined) {
        try {
          process.kill(pid, "SIGQUIT"); // immediate shutdown, children included
          execFileSync("sh", ["-c", `i=0; while kill -0 ${pid} 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done`]);
        } catch {
          // already gone
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** A detached shell that shuts the cluster down and removes it if our process disappears. */
function startWatchdog(pidFile: string, dir: string): () => void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && [ -d "$1" ]; do sleep 1; done
[ -d "$1" ] || exit 0
pid=$(head -n1 "$2" 2>/dev/null) && [ -n "$pid" ] && kill -QUIT "$pid" 2>/dev/null && sleep 2
rm -rf "$1"`;
  const child = spawn("sh", ["-c", script, "pg-watchdog", dir, pidFile], { detached: true, stdio: "ignore" });
  child.unref();
  return () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
}

/** Starts a throwaway PostgreSQL cluster (initdb + pg_ctl, ~2 s) with a database and user for Prosody. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), "event-sync-pg-"));
  const data = join(dir, "data");
  const logPath = join(dir, "postgres.log");
  const pidFile = join(data, "postmaster.pid");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const ctl = (args: readonly string[]): Promise<string> => pgTool(join(bin, "pg_ctl"), ["-D", data, ...args]);
  let stopped = false;
  let stopWatchdog = (): void => undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (postmasterPid(pidFile) !== undefined) await ctl(["stop", "-m", "immediate", "-w"]).catch(() => undefined);
    clusters.delete(dir);
    stopWatchdog();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pgTool(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"]);
    appendFileSync(
      join(data, "postgresql.conf"),
      [
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${dir}'`,
        "fsync = off",
        "full_page_writes = off",
        "max_connections = 20",
        "shared_buffers = 16MB",
        "",
      ].join("\n"),
    );
    clusters.set(dir, { pidFile, dir });
    killClustersOnExit();
    stopWatchdog = startWatchdog(pidFile, dir);
    const start = (): Promise<string> => ctl(["start", "-w", "-t", "30", "-l", logPath]);
    await start();
    const psql = (sql: string, database: string): Promise<string> =>
      pgTool(join(bin, "psql"), ["-h", dir, "-p", String(port), "-U", "postgres", "-d", database, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]);
    await psql(`CREATE ROLE prosody LOGIN PASSWORD '${password}'`, "postgres");
    await psql("CREATE DATABASE prosody OWNER prosody", "postgres");
    return {
      host: "127.0.0.1",
      port,
      database: "prosody",
      user: "prosody",
      password,
      dir,
      async pause(mode = "fast") {
        await ctl(["stop", "-m", mode, "-w"]);
      },
      async resume() {
        await start();
      },
      query: (sql) => psql(sql, "prosody"),
      logText: () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : ""),
      stop,
    };
  } catch (err) {
    const log = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}${log !== "" ? `\npostgres.log:\n${log}` : ""}`);
  }
}
