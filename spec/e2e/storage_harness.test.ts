/**
 * The storage harness itself (spec/e2e/helpers/storage.ts, restarts in helpers/prosody.ts): on
 * each backend Prosody's data really lands there (files, SQLite file, PostgreSQL rows) and
 * survives a graceful restart (SIGTERM), a crash (SIGKILL) and, on PostgreSQL, the database
 * server stopping and starting again on the same data and port.
 */
import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COMPONENT_HOST, ProsodyInstance, ProsodyOptions, testModulesDir } from "./helpers/prosody.js";
import { useHarness } from "./helpers/scenario.js";
import { PostgresServer, SQLITE_FILE, StorageKind, startPostgres, storageOptions } from "./helpers/storage.js";

const h = useHarness();

/**
 * mod_test_storage_probe on our component's host, where the outbox will live (not on the
 * VirtualHost: mod_auth_anonymous silently drops every `internal` write of an anonymous host).
 */
const PROBE = `    modules_enabled = { "test_storage_probe" }`;

/** The counter mod_test_storage_probe logged at its last load (it adds one on every start). */
function lastBoot(p: ProsodyInstance): number | undefined {
  const boots = [...p.logText().matchAll(/storage probe: boot (\d+) on event_sync\.localhost/g)].map((m) => Number(m[1]));
  expect(p.logText()).not.toMatch(/storage probe: (read|write) failed/);
  return boots.at(-1);
}

/** Where the probe's record is, read from the backend itself (not through Prosody). */
async function probeRecord(kind: StorageKind, p: ProsodyInstance, pg: PostgresServer | undefined): Promise<string> {
  // datamanager's file: data/<host, each non-alphanumeric as %xx>/event_sync_probe/boots.dat
  const hostDir = COMPONENT_HOST.replace(/[^A-Za-z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  const internalFile = join(p.dir, "data", hostDir, "event_sync_probe", "boots.dat");
  const sqliteFile = join(p.dir, "data", SQLITE_FILE);
  if (kind === "internal") {
    expect(existsSync(sqliteFile)).toBe(false);
    return readFileSync(internalFile, "utf8");
  }
  expect(existsSync(internalFile)).toBe(false);
  expect(readdirSync(join(p.dir, "data")).filter((name) => name.includes("%2e"))).toEqual([]);
  if (kind === "sqlite") return readFileSync(sqliteFile, "latin1").includes("event_sync_probe") ? "in sqlite" : "missing";
  expect(existsSync(sqliteFile)).toBe(false);
  return (await pg!.query(`SELECT host, "user", key, value FROM prosody WHERE store = 'event_sync_probe'`)).trim();
}

describe.each<StorageKind>(["internal", "sqlite", "postgres"])("storage harness on %s", (kind) => {
  it("stores a host's data in the backend and keeps it across SIGTERM and SIGKILL restarts", async () => {
    const api = await h.receiver();
    let pg: PostgresServer | undefined;
    if (kind === "postgres") {
      const server = await startPostgres();
      h.defer(() => server.stop());
      pg = server;
    }
    const options: ProsodyOptions = {
      component: { api_prefix: api.url },
      extraPluginDirs: [testModulesDir()],
      componentLua: PROBE,
      globalLua: pg === undefined ? storageOptions(kind as "internal" | "sqlite") : storageOptions("postgres", pg),
    };
    const p = await h.prosody(options);
    expect(lastBoot(p)).toBe(1);
    if (kind !== "internal") expect(p.logText()).not.toMatch(/Unable to load module 'storage_sql'|No SQL library/);

    const firstPid = p.pid;
    await p.kill("SIGTERM");
    expect(p.exitStatus()).toEqual({ code: 0, signal: null });
    await p.start();
    expect(p.pid).not.toBe(firstPid);
    expect(lastBoot(p)).toBe(2);

    await p.kill("SIGKILL");
    expect(p.exitStatus()).toEqual({ code: null, signal: "SIGKILL" });
    await p.start();
    expect(p.exited()).toBe(false);
    expect(lastBoot(p)).toBe(3);

    const record = await probeRecord(kind, p, pg);
    if (kind === "internal") expect(record).toMatch(/count\W+3/);
    else if (kind === "sqlite") expect(record).toBe("in sqlite");
    else expect(record).toBe("event_sync.localhost|boots|count|3");
  });
});

describe("PostgreSQL harness", () => {
  it("pauses and resumes the same cluster on the same port, data kept, while Prosody runs", async () => {
    const api = await h.receiver();
    const pg = await startPostgres();
    h.defer(() => pg.stop());
    const p = await h.prosody({
      component: { api_prefix: api.url },
      extraPluginDirs: [testModulesDir()],
      componentLua: PROBE,
      globalLua: storageOptions("postgres", pg),
    });
    expect(lastBoot(p)).toBe(1);
    await pg.pause("fast");
    await expect(pg.query("SELECT 1")).rejects.toThrow();
    await pg.resume();
    await pg.pause("immediate");
    await pg.resume();
    expect((await pg.query("SELECT value FROM prosody WHERE store = 'event_sync_probe'")).trim()).toBe("1");
    await p.restart("SIGTERM");
    expect(lastBoot(p)).toBe(2);
    await pg.stop();
    expect(existsSync(pg.dir)).toBe(false);
  });
});
