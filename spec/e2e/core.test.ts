/**
 * The core end-to-end proof: a real Prosody with the built component, real XMPP clients, and
 * a real HTTP receiver. Each test starts its own Prosody and asserts exactly which posts arrive.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { COMPONENT_HOST, MUC_HOST } from "./helpers/prosody.js";
import { EVENT_PATH, ReceivedPost, reply } from "./helpers/receiver.js";
import { roomJid, uniqueRoom } from "./helpers/xmpp.js";
import { EVENT_NAMES, timeline, useHarness } from "./helpers/scenario.js";

type EventKind = keyof typeof EVENT_PATH;

const { receiver, prosody, user } = useHarness();

/** The event kind of a post, from its path under the receiver's `/api` prefix. */

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function expectIntegerSecondsBetween(value: unknown, from: number, to: number): void {
  expect(typeof value).toBe("number");
  expect(Number.isInteger(value)).toBe(true);
  expect(value as number).toBeGreaterThanOrEqual(from - 1);
  expect(value as number).toBeLessThanOrEqual(to + 1);
}


function expectRoomFields(post: ReceivedPost, kind: EventKind, room: string): void {
  expect(post.method).toBe("POST");
  expect(post.body).toEqual(expect.objectContaining({ event_name: EVENT_NAMES[kind], room_name: room, room_jid: roomJid(room) }));
}

describe("event_sync component end to end", () => {
  it("reports created, joins, leaves and destroyed in order, with the seed payloads and headers", async () => {
    const api = await receiver();
    const secret = `Bearer e2e-secret-${Math.random().toString(36).slice(2)}`;
    const p = await prosody({ component: { api_prefix: `${api.url}/`, api_headers: { Authorization: secret } } });
    const room = uniqueRoom("core");
    const t0 = nowSeconds();

    const a = await user(p);
    const b = await user(p);
    await a.join(room, "alice");
    await api.waitFor(2); // created, joined(A): keep A's and B's joins apart in time
    await b.join(room, "bob");
    await api.waitFor(3);
    await b.leave(room, "bob");
    await api.waitFor(4);
    await a.leave(room, "alice");
    const posts = await api.waitFor(6);
    expect(await api.quietFor(500)).toEqual([]);
    const t1 = nowSeconds();

    expect(timeline(api.posts)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`, `left:${b.jid}`, `left:${a.jid}`, "destroyed"]);
    const [created, joinedA, joinedB, leftB, leftA, destroyed] = posts as [ReceivedPost, ReceivedPost, ReceivedPost, ReceivedPost, ReceivedPost, ReceivedPost];

    // The bound JIDs are real full JIDs of the anonymous sessions.
    expect(a.jid).toMatch(/^[^@/]+@localhost\/.+$/);
    expect(b.jid).toMatch(/^[^@/]+@localhost\/.+$/);
    expect(a.jid).not.toBe(b.jid);

    for (const post of posts) {
      expect(post.headers["content-type"]).toMatch(/^application\/json\b/);
      expect(post.headers["user-agent"]).toMatch(/^mod_event_sync_component\//);
      expect(post.headers.authorization).toBe(secret);
      expect(post.body).toBeDefined();
    }

    expectRoomFields(created, "created", room);
    expectIntegerSecondsBetween(created.body.created_at, t0, t1);

    for (const [post, kind, client] of [
      [joinedA, "joined", a],
      [joinedB, "joined", b],
      [leftB, "left", b],
      [leftA, "left", a],
    ] as const) {
      expectRoomFields(post, kind, room);
      expect(post.body.occupant.occupant_jid).toBe(client.jid);
      expectIntegerSecondsBetween(post.body.occupant.joined_at, t0, t1);
      if (kind === "left") expectIntegerSecondsBetween(post.body.occupant.left_at, post.body.occupant.joined_at, t1);
      else expect(post.body.occupant.left_at).toBeUndefined();
    }
    expect(leftA.body.occupant.joined_at).toBe(joinedA.body.occupant.joined_at);
    expect(leftB.body.occupant.joined_at).toBe(joinedB.body.occupant.joined_at);

    expectRoomFields(destroyed, "destroyed", room);
    expect(destroyed.body.created_at).toBe(created.body.created_at);
    expectIntegerSecondsBetween(destroyed.body.destroyed_at, created.body.created_at, t1);
    expect(Array.isArray(destroyed.body.all_occupants)).toBe(true);
    expect(destroyed.body.all_occupants).toHaveLength(2);
    const byJid = new Map<string, any>(destroyed.body.all_occupants.map((o: any) => [o.occupant_jid, o]));
    expect([...byJid.keys()].sort()).toEqual([a.jid, b.jid].sort());
    expect(byJid.get(a.jid)).toEqual(expect.objectContaining({ joined_at: joinedA.body.occupant.joined_at, left_at: leftA.body.occupant.left_at }));
    expect(byJid.get(b.jid)).toEqual(expect.objectContaining({ joined_at: joinedB.body.occupant.joined_at, left_at: leftB.body.occupant.left_at }));

    // The Authorization value is a secret: it must never reach the log (which runs at debug).
    const log = p.logText();
    expect(log).toContain(COMPONENT_HOST);
    expect(log).not.toContain(secret.replace("Bearer ", ""));
    expect(p.consoleText()).not.toContain(secret.replace("Bearer ", ""));
  });

  it("reports both occupants as left before destroyed when the owner destroys an occupied room", async () => {
    const api = await receiver();
    const p = await prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("destroy");
    const a = await user(p);
    const b = await user(p);
    await a.join(room, "owner");
    await b.join(room, "guest");
    await api.waitFor(3);

    const destroyNotice = b.waitForStanza(
      (s) => s.is("presence") && s.attrs.type === "unavailable" && s.attrs.from === `${roomJid(room)}/guest`,
      5000,
      "guest's unavailable presence after destroy",
    );
    const result = await a.destroy(room, "e2e over");
    expect(result.attrs.type).toBe("result");
    await destroyNotice;

    const posts = await api.waitFor(6);
    expect(await api.quietFor(500)).toEqual([]);
    const kinds = timeline(posts);
    expect(kinds.slice(0, 3)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`]);
    // Prosody clears a destroyed room's occupants in table order: both lefts, any order, then destroyed.
    expect(kinds.slice(3, 5).sort()).toEqual([`left:${a.jid}`, `left:${b.jid}`].sort());
    expect(kinds[5]).toBe("destroyed");
    const destroyed = posts[5]!;
    expect(destroyed.body.all_occupants).toHaveLength(2);
    // Prosody fires each occupant's muc-occupant-left, then muc-room-destroyed: whole seconds
    // apart by at most one when the clock ticks in between.
    const closeToDestroy = (leftAt: number): void => {
      expect(leftAt).toBeLessThanOrEqual(destroyed.body.destroyed_at);
      expect(leftAt).toBeGreaterThanOrEqual(destroyed.body.destroyed_at - 1);
    };
    for (const occupant of destroyed.body.all_occupants) closeToDestroy(occupant.left_at);
    for (const left of posts.slice(3, 5)) {
      closeToDestroy(left.body.occupant.left_at);
      expect(destroyed.body.all_occupants.find((o: { occupant_jid: string }) => o.occupant_jid === left.body.occupant.occupant_jid).left_at).toBe(left.body.occupant.left_at);
    }
  });

  for (const [order, where] of [
    ["muc-first", "before"],
    ["ours-first", "after"],
  ] as const) {
    it(`works when the MUC component is defined ${where} our component`, async () => {
      const api = await receiver();
      const p = await prosody({ order, component: { api_prefix: api.url } });
      const config = readFileSync(p.configPath, "utf8");
      const [first, second] = order === "muc-first" ? [MUC_HOST, COMPONENT_HOST] : [COMPONENT_HOST, MUC_HOST];
      expect(config.indexOf(`Component "${first}"`)).toBeLessThan(config.indexOf(`Component "${second}"`));
      const room = uniqueRoom("order");
      const a = await user(p);
      await a.join(room, "alice");
      await a.leave(room, "alice");
      const posts = await api.waitFor(4);
      expect(await api.quietFor(300)).toEqual([]);
      expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    });
  }

  it("logs one error naming api_prefix when it is missing, keeps serving clients and posts nothing", async () => {
    const api = await receiver();
    const p = await prosody({ component: { api_headers: { Authorization: "Bearer unused" } } });
    const a = await user(p);
    const room = uniqueRoom("noprefix");
    await a.join(room, "alice");
    await a.leave(room, "alice");
    expect(await api.quietFor(1000)).toEqual([]);
    expect(api.posts).toEqual([]);

    const errorLines = p
      .logText()
      .split("\n")
      .filter((line) => /\terror\t/.test(line));
    const aboutPrefix = errorLines.filter((line) => line.includes("api_prefix"));
    expect(aboutPrefix).toHaveLength(1);
    expect(aboutPrefix[0]).toContain(COMPONENT_HOST);
    expect(p.exited()).toBe(false);
  });

  it("retries a 500 after api_retry_delay and keeps the room's later events behind it", async () => {
    const api = await receiver();
    api.queue(reply(500));
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.2 } });
    const room = uniqueRoom("retry");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice"); // queued behind the failing `created`
    const posts = await api.waitFor(5);
    expect(await api.quietFor(500)).toEqual([]);

    expect(timeline(posts)).toEqual(["created", "created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(posts.map((post) => post.status)).toEqual([500, 200, 200, 200, 200]);
    expect(posts[1]!.rawBody).toBe(posts[0]!.rawBody);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(150);
  });

  it("retries a request the receiver answers slower than api_timeout", async () => {
    const api = await receiver();
    api.queue(reply(200, 3000));
    const p = await prosody({ component: { api_prefix: api.url, api_timeout: 1, api_retry_delay: 0.2 } });
    const room = uniqueRoom("timeout");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    const posts = await api.waitFor(5, 10000);
    expect(await api.quietFor(500)).toEqual([]);

    expect(timeline(posts)).toEqual(["created", "created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(posts[1]!.rawBody).toBe(posts[0]!.rawBody);
    // The second attempt starts only after the 1s timeout (+0.2s delay), long before the 3s answer.
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(posts[1]!.at - posts[0]!.at).toBeLessThan(2900);
  });

  it("retries while the receiver is down and delivers everything, in order, once it is back on the same port", async () => {
    const api = await receiver();
    const p = await prosody({ component: { api_prefix: api.url, retry_count: 20, api_retry_delay: 0.2 } });
    await api.down();
    const room = uniqueRoom("down");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    await new Promise((r) => setTimeout(r, 800)); // several refused attempts
    expect(api.posts).toEqual([]);
    await api.up();
    const posts = await api.waitFor(4, 5000);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    const log = p.logText();
    expect(log).toMatch(/Retrying muc-room-created/);
    expect(log).not.toMatch(/Gave up/);
  });
});
