/**
 * Meeting scenarios on a real Prosody: parallel rooms, nick changes, kicks, persistent rooms,
 * module:reload mid-meeting, non-retryable answers. Each test asserts exactly which posts
 * arrive, in which order, and that nothing else follows (quiet period).
 */
import { describe, expect, it } from "@jest/globals";
import { Element } from "@xmpp/client";
import { EVENT_PATH, ReceivedPost, reply } from "./helpers/receiver.js";
import { allAnswered, kindOf, postsOfRoom, sleep, timeline, useHarness, withoutTraits } from "./helpers/scenario.js";
import { roomJid, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const hasStatus = (stanza: Element, code: string): boolean =>
  stanza.getChildren("x", "http://jabber.org/protocol/muc#user").some((x) => x.getChildren("status").some((s) => s.attrs.code === code));

const sequences = (posts: readonly ReceivedPost[]): unknown[] => posts.map((p) => p.body?.room_sequence);

describe("meeting scenarios", () => {
  it("keeps two interleaved rooms complete and in order, and a slow room does not hold up the other (one at a time per room)", async () => {
    const api = await h.receiver();
    // api_pipeline_depth = 1: strictly one request per room on the wire (keepalive_pipeline.test.ts has the default).
    const p = await h.prosody({ component: { api_prefix: api.url, api_pipeline_depth: 1 } });
    const roomA = uniqueRoom("para");
    const roomB = uniqueRoom("parb");
    const HOLD_MS = 3000;
    let held = false;
    // Room A's first joined is answered only after HOLD_MS: A's later events must wait, B's must not.
    api.setRule((post) => {
      if (!held && post.body?.room_jid === roomJid(roomA) && kindOf(post) === "joined") {
        held = true;
        return reply(200, HOLD_MS);
      }
      return undefined;
    });

    const [a1, a2, b1, b2] = await Promise.all([h.user(p), h.user(p), h.user(p), h.user(p)]);
    await a1.join(roomA, "a1");
    await b1.join(roomB, "b1");
    await a2.join(roomA, "a2");
    await b2.join(roomB, "b2");
    await a1.leave(roomA, "a1");
    await b1.leave(roomB, "b1");
    await a2.leave(roomA, "a2");
    await b2.leave(roomB, "b2");

    const posts = await api.waitFor(12, HOLD_MS + 7000);
    expect(await api.quietFor(500)).toEqual([]);
    const inA = postsOfRoom(posts, roomA);
    const inB = postsOfRoom(posts, roomB);
    expect(inA.length + inB.length).toBe(12);
    expect(timeline(inA)).toEqual(["created", `joined:${a1.jid}`, `joined:${a2.jid}`, `left:${a1.jid}`, `left:${a2.jid}`, "destroyed"]);
    expect(timeline(inB)).toEqual(["created", `joined:${b1.jid}`, `joined:${b2.jid}`, `left:${b1.jid}`, `left:${b2.jid}`, "destroyed"]);
    expect(sequences(inA)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sequences(inB)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(inB.every((post) => post.status === 200) && inA.every((post) => post.status === 200)).toBe(true);

    const heldJoin = inA[1]!;
    // B was served entirely while A's joined was still unanswered...
    expect(inB[5]!.at).toBeLessThan(heldJoin.at + HOLD_MS - 500);
    // ...and A's next event waited for that answer (one request at a time per room).
    expect(inA[2]!.at - heldJoin.at).toBeGreaterThanOrEqual(HOLD_MS - 100);
  });

  it("reports a nick change as left (old nick) then joined (new nick) with the same real JID", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("nick");
    const a = await h.user(p);
    const b = await h.user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await api.waitFor(3);

    const oldGone = a.waitForStanza(
      (s) => s.is("presence") && s.attrs.from === `${roomJid(room)}/alice` && s.attrs.type === "unavailable" && hasStatus(s, "303"),
      5000,
      "303 nick-change presence",
    );
    await a.changeNick(room, "alice2");
    await oldGone;
    await api.waitFor(5);
    await b.leave(room, "bob");
    await a.leave(room, "alice2");
    const posts = await api.waitFor(8);
    expect(await api.quietFor(500)).toEqual([]);

    expect(timeline(posts)).toEqual([
      "created",
      `joined:${a.jid}`,
      `joined:${b.jid}`,
      `left:${a.jid}`, // old nick
      `joined:${a.jid}`, // new nick
      `left:${b.jid}`,
      `left:${a.jid}`, // new nick
      "destroyed",
    ]);
    expect(sequences(posts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const [, joinedOld, , leftOld, joinedNew, , leftNew, destroyed] = posts as ReceivedPost[];
    expect(leftOld!.body.occupant.joined_at).toBe(joinedOld!.body.occupant.joined_at);
    expect(joinedNew!.body.occupant.joined_at).toBe(leftOld!.body.occupant.left_at);
    expect(joinedNew!.body.occupant.left_at).toBeUndefined();
    expect(leftNew!.body.occupant.joined_at).toBe(joinedNew!.body.occupant.joined_at);
    // One entry per person: Alice's two nicks are one entry with sessions 2, from her first
    // join to her last leave.
    const all = destroyed!.body.all_occupants as any[];
    expect(all.map((o) => o.occupant_jid)).toEqual([a.jid, b.jid]);
    expect(all[0]).toEqual({ ...withoutTraits(leftOld!.body.occupant), left_at: leftNew!.body.occupant.left_at, sessions: 2 });
    expect(all[1].sessions).toBeUndefined();
  });

  it("keeps the events balanced when the room's only occupant changes nick (Prosody 0.12 then ends the room)", async () => {
    // Prosody 0.12.3 fires muc-occupant-left for the old nick before the new one is saved, so
    // mod_muc sees an empty room and destroys it ("empty, destroying") under the renamed user.
    // Whatever Prosody does, every joined must be closed by a left before destroyed.
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("nicksolo");
    const a = await h.user(p);
    await a.join(room, "alice");
    await a.changeNick(room, "alice2");
    const posts = await api.waitFor(6);
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(sequences(posts)).toEqual([1, 2, 3, 4, 5, 6]);
    const destroyed = posts[5]!.body;
    expect(destroyed.all_occupants).toHaveLength(1); // one person, two sessions
    expect(destroyed.all_occupants[0]).toEqual({ ...withoutTraits(posts[2]!.body.occupant), left_at: posts[4]!.body.occupant.left_at, sessions: 2 });
    expect(posts[4]!.body.occupant.left_at).toBe(destroyed.destroyed_at);
    expect(p.logText()).toMatch(/empty, destroying/); // if Prosody stops doing this, rewrite this test
    // The room is gone: leaving it is an error, and reports nothing.
    await expect(a.leave(room, "alice2")).rejects.toThrow(/item-not-found/);
    expect(await api.quietFor(500)).toEqual([]);
  });

  it("reports a kicked occupant as left; a non-moderator's kick attempt reports nothing", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("kick");
    const owner = await h.user(p);
    const bob = await h.user(p);
    await owner.join(room, "owner"); // first joiner: owner and moderator (muc_room_locking = false)
    await bob.join(room, "bob");
    await api.waitFor(3);

    // A participant cannot kick the moderator.
    await expect(bob.kick(room, "owner")).rejects.toThrow(/not-allowed/);
    expect(await api.quietFor(300)).toEqual([]);

    const kicked = bob.waitForStanza(
      (s) => s.is("presence") && s.attrs.type === "unavailable" && s.attrs.from === `${roomJid(room)}/bob` && hasStatus(s, "307"),
      5000,
      "307 kick presence",
    );
    const result = await owner.kick(room, "bob", "be nice");
    expect(result.attrs.type).toBe("result");
    await kicked;
    await api.waitFor(4);
    await owner.leave(room, "owner");
    const posts = await api.waitFor(6);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", `joined:${owner.jid}`, `joined:${bob.jid}`, `left:${bob.jid}`, `left:${owner.jid}`, "destroyed"]);
    expect(posts[3]!.body.occupant.joined_at).toBe(posts[2]!.body.occupant.joined_at);
    expect(posts[5]!.body.all_occupants.map((o: any) => o.occupant_jid)).toEqual([owner.jid, bob.jid]);
  });

  it("does not report an emptied persistent room as destroyed; reports its later end once, without a second created", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("persist");
    const owner = await h.user(p);
    const bob = await h.user(p);
    await owner.join(room, "owner");
    const configured = await owner.configure(room, { "muc#roomconfig_persistentroom": "1" });
    expect(configured.attrs.type).toBe("result");
    await bob.join(room, "bob");
    await bob.leave(room, "bob");
    await owner.leave(room, "owner");
    const first = await api.waitFor(5);
    expect(await api.quietFor(1000)).toEqual([]); // empty, but persistent: no destroyed
    expect(timeline(first)).toEqual(["created", `joined:${owner.jid}`, `joined:${bob.jid}`, `left:${bob.jid}`, `left:${owner.jid}`]);

    // The room lives on: the owner comes back (no new created) and destroys it.
    await owner.join(room, "owner");
    await api.waitFor(6);
    const result = await owner.destroy(room, "done for good");
    expect(result.attrs.type).toBe("result");
    const posts = await api.waitFor(8);
    expect(await api.quietFor(800)).toEqual([]);
    expect(timeline(posts)).toEqual([
      "created",
      `joined:${owner.jid}`,
      `joined:${bob.jid}`,
      `left:${bob.jid}`,
      `left:${owner.jid}`,
      `joined:${owner.jid}`,
      `left:${owner.jid}`,
      "destroyed",
    ]);
    expect(sequences(posts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const destroyed = posts[7]!.body;
    expect(destroyed.created_at).toBe(posts[0]!.body.created_at);
    // The owner's two visits are one entry (sessions 2), left_at their last leave.
    expect(destroyed.all_occupants.map((o: any) => o.occupant_jid)).toEqual([owner.jid, bob.jid]);
    expect(destroyed.all_occupants[0].sessions).toBe(2);
    expect(destroyed.all_occupants[0].joined_at).toBe(posts[1]!.body.occupant.joined_at);
    expect(destroyed.all_occupants[0].left_at).toBe(destroyed.destroyed_at);

    // Prosody keeps a tombstone of a destroyed persistent room: that must not look like a new room.
    expect(api.posts.filter((post) => kindOf(post) === "created")).toHaveLength(1);
  });

  it("hands rooms over across module:reload mid-meeting: no duplicate, nothing lost, sequence continues", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url }, adminConsole: true });
    const room = uniqueRoom("reload");
    const a = await h.user(p);
    const b = await h.user(p);
    const c = await h.user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await allAnswered(api, 3); // nothing in flight: the expected sequence is exact

    const output = await p.adminCommand('module:reload("event_sync_component", "event_sync.localhost")');
    expect(output).toMatch(/Module reloaded on 1 host/);
    expect(p.logText().match(/event_sync \S+ posting to/g)).toHaveLength(2); // a second instance started
    expect(await api.quietFor(300)).toEqual([]); // the reload itself reports nothing

    await c.join(room, "carol");
    await b.leave(room, "bob");
    await a.leave(room, "alice");
    await c.leave(room, "carol");
    const posts = await api.waitFor(8);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(posts)).toEqual([
      "created",
      `joined:${a.jid}`,
      `joined:${b.jid}`,
      `joined:${c.jid}`,
      `left:${b.jid}`,
      `left:${a.jid}`,
      `left:${c.jid}`,
      "destroyed",
    ]);
    expect(sequences(posts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const destroyed = posts[7]!.body;
    expect(destroyed.created_at).toBe(posts[0]!.body.created_at);
    expect(destroyed.all_occupants.map((o: any) => o.occupant_jid)).toEqual([a.jid, b.jid, c.jid]);
    expect(posts[5]!.body.occupant.joined_at).toBe(posts[1]!.body.occupant.joined_at);
    expect(new Set(posts.map((post) => post.body.event_id)).size).toBe(8);
  });

  it("hands undelivered events over across module:reload and delivers them once the API is back", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url, retry_count: 50, api_retry_delay: 0.2, api_retry_backoff: "fixed" }, adminConsole: true });
    const room = uniqueRoom("reloadq");
    const a = await h.user(p);
    const b = await h.user(p);
    await a.join(room, "alice");
    await allAnswered(api, 2);
    await api.down(); // refused connections never reach the receiver: no at-least-once duplicates
    await b.join(room, "bob");
    await b.leave(room, "bob");
    await sleep(500); // a few refused attempts

    const output = await p.adminCommand('module:reload("event_sync_component", "event_sync.localhost")');
    expect(output).toMatch(/Module reloaded on 1 host/);
    await a.leave(room, "alice");
    await api.up();
    const posts = await api.waitFor(6, 8000);
    expect(await api.quietFor(800)).toEqual([]);
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `joined:${b.jid}`, `left:${b.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(sequences(posts)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("does not retry a 400 and still delivers the room's next events", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url, api_retry_delay: 0.2 } });
    const room = uniqueRoom("bad");
    let rejected = false;
    api.setRule((post) => {
      if (!rejected && kindOf(post) === "joined") {
        rejected = true;
        return reply(400);
      }
      return undefined;
    });
    const a = await h.user(p);
    await a.join(room, "alice");
    await api.waitFor(2);
    await a.leave(room, "alice");
    const posts = await api.waitFor(4);
    expect(await api.quietFor(1000)).toEqual([]); // a retry would come after 0.2 s
    expect(timeline(posts)).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
    expect(posts.map((post) => post.status)).toEqual([200, 400, 200, 200]);
    expect(posts.filter((post) => post.path === `/api${EVENT_PATH.joined}`)).toHaveLength(1);
    expect(sequences(posts)).toEqual([1, 2, 3, 4]);
    const warnings = p
      .logText()
      .split("\n")
      .filter((line) => /\twarn\t/.test(line) && /Gave up/i.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/muc-occupant-joined/);
  });
});
