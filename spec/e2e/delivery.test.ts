/**
 * End-to-end proof of the delivery features: event identity (event_id, event_timestamp_ms,
 * room_sequence, webhook-id), Standard Webhooks signatures with secret rotation, retry timing
 * (Retry-After, exponential and fixed backoff, no retry on 404), `api_events` filtering, and
 * the metrics on Prosody's `/metrics`. Real Prosody, real XMPP clients, real HTTP receiver.
 */
import { describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { COMPONENT_HOST, ProsodyInstance } from "./helpers/prosody.js";
import { EVENT_PATH, ReceivedPost, reply, replyWithHeaders } from "./helpers/receiver.js";
import { roomJid, uniqueRoom } from "./helpers/xmpp.js";
import { timeline, useHarness } from "./helpers/scenario.js";

const { receiver, prosody, user } = useHarness();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));


/** Milliseconds between consecutive posts. */
const gaps = (posts: ReceivedPost[]): number[] => posts.slice(1).map((p, i) => p.at - posts[i]!.at);

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The lines Prosody logged at `level` (tab-separated log format). */
const logLines = (p: ProsodyInstance, level: string): string[] =>
  p
    .logText()
    .split("\n")
    .filter((line) => line.includes(`\t${level}\t`));

/** The headers standardwebhooks' verify() reads, as plain strings. */
function webhookHeaders(post: ReceivedPost): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const value = post.headers[name];
    if (typeof value === "string") out[name] = value;
  }
  return out;
}

/** A Standard Webhooks secret with `bytes` random bytes. */
const newSecret = (bytes: number): string => `whsec_${randomBytes(bytes).toString("base64")}`;

/** `{ "name{labels}": value }` from an OpenMetrics text exposition (comments skipped). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(\S+?(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (match !== null) out.set(match[1]!, Number(match[2]));
  }
  return out;
}

async function scrape(p: ProsodyInstance): Promise<{ text: string; values: Map<string, number> }> {
  const response = await fetch(`http://127.0.0.1:${p.httpPort}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}: ${text}`);
  return { text, values: parseMetrics(text) };
}

describe("delivery end to end", () => {
  it("gives every event a UUID v4 event_id (= webhook-id), a ms timestamp and a per-room sequence; a retry repeats id and body", async () => {
    const api = await receiver();
    const busy = uniqueRoom("ident-busy");
    const quiet = uniqueRoom("ident-quiet");
    // The busy room's `created` is answered 503, 503, then 200.
    let refusals = 0;
    api.setRule((post) => {
      if (post.path === `/api${EVENT_PATH.created}` && post.body?.room_name === busy && refusals < 2) {
        refusals += 1;
        return reply(503);
      }
      return undefined;
    });
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.3 } });
    const t0 = Date.now();
    const a = await user(p);
    const b = await user(p);
    const c = await user(p);

    await a.join(busy, "alice");
    await c.join(quiet, "carol"); // another room: never waits for the busy one's retries
    await c.leave(quiet, "carol");
    await b.join(busy, "bob");
    await b.leave(busy, "bob");
    await a.leave(busy, "alice");
    const all = await api.waitFor((posts) => posts.filter((x) => x.body?.room_name === busy).length >= 8, 10000);
    expect(await api.quietFor(500)).toEqual([]);
    const t1 = Date.now();

    const busyPosts = api.posts.filter((x) => x.body?.room_name === busy);
    const quietPosts = api.posts.filter((x) => x.body?.room_name === quiet);
    expect(busyPosts.length + quietPosts.length).toBe(all.length);
    expect(timeline(busyPosts)).toEqual([
      "created",
      "created",
      "created",
      `joined:${a.jid}`,
      `joined:${b.jid}`,
      `left:${b.jid}`,
      `left:${a.jid}`,
      "destroyed",
    ]);
    expect(busyPosts.map((x) => x.status)).toEqual([503, 503, 200, 200, 200, 200, 200, 200]);
    expect(timeline(quietPosts)).toEqual(["created", `joined:${c.jid}`, `left:${c.jid}`, "destroyed"]);
    // The quiet room was fully delivered while the busy room's `created` was still being retried.
    expect(quietPosts[3]!.at).toBeLessThan(busyPosts[2]!.at);

    // The retried event: three attempts with the same id and byte-identical body.
    const [try1, try2, try3] = busyPosts as [ReceivedPost, ReceivedPost, ReceivedPost];
    expect(try2.rawBody).toBe(try1.rawBody);
    expect(try3.rawBody).toBe(try1.rawBody);
    expect(try2.body.event_id).toBe(try1.body.event_id);
    expect(try3.body.event_id).toBe(try1.body.event_id);
    for (const attempt of [try1, try2, try3]) expect(attempt.headers["webhook-id"]).toBe(try1.body.event_id);

    for (const post of api.posts) {
      expect(post.body.event_id).toMatch(UUID_V4);
      expect(post.headers["webhook-id"]).toBe(post.body.event_id);
      const ts = post.body.event_timestamp_ms;
      expect(Number.isInteger(ts)).toBe(true);
      expect(ts).toBeGreaterThanOrEqual(t0 - 1000);
      expect(ts).toBeLessThanOrEqual(t1 + 1000);
      expect(ts).toBeLessThanOrEqual(post.at + 50); // it is when the event happened, not the attempt
    }
    // Distinct events have distinct ids (retries excepted): 6 + 4 events.
    const distinct = new Set(api.posts.map((x) => x.body.event_id));
    expect(distinct.size).toBe(10);

    for (const posts of [busyPosts.slice(2), quietPosts]) {
      expect(posts.map((x) => x.body.room_sequence)).toEqual(posts.map((_, i) => i + 1));
      const stamps = posts.map((x) => x.body.event_timestamp_ms as number);
      expect(stamps).toEqual([...stamps].sort((x, y) => x - y));
    }
    expect(busyPosts.slice(0, 3).map((x) => x.body.room_sequence)).toEqual([1, 1, 1]);
  });

  it("signs every request with both rotation secrets (Standard Webhooks); either verifies, others and tampering fail", async () => {
    const api = await receiver();
    const newer = newSecret(32); // base64 ends in "="
    const older = newSecret(25); // base64 ends in "=="
    const unrelated = newSecret(24);
    const p = await prosody({ component: { api_prefix: api.url, api_signing_secret: [newer, older] } });
    const room = uniqueRoom("signed");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    const posts = await api.waitFor(4);
    expect(await api.quietFor(300)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);

    for (const post of posts) {
      const headers = webhookHeaders(post);
      expect(headers["webhook-id"]).toBe(post.body.event_id);
      expect(headers["webhook-timestamp"]).toMatch(/^\d+$/);
      expect(Math.abs(Number(headers["webhook-timestamp"]) - post.at / 1000)).toBeLessThan(5);
      const entries = headers["webhook-signature"]!.split(" ");
      expect(entries).toHaveLength(2);
      for (const entry of entries) expect(entry).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(entries[0]).not.toBe(entries[1]);

      // Rotation: a receiver holding only one of the two secrets accepts the request.
      expect(new Webhook(newer).verify(post.rawBody, headers)).toEqual(post.body);
      expect(new Webhook(older).verify(post.rawBody, headers)).toEqual(post.body);
      expect(new Webhook(newer).verify(post.rawBytes, headers)).toEqual(post.body);
      expect(() => new Webhook(unrelated).verify(post.rawBody, headers)).toThrow();

      // One changed byte of the raw body breaks every signature.
      const tampered = Buffer.from(post.rawBytes);
      const at = tampered.indexOf(Buffer.from(room)) + 1;
      expect(at).toBeGreaterThan(0);
      tampered[at] = tampered[at] === 0x61 ? 0x62 : 0x61;
      expect(tampered.equals(post.rawBytes)).toBe(false);
      expect(() => new Webhook(newer).verify(tampered, headers)).toThrow();
      expect(() => new Webhook(older).verify(tampered, headers)).toThrow();
      // Another event's id or timestamp does not verify either.
      expect(() => new Webhook(newer).verify(post.rawBody, { ...headers, "webhook-id": posts[(post.index + 1) % 4]!.body.event_id })).toThrow();
      expect(() =>
        new Webhook(newer).verify(post.rawBody, { ...headers, "webhook-timestamp": String(Number(headers["webhook-timestamp"]) - 1) }),
      ).toThrow();
    }

    const log = p.logText() + p.consoleText();
    for (const secret of [newer, older]) {
      expect(log).not.toContain(secret.slice("whsec_".length, "whsec_".length + 20));
    }
  });

  it("logs one error naming api_signing_secret without its text for a malformed secret, and posts nothing", async () => {
    const api = await receiver();
    const badText = "not base64!";
    const p = await prosody({ component: { api_prefix: api.url, api_signing_secret: `whsec_${badText}` } });
    const room = uniqueRoom("badsecret");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    expect(await api.quietFor(800)).toEqual([]);
    expect(api.posts).toEqual([]);

    const aboutSecret = logLines(p, "error").filter((line) => line.includes("api_signing_secret"));
    expect(aboutSecret).toHaveLength(1);
    expect(aboutSecret[0]).toContain(COMPONENT_HOST);
    expect(aboutSecret[0]).not.toContain(badText);
    expect(aboutSecret[0]).not.toContain("base64!");
    expect(p.logText()).not.toContain(badText);
    expect(p.exited()).toBe(false);
  });

  it("waits for a 429's Retry-After instead of api_retry_delay", async () => {
    const api = await receiver();
    api.queue(replyWithHeaders(429, { "Retry-After": "2" }));
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.1 } });
    const room = uniqueRoom("retryafter");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    await sleep(1000);
    // After 1 s (ten times api_retry_delay) only the first attempt has been made.
    expect(api.posts.map((x) => x.status)).toEqual([429]);
    const posts = await api.waitFor(5, 5000);
    expect(await api.quietFor(300)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", "created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(posts[1]!.rawBody).toBe(posts[0]!.rawBody);
    const gap = posts[1]!.at - posts[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(1800);
    expect(gap).toBeLessThan(2600);
  });

  it("backs off exponentially (about 0.2, 0.4, 0.8 s) and keeps the room's later events in order behind the retries", async () => {
    const api = await receiver();
    api.queue(reply(503), reply(503), reply(503));
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.2 } });
    const room = uniqueRoom("expo");
    const a = await user(p);
    const b = await user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await b.leave(room, "bob");
    await a.leave(room, "alice");
    const posts = await api.waitFor(9, 8000);
    expect(await api.quietFor(300)).toEqual([]);
    expect(timeline(posts)).toEqual([
      "created",
      "created",
      "created",
      "created",
      `joined:${a.jid}`,
      `joined:${b.jid}`,
      `left:${b.jid}`,
      `left:${a.jid}`,
      "destroyed",
    ]);
    expect(posts.map((x) => x.status)).toEqual([503, 503, 503, 200, 200, 200, 200, 200, 200]);
    expect(posts.slice(3).map((x) => x.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6]);

    const [g1, g2, g3] = gaps(posts.slice(0, 4)) as [number, number, number];
    const SLACK = 150; // scheduling and connection set-up, on top of the ±20% jitter
    for (const [gap, base] of [
      [g1, 200],
      [g2, 400],
      [g3, 800],
    ] as const) {
      expect(gap).toBeGreaterThanOrEqual(base * 0.8 - 20);
      expect(gap).toBeLessThanOrEqual(base * 1.2 + SLACK);
    }
    expect(g2).toBeGreaterThan(g1);
    expect(g3).toBeGreaterThan(g2);
  });

  it('waits api_retry_delay between every attempt with api_retry_backoff = "fixed"', async () => {
    const api = await receiver();
    api.queue(reply(503), reply(503), reply(503));
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.3, api_retry_backoff: "fixed" } });
    const room = uniqueRoom("fixed");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    const posts = await api.waitFor(7, 6000);
    expect(await api.quietFor(300)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", "created", "created", "created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    const attemptGaps = gaps(posts.slice(0, 4));
    for (const gap of attemptGaps) {
      expect(gap).toBeGreaterThanOrEqual(280);
      expect(gap).toBeLessThanOrEqual(300 + 150);
    }
    expect(Math.max(...attemptGaps) - Math.min(...attemptGaps)).toBeLessThan(120);
  });

  it("gives up at once on a 404, logs it, and goes on with the room's next event", async () => {
    const api = await receiver();
    api.queue(reply(404));
    const p = await prosody({ component: { api_prefix: api.url, api_retry_delay: 0.1 } });
    const room = uniqueRoom("notfound");
    const a = await user(p);
    await a.join(room, "alice");
    await a.leave(room, "alice");
    const posts = await api.waitFor(4);
    expect(await api.quietFor(800)).toEqual([]); // 8× api_retry_delay: a retry would have come
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(posts.map((x) => x.status)).toEqual([404, 200, 200, 200]);
    // The given-up event keeps its sequence number; the next ones follow it.
    expect(posts.map((x) => x.body.room_sequence)).toEqual([1, 2, 3, 4]);
    const gaveUp = logLines(p, "warn").filter((line) => /Gave up/.test(line));
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toContain("muc-room-created");
    expect(gaveUp[0]).toContain(roomJid(room));
    expect(gaveUp[0]).toContain("404");
  });

  it("sends only the events listed in api_events, numbering them without gaps", async () => {
    const api = await receiver();
    const p = await prosody({ component: { api_prefix: api.url, api_events: ["muc-occupant-joined", "muc-room-destroyed"] } });
    const room = uniqueRoom("filtered");
    const a = await user(p);
    const b = await user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await b.leave(room, "bob");
    await a.leave(room, "alice");
    const posts = await api.waitFor(3);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(posts)).toEqual([`joined:${a.jid}`, `joined:${b.jid}`, "destroyed"]);
    expect(posts.map((x) => x.body.room_sequence)).toEqual([1, 2, 3]);
    expect(posts[2]!.body.all_occupants).toHaveLength(2);
  });

  it("counts produced, delivered and retried events, pending and latency on Prosody's /metrics", async () => {
    const api = await receiver();
    // The room's `created` is refused once, then its retry is answered only after 1 s, so
    // every later event of the room is still pending when we look.
    api.queue(reply(503), reply(200, 1000));
    const p = await prosody({
      component: { api_prefix: api.url, api_retry_delay: 0.1 },
      extraModules: ["http_openmetrics"],
      globalLua: 'statistics = "internal"\nstatistics_interval = "manual"',
    });
    const labels = `{host="${COMPONENT_HOST}"}`;
    // Prosody 0.12 names module:measure metrics `prosody_mod_<module>/<name>` and renders the
    // `/` as `__`; counters get `_total`, the seconds summary `_seconds_count` / `_seconds_sum`.
    const PREFIX = "prosody_mod_event_sync_component_";
    const TYPES = ["room_created", "occupant_joined", "occupant_left", "room_destroyed"] as const;
    const counter = (kind: string, type: string): string => `${PREFIX}_${kind}_${type}_total${labels}`;

    const before = await scrape(p);
    for (const kind of ["produced", "delivered", "retried", "gave_up"]) {
      for (const type of TYPES) expect(before.values.get(counter(kind, type))).toBe(0);
    }
    expect(before.values.get(`${PREFIX}_pending${labels}`)).toBe(0);

    const room = uniqueRoom("metrics");
    const a = await user(p);
    const b = await user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await b.leave(room, "bob");
    await a.leave(room, "alice");
    await api.waitFor(2);
    const during = await scrape(p);
    expect(during.values.get(`${PREFIX}_pending${labels}`)).toBe(6);
    expect(during.values.get(counter("delivered", "room_created"))).toBe(0);
    await api.waitFor(7);
    expect(await api.quietFor(300)).toEqual([]);
    const after = await scrape(p);

    const delta = (name: string): number => (after.values.get(name) ?? NaN) - (before.values.get(name) ?? 0);
    const expected: Record<(typeof TYPES)[number], number> = { room_created: 1, occupant_joined: 2, occupant_left: 2, room_destroyed: 1 };
    const report = (kind: string): Record<string, number> => Object.fromEntries(TYPES.map((type) => [type, delta(counter(kind, type))]));
    expect(report("produced")).toEqual(expected);
    expect(report("delivered")).toEqual(expected);
    expect(report("retried")).toEqual({ room_created: 1, occupant_joined: 0, occupant_left: 0, room_destroyed: 0 });
    expect(report("gave_up")).toEqual({ room_created: 0, occupant_joined: 0, occupant_left: 0, room_destroyed: 0 });
    expect(after.values.get(`${PREFIX}_pending${labels}`)).toBe(0);

    const latencyCount = `${PREFIX}_delivery_latency_seconds_count${labels}`;
    const latencySum = `${PREFIX}_delivery_latency_seconds_sum${labels}`;
    expect(before.values.get(latencyCount)).toBe(0);
    expect(delta(latencyCount)).toBe(6);
    // Every event waited behind the slow `created` (>= 1 s); none waited long after it.
    expect(delta(latencySum)).toBeGreaterThanOrEqual(6 * 0.9);
    expect(delta(latencySum)).toBeLessThan(6 * 2.5);

    if (process.env.E2E_SHOW_METRICS !== undefined) {
      // eslint-disable-next-line no-console
      console.log(after.text.split("\n").filter((line) => line.includes("event_sync")).join("\n"));
    }
  });
});
