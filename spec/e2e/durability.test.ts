/**
 * The durable outbox against a real Prosody killed and restarted on the same data, on each
 * storage backend (internal files, SQLite and PostgreSQL through mod_storage_sql): nothing the
 * API did not accept is lost across a graceful stop or a crash, each event arrives once with its
 * original event_id, in room order; given-up events become dead letters an operator lists,
 * replays and discards in `prosodyctl shell`.
 */
import { describe, expect, it } from "@jest/globals";
import { COMPONENT_HOST, LuaValue, ProsodyInstance } from "./helpers/prosody.js";
import { Receiver, ReceivedPost, reply } from "./helpers/receiver.js";
import { sleep, timeline, useHarness } from "./helpers/scenario.js";
import { shellCommand } from "./helpers/shell.js";
import { PostgresServer, StorageKind, startPostgres, storageOptions } from "./helpers/storage.js";
import { TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

interface Setup {
  readonly api: Receiver;
  readonly p: ProsodyInstance;
  readonly pg?: PostgresServer;
}

/**
 * `kind` for all of Prosody's storage, or "postgres-outbox-only": PostgreSQL for our stores
 * alone (`storage = { event_sync_outbox = "sql", … }`), the rest on internal files, so Prosody's
 * own MUC keeps working while that database is down.
 */
async function setup(kind: StorageKind | "postgres-outbox-only", component: Record<string, LuaValue> = {}, adminShell = false): Promise<Setup> {
  let pg: PostgresServer | undefined;
  if (kind === "postgres" || kind === "postgres-outbox-only") {
    pg = await startPostgres();
    const server = pg;
    h.defer(() => server.stop());
  }
  const api = await h.receiver();
  const p = await h.prosody({
    component: { api_prefix: api.url, api_retry_delay: 0.2, api_retry_backoff: "fixed", retry_count: 1000, api_shutdown_timeout: 1, ...component },
    globalLua:
      pg === undefined
        ? storageOptions(kind as "internal" | "sqlite")
        : kind === "postgres"
          ? storageOptions("postgres", pg)
          : storageOptions("postgres", pg).replace('storage = "sql"', 'storage = { event_sync_outbox = "sql", event_sync_outbox_dead = "sql", event_sync_outbox_rooms = "sql" }'),
    adminShell,
  });
  return { api, p, ...(pg !== undefined ? { pg } : {}) };
}

/** What the receiver got from `from` on (it answers 200 from then on: what the API accepted). */
function acceptedSince(api: Receiver, from: number): ReceivedPost[] {
  return api.posts.slice(from);
}

function expectOncePerEvent(posts: readonly ReceivedPost[]): void {
  const ids = posts.map((post) => post.body.event_id as string);
  expect(new Set(ids).size).toBe(ids.length);
}

async function meetingOfTwo(p: ProsodyInstance, room: string): Promise<[TestClient, TestClient]> {
  const a = await h.user(p);
  const b = await h.user(p);
  await a.join(room, "alice");
  await b.join(room, "bob");
  return [a, b];
}

describe.each<StorageKind>(["internal", "sqlite", "postgres"])("durable outbox on %s storage", (kind) => {
  it("API down, two join, SIGTERM, API up, restart: all six events arrive once each, in room order", async () => {
    const { api, p } = await setup(kind);
    api.setDefault(reply(503));
    const room = uniqueRoom("sigterm");
    const [a, b] = await meetingOfTwo(p, room);
    await sleep(300);
    await p.kill("SIGTERM"); // closes the sessions: both leave, the room is destroyed, all while the API says 503
    expect(p.logText()).toMatch(/giving the API up to 1s/);
    api.setDefault(reply(200));
    const mark = api.posts.length;
    await p.start();
    await api.waitFor(mark + 6, 10000);
    expect(await api.quietFor(500)).toEqual([]);
    const delivered = acceptedSince(api, mark);
    expectOncePerEvent(delivered);
    const kinds = timeline(delivered);
    expect(kinds.slice(0, 3)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`]);
    expect(kinds.slice(3, 5).sort()).toEqual([`left:${a.jid}`, `left:${b.jid}`].sort()); // Prosody closes sessions in any order
    expect(kinds[5]).toBe("destroyed");
    expect(delivered.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    // The very events refused before the stop: same ids.
    const refusedIds = new Set(api.posts.slice(0, mark).map((post) => post.body.event_id));
    expect(refusedIds.has(delivered[0]!.body.event_id)).toBe(true);
  });

  it("SIGKILL during an outage: the meeting arrives after the restart, then the lefts and the destroyed that close it", async () => {
    const { api, p } = await setup(kind);
    api.setDefault(reply(503));
    const room = uniqueRoom("sigkill");
    const [a, b] = await meetingOfTwo(p, room);
    await sleep(1000); // well past the 0.1 s write round
    await p.kill("SIGKILL");
    api.setDefault(reply(200));
    const mark = api.posts.length;
    const restartedAt = Math.floor(Date.now() / 1000);
    await p.start();
    await api.waitFor(mark + 6, 10000);
    expect(await api.quietFor(500)).toEqual([]);
    const delivered = acceptedSince(api, mark);
    expectOncePerEvent(delivered);
    expect(timeline(delivered)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`, `left:${a.jid}`, `left:${b.jid}`, "destroyed"]);
    expect(delivered.slice(0, 3).map((post) => post.body.room_sequence)).toEqual([1, 2, 3]);
    // Closing events: numbered on after a gap, stamped at the restart, saying why.
    expect(delivered.slice(3).map((post) => post.body.room_sequence)).toEqual([104, 105, 106]);
    for (const left of delivered.slice(3, 5)) {
      expect(left.body.disconnect_reason).toBe("server_crash");
      expect(left.body.occupant.left_at).toBeGreaterThanOrEqual(restartedAt);
    }
    expect(delivered[5]!.body.all_occupants.map((o: { occupant_jid: string }) => o.occupant_jid)).toEqual([a.jid, b.jid]);
  });
  it("API up, SIGTERM mid-meeting: the lefts and the destroyed the stop causes arrive before Prosody exits", async () => {
    const { api, p } = await setup(kind, { api_shutdown_timeout: 5 });
    const room = uniqueRoom("stop");
    const [a, b] = await meetingOfTwo(p, room);
    await api.waitFor(3);
    await p.kill("SIGTERM");
    const kinds = timeline(api.posts);
    expect(kinds.slice(0, 3)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`]);
    expect(kinds.slice(3).sort()).toEqual(["destroyed", `left:${a.jid}`, `left:${b.jid}`].sort());
    expect(kinds[5]).toBe("destroyed");
    expect(api.posts.slice(3, 5).map((post) => post.body.disconnect_reason)).toEqual(["server_shutdown", "server_shutdown"]);
  });

  it("SIGKILL with the API up: after the restart the meeting is closed, a left for each person and the destroyed", async () => {
    const { api, p } = await setup(kind);
    const room = uniqueRoom("crashup");
    const [a, b] = await meetingOfTwo(p, room);
    await api.waitFor(3);
    await sleep(300); // the write round that records who is inside
    await p.kill("SIGKILL");
    await p.start();
    const closing = (await api.waitFor(6, 10000)).slice(3);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(closing)).toEqual([`left:${a.jid}`, `left:${b.jid}`, "destroyed"]);
    expect(closing.map((post) => post.body.disconnect_reason)).toEqual(["server_crash", "server_crash", undefined]);
    expect(closing[2]!.body.room_jid).toBe(api.posts[0]!.body.room_jid);
    // The rooms journal kept where each stood: the closing lefts say it as their joins did.
    for (const [i, left] of closing.slice(0, 2).entries()) {
      const { role, affiliation, participant_id, kind } = api.posts[1 + i]!.body.occupant;
      expect(left.body.occupant).toMatchObject({ role, affiliation, participant_id, kind });
    }
  });

  it("module:reload with a non-empty outbox delivers everything once", async () => {
    const { api, p } = await setup(kind, {}, true);
    api.setDefault(reply(503));
    const room = uniqueRoom("reload");
    const [a] = await meetingOfTwo(p, room);
    await sleep(300);
    expect(await shellCommand(p, `module:reload("event_sync_component", "${COMPONENT_HOST}")`)).toMatch(/reloaded/i);
    api.setDefault(reply(200));
    const mark = api.posts.length;
    await api.waitFor(mark + 3, 10000);
    expect(await api.quietFor(700)).toEqual([]);
    const delivered = acceptedSince(api, mark);
    expectOncePerEvent(delivered);
    expect(timeline(delivered)[0]).toBe("created");
    expect(timeline(delivered)[1]).toBe(`joined:${a.jid}`);
    expect(delivered).toHaveLength(3);
  });

  it("a given-up event becomes a dead letter, listed, replayed with its event_id and discarded in prosodyctl shell", async () => {
    const { api, p } = await setup(kind, { retry_count: 0 }, true);
    api.setDefault(reply(200));
    api.setRule((post) => (post.path.endsWith("/occupant/joined") ? reply(404) : undefined));
    const room = uniqueRoom("dead");
    const a = await h.user(p);
    await a.join(room, "alice");
    await api.waitFor(2);
    const joinedId = api.posts[1]!.body.event_id as string;
    await sleep(300); // the write round

    const listed = await shellCommand(p, "event_sync:dead_letters()");
    expect(listed).toContain(joinedId);
    expect(listed).toMatch(/attempts 1: HTTP 404/);
    expect(listed).toMatch(/1 dead letters/);
    const status = await shellCommand(p, "event_sync:status()");
    expect(status).toMatch(/dead letters: 1/);

    api.setRule(undefined);
    expect(await shellCommand(p, `event_sync:replay("${joinedId}")`)).toMatch(/1 dead letters queued/);
    const [replayed] = (await api.waitFor(3)).slice(2);
    expect(replayed!.body.event_id).toBe(joinedId);
    expect(replayed!.body.room_sequence).toBe(2);
    expect(await shellCommand(p, "event_sync:dead_letters()")).toMatch(/0 dead letters/);

    // A second one, discarded.
    api.setRule((post) => (post.path.endsWith("/occupant/left") ? reply(400) : undefined));
    await a.leave(room, "alice");
    await api.waitFor(5);
    await sleep(300);
    expect(await shellCommand(p, "event_sync:dead_letters()")).toMatch(/1 dead letters/);
    expect(await shellCommand(p, `event_sync:discard("all")`)).toMatch(/1 dead letters discarded/);
    expect(await shellCommand(p, "event_sync:dead_letters()")).toMatch(/0 dead letters/);
  });
});

describe("durable outbox on PostgreSQL that stops and starts again", () => {
  it("keeps serving the MUC, logs the error once, and writes the outbox once the database is back", async () => {
    const { api, p, pg } = await setup("postgres-outbox-only");
    api.setDefault(reply(503));
    const a = await h.user(p);
    const b = await h.user(p);
    await pg!.pause("fast");
    const room = uniqueRoom("pgdown");
    await a.join(room, "alice"); // joins work while the database is down
    await b.join(room, "bob");
    await sleep(500);
    const errors = p.logText().split("\n").filter((line) => /\terror\t/.test(line) && line.includes("outbox"));
    expect(errors).toHaveLength(1);
    await pg!.resume();
    await sleep(2000); // the next write round after the failure (1 s) succeeds
    expect(p.logText()).toMatch(/outbox can be written again/);
    await p.kill("SIGKILL"); // only what reached PostgreSQL survives this
    api.setDefault(reply(200));
    const mark = api.posts.length;
    await p.start();
    await api.waitFor(mark + 3, 10000);
    expect(timeline(acceptedSince(api, mark).slice(0, 3))).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`]);
  });
});
