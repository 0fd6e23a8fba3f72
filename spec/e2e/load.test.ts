/**
 * Load: 50 clients in 10 rooms at once, joining, staying briefly and leaving concurrently.
 * Every event must arrive exactly once, each room's events in order.
 */
import { describe, expect, it } from "@jest/globals";
import { ReceivedPost, reply } from "./helpers/receiver.js";
import { kindOf, sleep, useHarness } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const ROOMS = 10;
const PER_ROOM = 5;

describe("load", () => {
  it(
    `delivers every event of ${ROOMS * PER_ROOM} clients in ${ROOMS} concurrent rooms exactly once, in per-room order`,
    async () => {
      const api = await h.receiver();
      // Small random answer delays so rooms' requests overlap on the wire.
      api.setRule(() => reply(200, Math.floor(Math.random() * 15)));
      const p = await h.prosody({ component: { api_prefix: api.url }, logLevel: "info" });
      const rooms = Array.from({ length: ROOMS }, (_, i) => uniqueRoom(`load${i}`));

      const clients: TestClient[][] = [];
      for (let r = 0; r < ROOMS; r++) {
        clients.push(await Promise.all(Array.from({ length: PER_ROOM }, () => h.user(p, { timeoutMs: 15000 }))));
      }
      const started = Date.now();

      // Per room: everyone joins (concurrently), stays a moment, leaves (concurrently). All rooms at once.
      // Joins finish before any leave, so each room is created and destroyed exactly once.
      await Promise.all(
        rooms.map(async (room, r) => {
          const people = clients[r]!;
          await Promise.all(people.map((c, i) => c.join(room, `u${i}`, 15000)));
          await Promise.all(
            people.map(async (c, i) => {
              await sleep(Math.floor(Math.random() * 400));
              await c.leave(room, `u${i}`, 15000);
            }),
          );
        }),
      );

      const total = ROOMS * (2 + 2 * PER_ROOM);
      const posts = await api.waitFor(total, 15000);
      expect(await api.quietFor(1000)).toEqual([]);
      const elapsed = Date.now() - started;

      const count = (kind: string): number => posts.filter((post) => kindOf(post) === kind).length;
      expect({ created: count("created"), joined: count("joined"), left: count("left"), destroyed: count("destroyed") }).toEqual({
        created: ROOMS,
        joined: ROOMS * PER_ROOM,
        left: ROOMS * PER_ROOM,
        destroyed: ROOMS,
      });
      expect(posts.every((post) => post.status !== undefined && post.status < 300)).toBe(true);
      expect(new Set(posts.map((post) => post.body.event_id)).size).toBe(total);

      // Exactly once per (path, room, occupant_jid).
      const keys = posts.map((post) => `${post.path} ${post.body.room_jid} ${post.body.occupant?.occupant_jid ?? ""}`);
      expect(new Set(keys).size).toBe(total);

      for (let r = 0; r < ROOMS; r++) {
        const room = rooms[r]!;
        const mine: ReceivedPost[] = posts.filter((post) => post.body.room_jid === roomJid(room));
        expect(mine).toHaveLength(2 + 2 * PER_ROOM);
        expect(kindOf(mine[0]!)).toBe("created");
        expect(kindOf(mine[mine.length - 1]!)).toBe("destroyed");
        expect(mine.map((post) => post.body.room_sequence)).toEqual(Array.from({ length: mine.length }, (_, i) => i + 1));
        const jids = clients[r]!.map((c) => c.jid);
        for (const jid of jids) {
          const joinedAt = mine.findIndex((post) => kindOf(post) === "joined" && post.body.occupant.occupant_jid === jid);
          const leftAt = mine.findIndex((post) => kindOf(post) === "left" && post.body.occupant.occupant_jid === jid);
          expect(joinedAt).toBeGreaterThan(0);
          expect(leftAt).toBeGreaterThan(joinedAt);
        }
        const everyone = mine[mine.length - 1]!.body.all_occupants.map((o: any) => o.occupant_jid);
        expect([...everyone].sort()).toEqual([...jids].sort());
        // Joined events (and all_occupants) in the order Prosody saw the joins.
        const joinedOrder = mine.filter((post) => kindOf(post) === "joined").map((post) => post.body.occupant.occupant_jid);
        expect(everyone).toEqual(joinedOrder);
      }
      expect(p.logText()).not.toMatch(/Gave up|Traceback|\terror\t/);
      expect(elapsed).toBeLessThan(30000);
    },
    60000,
  );
});
