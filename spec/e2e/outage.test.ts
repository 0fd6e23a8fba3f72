/**
 * A long API outage on a real Prosody: with the receiver down and events streaming in,
 * api_max_pending keeps memory flat by dropping the oldest events (one warning per burst);
 * when the receiver is back, the newest events arrive, each room's in order, and the log and
 * /metrics tell how many were dropped.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { COMPONENT_HOST, ProsodyInstance } from "./helpers/prosody.js";
import { ReceivedPost } from "./helpers/receiver.js";
import { sleep, useHarness } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const CAP = 50;
const ROOMS = 8;
const CLIENTS = 20;
/**
 * Rounds (2 × CLIENTS = 40 events each) before the first measurement. The cap is reached in
 * the first round; the rest lets Prosody's heap and the allocator settle.
 */
const WARMUP_ROUNDS = 40;
/** Rounds between the two measurements: 4,000 events. */
const MEASURED_ROUNDS = Number(process.env.E2E_OUTAGE_ROUNDS ?? 100);
/**
 * Wait before each measurement, longer than api_timeout (2 s): a dropped attempt's timeout
 * timer holds its delivery until it fires, so this compares settled states.
 */
const SETTLE_MS = 2500;
/**
 * Thresholds, from measurements on this suite (Prosody 0.12, Lua 5.4, both transports, 4,000
 * measured events, before all_occupants merged a person's rejoins). The rooms never end; their
 * all_occupants (kept for muc-room-destroyed) then grew with every join, ~0.13 kB of Lua heap
 * per event; it now holds one entry per person, bounded, so the heap grows less than measured.
 * With the cap: heap +0.45–0.56 MB, VmRSS +0.57–1.12 MB (8 runs). With the cap disabled (a
 * build whose push never drops): heap +3.5 MB, VmRSS +4.3 MB (~0.9 kB per held event). The
 * limits sit between the two with room on both sides.
 */
const MAX_HEAP_GROWTH_KB = 1536;
const MAX_RSS_GROWTH_KB = 3 * 1024;

/** Resident memory of a process, kB (`VmRSS` in /proc/<pid>/status). */
function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** Prosody's Lua heap after two full collections, kB (through the admin console). */
async function luaHeapKb(p: ProsodyInstance): Promise<number> {
  const out = await p.adminCommand('>collectgarbage("collect"); collectgarbage("collect"); return collectgarbage("count")');
  const match = /(\d+(?:\.\d+)?)/.exec(out);
  if (match === null) throw new Error(`admin console: ${out}`);
  return Number(match[1]);
}

/** Lines of Prosody's log at one level that match. */
function logLines(p: ProsodyInstance, level: string, pattern: RegExp): string[] {
  return p
    .logText()
    .split("\n")
    .filter((line) => new RegExp(`\\b${level}\\b`).test(line) && pattern.test(line));
}

/** Prosody's /metrics as name{labels} → value. */
async function metrics(p: ProsodyInstance): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${p.httpPort}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m = /^(\S+)\s+(\S+)$/.exec(line);
    if (m !== null && !line.startsWith("#")) values.set(m[1]!, Number(m[2]));
  }
  return values;
}

const PREFIX = "prosody_mod_event_sync_component_";
const LABELS = `{host="${COMPONENT_HOST}"}`;
const TYPES = ["room_created", "occupant_joined", "occupant_left", "room_destroyed"];
const total = (m: Map<string, number>, kind: string): number =>
  TYPES.reduce((sum, type) => sum + (m.get(`${PREFIX}_${kind}_${type}_total${LABELS}`) ?? NaN), 0);

/** room_sequence of each post, per room, in arrival order. */
function sequencesByRoom(posts: readonly ReceivedPost[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const post of posts) {
    const room = String(post.body?.room_jid);
    out.set(room, [...(out.get(room) ?? []), Number(post.body?.room_sequence)]);
  }
  return out;
}

describe("API outage", () => {
  it(
    `keeps at most api_max_pending = ${CAP} events and flat memory through a long outage, then delivers the newest in order`,
    async () => {
      const api = await h.receiver();
      const p = await h.prosody({
        component: {
          api_prefix: api.url,
          api_max_pending: CAP,
          api_retry_delay: 0.1,
          api_retry_backoff: "fixed",
          retry_count: 1000000, // nothing is given up: only the cap drops events
          api_timeout: 2,
        },
        extraModules: ["http_openmetrics"],
        globalLua: 'statistics = "internal"\nstatistics_interval = "manual"',
        logLevel: "info",
        adminConsole: true,
      });
      const rooms = Array.from({ length: ROOMS }, (_, i) => uniqueRoom(`outage${i}`));

      // One anchor per room stays all along, so no room is destroyed and re-created: each
      // room's room_sequence runs on through the whole test.
      const anchors = await Promise.all(rooms.map(() => h.user(p)));
      await Promise.all(anchors.map((c, i) => c.join(rooms[i]!, "anchor")));
      await api.waitFor(2 * ROOMS);
      await sleep(200);
      const beforeOutage = api.posts.length;
      expect(beforeOutage).toBe(2 * ROOMS);

      await api.down();
      const clients: TestClient[] = await Promise.all(Array.from({ length: CLIENTS }, () => h.user(p, { timeoutMs: 15000 })));
      /** Every client joins one room and leaves it again: 2 × CLIENTS events over all rooms. */
      const round = (r: number): Promise<unknown> =>
        Promise.all(
          clients.map(async (c, i) => {
            const room = rooms[(i + r) % ROOMS]!;
            await c.join(room, `c${i}`, 15000);
            await c.leave(room, `c${i}`, 15000);
          }),
        );

      for (let r = 0; r < WARMUP_ROUNDS; r++) await round(r);
      await sleep(SETTLE_MS);
      const rss0 = rssKb(p.pid);
      const heap0 = await luaHeapKb(p);
      const t0 = Date.now();
      for (let r = WARMUP_ROUNDS; r < WARMUP_ROUNDS + MEASURED_ROUNDS; r++) await round(r);
      await sleep(SETTLE_MS);
      const rss1 = rssKb(p.pid);
      const heap1 = await luaHeapKb(p);
      const streamed = 2 * CLIENTS * (WARMUP_ROUNDS + MEASURED_ROUNDS);
      if (process.env.E2E_SHOW_MEMORY !== undefined) {
        // eslint-disable-next-line no-console
        console.log(
          `outage: ${streamed} events (${2 * CLIENTS * MEASURED_ROUNDS} measured, ${Date.now() - t0} ms); ` +
            `VmRSS ${rss0} → ${rss1} kB (${rss1 - rss0}); Lua heap ${heap0.toFixed(0)} → ${heap1.toFixed(0)} kB (${(heap1 - heap0).toFixed(0)})`,
        );
      }

      // Memory stays flat (see the thresholds above).
      expect(heap1 - heap0).toBeLessThan(MAX_HEAP_GROWTH_KB);
      expect(rss1 - rss0).toBeLessThan(MAX_RSS_GROWTH_KB);

      // Nothing reached the receiver, the cap holds, every event beyond it was dropped.
      expect(api.posts.length).toBe(beforeOutage);
      const during = await metrics(p);
      expect(during.get(`${PREFIX}_pending${LABELS}`)).toBe(CAP);
      expect(total(during, "produced")).toBe(2 * ROOMS + streamed);
      expect(total(during, "dropped")).toBe(streamed - CAP);
      expect(total(during, "gave_up")).toBe(0);
      // One warning for the whole burst, naming the option.
      const burst = logLines(p, "warn", /api_max_pending/);
      expect(burst).toHaveLength(1);
      expect(burst[0]).toMatch(/More than 50 events are waiting for the API \(api_max_pending\)/);

      // The receiver is back: the CAP newest events arrive, then nothing more.
      await api.up();
      const arrived = (await api.waitFor(beforeOutage + CAP, 15000)).slice(beforeOutage);
      expect(await api.quietFor(500)).toEqual([]);
      expect(arrived).toHaveLength(CAP);
      const lastBefore = new Map<string, number>();
      for (const [room, seqs] of sequencesByRoom(arrived)) {
        // In order, without gaps: a room loses only its oldest events.
        const first = seqs[0]!;
        expect(seqs).toEqual(seqs.map((_, i) => first + i));
        lastBefore.set(room, seqs[seqs.length - 1]!);
      }
      const back = logLines(p, "warn", /accepts events again/);
      expect(back).toHaveLength(1);
      expect(back[0]).toContain(`; ${streamed - CAP} events were dropped meanwhile (api_max_pending)`);

      // New events flow normally, and each room goes on right after what arrived: what was
      // kept is the newest of every room.
      await round(0);
      const fresh = (await api.waitFor(beforeOutage + CAP + 2 * CLIENTS, 15000)).slice(beforeOutage + CAP);
      expect(fresh).toHaveLength(2 * CLIENTS);
      for (const [room, seqs] of sequencesByRoom(fresh)) {
        const first = seqs[0]!;
        expect(seqs).toEqual(seqs.map((_, i) => first + i));
        if (lastBefore.has(room)) expect(first).toBe(lastBefore.get(room)! + 1);
      }
      expect(new Set(arrived.map((post) => post.body?.room_jid)).size).toBeGreaterThan(1);
      expect([...sequencesByRoom(arrived).keys()].every((room) => rooms.map((r) => roomJid(r)).includes(room))).toBe(true);
      // The receiver has every post; Prosody may still be reading the last answers.
      let after = await metrics(p);
      for (let i = 0; i < 40 && after.get(`${PREFIX}_pending${LABELS}`) !== 0; i++) {
        await sleep(50);
        after = await metrics(p);
      }
      expect(total(after, "dropped")).toBe(streamed - CAP);
      expect(after.get(`${PREFIX}_pending${LABELS}`)).toBe(0);
      expect(total(after, "delivered")).toBe(2 * ROOMS + CAP + 2 * CLIENTS);
      expect(logLines(p, "warn", /api_max_pending/)).toHaveLength(2);
    },
    60000,
  );
});
