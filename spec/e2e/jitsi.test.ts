/**
 * "Jitsi parity" on a real Prosody: breakout rooms, speaker stats, JWT user info, meeting ids
 * and extra payload fields. Jitsi's own Prosody modules are played by small test-only modules
 * (spec/prosody_modules/mod_test_*.lua) that put exactly the data Jitsi's put on the rooms:
 *   test_meeting_id      mod_muc_meeting_id          room._data.meetingId
 *   test_breakout_rooms  mod_muc_breakout_rooms      main room's _data.breakout_rooms, moves
 *   test_speakerstats    mod_speakerstats_component  room.speakerStats[real jid]
 *   test_extra_payload   (any module)                room._data.event_sync_extra_payload
 *   test_jwt_identity    mod_auth_token              session.jitsi_meet_context_user
 * Each test asserts exactly which posts arrive, in which order, with which fields.
 */
import { describe, expect, it } from "@jest/globals";
import { Element, xml } from "@xmpp/client";
import { BREAKOUT_HOST, DOMAIN, LuaValue, MUC_HOST, mucComponent, ProsodyOptions, testModulesDir } from "./helpers/prosody.js";
import { ReceivedPost, Receiver, reply } from "./helpers/receiver.js";
import { JWT_SECRET, keysOf, kindOf, personKeysOf, signToken, sleep, useHarness } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const SPEAKERSTATS_HOST = `speakerstats.${DOMAIN}`;
const JITMEET = "http://jitsi.org/jitmeet";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ALICE = { id: "a-1", name: "Alice Liddell", email: "alice@example.com" };
const BOB = { id: "b-2", name: "Bob Ross", email: "bob@example.com" };
const CAROL = { id: "c-3", name: "Carol Danvers", email: "carol@example.com" };
const IDENTITY_KEYS = ["email", "id", "name"];

interface JitsiSetup {
  /** Load Jitsi's modules (default true); false = a plain Prosody MUC. */
  jitsi?: boolean;
  /** Also load test_extra_payload on the MUC component. */
  extraPayload?: boolean;
}

/** A Prosody set up like a Jitsi deployment (JWT identity, meeting ids, breakout rooms, speaker stats). */
function jitsiProsody(component: Record<string, LuaValue | undefined>, setup: JitsiSetup = {}): ProsodyOptions {
  if (setup.jitsi === false) return { component };
  return {
    component: { breakout_component: BREAKOUT_HOST, ...component },
    extraPluginDirs: [testModulesDir()],
    mucOptions: { modules_enabled: ["test_meeting_id", ...(setup.extraPayload === true ? ["test_extra_payload"] : [])] },
    extraComponents: [
      // Jitsi loads muc_meeting_id on the breakout MUC too: breakout rooms get their own id.
      mucComponent(BREAKOUT_HOST, { modules_enabled: ["test_meeting_id"] }),
      { host: SPEAKERSTATS_HOST, module: "test_speakerstats", options: { muc_component: MUC_HOST, muc_mapper_domain_base: DOMAIN } },
    ],
    virtualHostLua: [
      '    modules_enabled = { "test_jwt_identity", "test_breakout_rooms" }',
      `    test_jwt_secret = ${JSON.stringify(JWT_SECRET)}`,
      `    main_muc = ${JSON.stringify(MUC_HOST)}`,
      `    breakout_rooms_muc = ${JSON.stringify(BREAKOUT_HOST)}`,
      "    test_breakout_close_ttl = 0.3",
    ].join("\n"),
  };
}

/** Round trip to the server: every stanza this client sent before has been handled. */
async function synced(c: TestClient): Promise<void> {
  await c.xmpp.iqCaller.request(xml("iq", { type: "get", to: DOMAIN }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

/** Tells Jitsi's speaker stats that `c` is now the dominant speaker of `room`. */
async function speak(c: TestClient, room: string): Promise<void> {
  await c.xmpp.send(xml("message", { to: SPEAKERSTATS_HOST }, xml("speakerstats", { xmlns: JITMEET, room: roomJid(room) })));
  await synced(c);
}

/** The room's meeting id as mod_muc_meeting_id publishes it (disco#info form field). */
async function discoMeetingId(c: TestClient, room: string): Promise<string | undefined> {
  const iq = await c.xmpp.iqCaller.request(
    xml("iq", { type: "get", to: roomJid(room) }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })),
  );
  const form = iq.getChild("query")?.getChild("x", "jabber:x:data");
  const field = form?.getChildren("field").find((f: Element) => f.attrs.var === "muc#roominfo_meetingId");
  return field?.getChildText("value") ?? undefined;
}

/** A moderator adds a breakout room to `mainRoom`; resolves with the breakout room's JID. */
async function addBreakout(moderator: TestClient, mainRoom: string, subject: string): Promise<string> {
  const update = moderator.waitForStanza(
    (s) => s.is("message") && s.attrs.from === BREAKOUT_HOST && s.getChild("json-message", JITMEET) !== undefined,
    5000,
    "breakout rooms update",
  );
  await moderator.xmpp.send(
    xml("message", { to: BREAKOUT_HOST }, xml("breakout_rooms", { type: "features/breakout-rooms/add", subject, room: roomJid(mainRoom) })),
  );
  const body = JSON.parse((await update).getChildText("json-message", JITMEET) ?? "{}");
  const room = Object.values(body.rooms as Record<string, { jid: string; name?: string; isMainRoom?: boolean }>).find(
    (r) => r.isMainRoom !== true && r.name === subject,
  );
  if (room === undefined) throw new Error(`no breakout room in ${JSON.stringify(body)}`);
  return room.jid;
}

const nodeOf = (jid: string): string => jid.split("@")[0]!;

/** One line per post: `<room>:<kind>[:<who>:<active_occupants_count>]`, who from `names`. */
function story(posts: readonly ReceivedPost[], rooms: Record<string, string>, names: Record<string, string>): string[] {
  return posts.map((p) => {
    const where = p.body.is_breakout === true ? (rooms[p.body.breakout_room_id] ?? `?${p.body.breakout_room_id}`) : (rooms[p.body.room_jid] ?? `?${p.body.room_jid}`);
    const kind = kindOf(p);
    if (kind !== "joined" && kind !== "left") return `${where}:${kind}`;
    const jid = String(p.body.occupant?.occupant_jid);
    return `${where}:${kind}:${names[jid] ?? jid}:${String(p.body.active_occupants_count)}`;
  });
}

/**
 * Waits `ms`, then expects exactly `count` posts over the receiver's life: shows any extra
 * ones (`quietFor` alone would miss posts that arrived before it was called).
 */
async function expectTotal(api: Receiver, count: number, ms = 500): Promise<void> {
  await sleep(ms);
  const extra = api.posts.slice(count).map((post) => `${kindOf(post)} ${String(post.body?.breakout_room_id ?? post.body?.room_jid)}`);
  expect(extra).toEqual([]);
  expect(api.posts).toHaveLength(count);
}

/** Expects `value` (ms) to be the nominal speaking time, allowing for scheduling delays. */
function expectAbout(value: unknown, nominalMs: number): void {
  expect(typeof value).toBe("number");
  expect(value as number).toBeGreaterThanOrEqual(nominalMs - 20);
  expect(value as number).toBeLessThanOrEqual(nominalMs + 250);
}

const ROOM_KEYS = ["event_id", "event_name", "event_timestamp_ms", "is_breakout", "room_jid", "room_name", "room_sequence"];
const KEYS_BY_KIND: Record<string, string[]> = {
  created: ["created_at"],
  joined: ["active_occupants_count", "occupant"],
  left: ["active_occupants_count", "disconnect_reason", "occupant"],
  destroyed: ["all_occupants", "created_at", "destroyed_at"],
};
/** The exact top-level keys of a payload of this kind, with `more` optional ones. */
const payloadKeys = (kind: string, more: string[] = []): string[] => [...ROOM_KEYS, ...KEYS_BY_KIND[kind]!, ...more].sort();

describe("Jitsi parity", () => {
  it("reports a breakout round trip: main room, breakout room under the main room's name and meeting id, and back", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url, include_speaker_stats: true }));
    const main = uniqueRoom("main");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p, { token: signToken(BOB) });
    const carol = await h.user(p, { token: signToken(CAROL) });

    await alice.join(main, "alice"); // first: owner, moderator
    await api.waitFor(2);
    await bob.join(main, "bob");
    await api.waitFor(3);
    await carol.join(main, "carol");
    await api.waitFor(4);
    const meetingId = await discoMeetingId(alice, main);
    expect(meetingId).toMatch(UUID);

    const breakout = await addBreakout(alice, main, "Room 1");
    expect(breakout).toMatch(new RegExp(`^[0-9a-f-]{36}@${BREAKOUT_HOST.replace(/\./g, "\\.")}$`));
    await expectTotal(api, 4, 300); // adding a breakout room is not an event

    // Moving = leave the main room, join the breakout room (as Jitsi Meet does).
    await bob.leave(main, "bob");
    await api.waitFor(5);
    await bob.join(breakout, "bob");
    await api.waitFor(7);
    await carol.leave(main, "carol");
    await api.waitFor(8);
    await carol.join(breakout, "carol");
    await api.waitFor(9);
    const breakoutOwnId = await discoMeetingId(bob, breakout);
    expect(breakoutOwnId).toMatch(UUID);
    expect(breakoutOwnId).not.toBe(meetingId);

    // Carol speaks 300 ms, then Bob (the breakout room's first occupant: like Jicofo's focus in
    // Jitsi, he gets no speaker stats entry, so he counts 0).
    await speak(carol, breakout);
    await sleep(300);
    await speak(bob, breakout);

    // Back to the main room, one after the other; the emptied breakout room is destroyed.
    await carol.leave(breakout, "carol");
    await api.waitFor(10);
    await carol.join(main, "carol");
    await api.waitFor(11);
    await bob.leave(breakout, "bob");
    await api.waitFor(13);
    await bob.join(main, "bob");
    await api.waitFor(14);
    // The meeting ends: everyone leaves; the main room (made persistent by the breakout rooms
    // module) is destroyed by that module once nobody is left anywhere.
    await bob.leave(main, "bob");
    await carol.leave(main, "carol");
    await alice.leave(main, "alice");
    const posts = await api.waitFor(18);
    await expectTotal(api, 18, 700);

    const rooms = { [roomJid(main)]: "M", [nodeOf(breakout)]: "B" };
    const names = { [alice.jid]: "alice", [bob.jid]: "bob", [carol.jid]: "carol" };
    expect(story(posts, rooms, names)).toEqual([
      "M:created",
      "M:joined:alice:1",
      "M:joined:bob:2",
      "M:joined:carol:3",
      "M:left:bob:2",
      "B:created",
      "B:joined:bob:1",
      "M:left:carol:1",
      "B:joined:carol:2",
      "B:left:carol:1",
      "M:joined:carol:2",
      "B:left:bob:0",
      "B:destroyed",
      "M:joined:bob:3",
      "M:left:bob:2",
      "M:left:carol:1",
      "M:left:alice:0",
      "M:destroyed",
    ]);

    const inMain = posts.filter((post) => post.body.is_breakout === false);
    const inBreakout = posts.filter((post) => post.body.is_breakout === true);
    expect(inMain.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(inBreakout.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const post of posts) {
      const kind = kindOf(post);
      // Every event, the breakout room's and the very first created included, names the main
      // room and carries the main room's meeting id (not the breakout room's own).
      expect(post.body.room_name).toBe(main);
      expect(post.body.room_jid).toBe(roomJid(main));
      expect(post.body.meeting_id).toBe(meetingId);
      if (post.body.is_breakout === true) {
        expect(post.body.breakout_room_id).toBe(nodeOf(breakout));
        expect(post.body.breakout_room_name).toBe("Room 1");
        expect(keysOf(post.body)).toEqual(payloadKeys(kind, ["breakout_room_id", "breakout_room_name", "meeting_id"]));
      } else {
        expect(keysOf(post.body)).toEqual(payloadKeys(kind, ["meeting_id"]));
      }
      if (kind === "joined") {
        expect(personKeysOf(post.body.occupant)).toEqual(["joined_at", "occupant_jid", ...IDENTITY_KEYS].sort());
      }
      if (kind === "left") {
        expect(personKeysOf(post.body.occupant)).toEqual(["joined_at", "left_at", "occupant_jid", "total_dominant_speaker_time", ...IDENTITY_KEYS].sort());
      }
    }
    const timestamps = posts.map((post) => post.body.event_timestamp_ms as number);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);

    // Identity and speaking time: Carol's 300 ms in the breakout room, 0 everywhere else.
    const byLine = (line: string): ReceivedPost => posts[story(posts, rooms, names).indexOf(line)]!;
    expect(byLine("B:left:carol:1").body.occupant.name).toBe(CAROL.name);
    expectAbout(byLine("B:left:carol:1").body.occupant.total_dominant_speaker_time, 300);
    expect(byLine("B:left:bob:0").body.occupant.total_dominant_speaker_time).toBe(0);
    for (const line of ["M:left:bob:2", "M:left:carol:1", "M:left:alice:0"]) {
      expect(byLine(line).body.occupant.total_dominant_speaker_time).toBe(0);
    }
    const breakoutAll = byLine("B:destroyed").body.all_occupants as any[];
    expect(breakoutAll.map((o) => names[o.occupant_jid])).toEqual(["bob", "carol"]);
    expect(breakoutAll[0].total_dominant_speaker_time).toBe(0);
    expectAbout(breakoutAll[1].total_dominant_speaker_time, 300);
    expect(breakoutAll.map((o) => o.id)).toEqual([BOB.id, CAROL.id]);
    const mainAll = byLine("M:destroyed").body.all_occupants as any[];
    // First-join order, one entry per person: Bob and Carol came back from the breakout room.
    expect(mainAll.map((o) => names[o.occupant_jid])).toEqual(["alice", "bob", "carol"]);
    expect(mainAll.map((o) => o.sessions)).toEqual([undefined, 2, 2]);
    expect(mainAll.map((o) => o.total_dominant_speaker_time)).toEqual([0, 0, 0]);
    for (const o of [...mainAll, ...breakoutAll]) expect(typeof o.left_at).toBe("number");
  });

  it("reports no events for a breakout room Jitsi refuses to create (not listed on any main room)", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url }));
    const guest = await h.user(p);
    // mod_muc_breakout_rooms destroys the would-be room in muc-room-pre-create and drops the join.
    await guest.xmpp.send(xml("presence", { to: `0badc0de-0000-4000-8000-000000000000@${BREAKOUT_HOST}/guest` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })));
    await synced(guest);
    await expectTotal(api, 0, 700);
  });

  it("ends a meeting in order: a breakout room's lefts and destroyed reach the API before the main room's destroyed", async () => {
    const api = await h.receiver();
    // The API is slow to answer a breakout room's events: were the breakout room's queue apart
    // from the main room's, the main room's destroyed would overtake them.
    api.setRule((post) => reply(200, post.body?.is_breakout === true ? 400 : 0));
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url }));
    const main = uniqueRoom("end");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p, { token: signToken(BOB) });
    await alice.join(main, "alice");
    await bob.join(main, "bob");
    const breakout = await addBreakout(alice, main, "Quiet corner");
    await bob.leave(main, "bob");
    await bob.join(breakout, "bob");
    const accepted = (): ReceivedPost[] => api.posts.filter((post) => post.status === 200);
    // Polls: the receiver tells of a post when it arrives, before it answers.
    const acceptedCount = async (count: number): Promise<void> => {
      const deadline = Date.now() + 10000;
      while (accepted().length < count && Date.now() < deadline) await sleep(50);
      expect(accepted()).toHaveLength(count);
    };
    await acceptedCount(6);

    // The moderator ends the meeting for everyone: Jitsi destroys the main room, and its
    // breakout rooms module destroys the breakout rooms from the main room's muc-room-destroyed.
    const gone = bob.waitForStanza((s) => s.is("presence") && s.attrs.type === "unavailable", 5000, "breakout room destroyed");
    await alice.destroy(main, "The meeting has ended");
    await gone;
    await acceptedCount(10);
    await sleep(500);
    expect(accepted()).toHaveLength(10);
    const rooms = { [roomJid(main)]: "M", [nodeOf(breakout)]: "B" };
    const names = { [alice.jid]: "alice", [bob.jid]: "bob" };
    expect(story(accepted(), rooms, names)).toEqual([
      "M:created",
      "M:joined:alice:1",
      "M:joined:bob:2",
      "M:left:bob:1",
      "B:created",
      "B:joined:bob:1",
      "M:left:alice:0",
      "B:left:bob:0",
      "B:destroyed",
      "M:destroyed",
    ]);
    const ends = accepted().slice(6);
    expect(ends.map((post) => post.body.disconnect_reason)).toEqual(["room_destroyed", "room_destroyed", undefined, undefined]);
    expect(ends.slice(1, 3).map((post) => post.body.breakout_room_name)).toEqual(["Quiet corner", "Quiet corner"]);
  });

  it("reports Jitsi's total_dominant_speaker_time (ms) on left and in all_occupants, open intervals included", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url, include_speaker_stats: true }));
    const room = uniqueRoom("speakers");
    const host = await h.user(p); // first occupant: no speaker stats entry (Jicofo's place in Jitsi)
    const a = await h.user(p, { token: signToken(ALICE) });
    const b = await h.user(p, { token: signToken(BOB) });
    await host.join(room, "host");
    await a.join(room, "alice");
    await b.join(room, "bob");
    await api.waitFor(4);

    await speak(a, room); // alice 600
    await sleep(600);
    await speak(b, room); // bob 300
    await sleep(300);
    await speak(a, room); // alice 300 more, closed when she leaves
    await sleep(300);
    await a.leave(room, "alice");
    const [, , , , leftA] = await api.waitFor(5);
    expectAbout(leftA!.body.occupant.total_dominant_speaker_time, 900);

    await speak(b, room); // bob 400 more, still speaking when the room is destroyed
    await sleep(400);
    const destroyedNotice = b.waitForStanza((s) => s.is("presence") && s.attrs.type === "unavailable", 5000, "destroy notice");
    expect((await host.destroy(room, "meeting over")).attrs.type).toBe("result");
    await destroyedNotice;
    const posts = await api.waitFor(8);
    await expectTotal(api, 8, 500);

    const names = { [host.jid]: "host", [a.jid]: "alice", [b.jid]: "bob" };
    const lines = story(posts, { [roomJid(room)]: "R" }, names);
    expect(lines.slice(0, 5)).toEqual(["R:created", "R:joined:host:1", "R:joined:alice:2", "R:joined:bob:3", "R:left:alice:2"]);
    // The destroy's lefts come in Prosody's (hash table) order: check who and the counts.
    expect(lines.slice(5, 7).map((l) => l.split(":")[2]).sort()).toEqual(["bob", "host"]);
    expect(lines.slice(5, 7).map((l) => l.split(":")[3])).toEqual(["1", "0"]);
    expect(lines[7]).toBe("R:destroyed");

    const leftOf = (jid: string): any => posts.slice(5, 7).find((post) => post.body.occupant.occupant_jid === jid)!.body.occupant;
    expectAbout(leftOf(b.jid).total_dominant_speaker_time, 700);
    expect(leftOf(host.jid).total_dominant_speaker_time).toBe(0);
    for (const joined of posts.slice(1, 4)) expect(joined.body.occupant.total_dominant_speaker_time).toBeUndefined();

    const all = posts[7]!.body.all_occupants as any[];
    expect(all.map((o) => names[o.occupant_jid])).toEqual(["host", "alice", "bob"]);
    expect(all[0].total_dominant_speaker_time).toBe(0);
    expect(all[1].total_dominant_speaker_time).toBe(leftA!.body.occupant.total_dominant_speaker_time);
    expect(all[2].total_dominant_speaker_time).toBe(leftOf(b.jid).total_dominant_speaker_time);
  });

  it("leaves total_dominant_speaker_time out when include_speaker_stats is off (the default)", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url }));
    const room = uniqueRoom("nostats");
    const a = await h.user(p);
    const b = await h.user(p);
    await a.join(room, "a");
    await b.join(room, "b");
    await speak(b, room);
    await sleep(200);
    await b.leave(room, "b");
    await a.leave(room, "a");
    const posts = await api.waitFor(6);
    await expectTotal(api, 6, 500);
    expect(posts.map((post) => kindOf(post))).toEqual(["created", "joined", "joined", "left", "left", "destroyed"]);
    for (const left of posts.slice(3, 5)) expect(personKeysOf(left.body.occupant)).toEqual(["joined_at", "left_at", "occupant_jid"]);
    for (const o of posts[5]!.body.all_occupants as any[]) expect(keysOf(o)).toEqual(["joined_at", "left_at", "occupant_jid"]);
  });

  it("adds every key of the JWT user context with include_user_info, never replacing the component's own fields", async () => {
    const run = async (includeUserInfo: boolean): Promise<{ posts: ReceivedPost[]; alice: TestClient; bob: TestClient; guest: TestClient }> => {
      const api = await h.receiver();
      const p = await h.prosody(jitsiProsody({ api_prefix: api.url, include_user_info: includeUserInfo }));
      const room = uniqueRoom("userinfo");
      const alice = await h.user(p, {
        token: signToken({ ...ALICE, avatar: "https://example.com/a.png", moderator: true, occupant_jid: "forged@example.com/x" }),
      });
      const bob = await h.user(p, { token: signToken(BOB) });
      const guest = await h.user(p);
      await alice.join(room, "alice");
      await bob.join(room, "bob");
      await guest.join(room, "guest");
      await guest.leave(room, "guest");
      await bob.leave(room, "bob");
      await alice.leave(room, "alice");
      const posts = await api.waitFor(8);
      await expectTotal(api, 8, 500);
      expect(posts.map((post) => kindOf(post))).toEqual(["created", "joined", "joined", "joined", "left", "left", "left", "destroyed"]);
      return { posts, alice, bob, guest };
    };

    const on = await run(true);
    const occupantsOn = [...on.posts.slice(1, 7).map((post) => post.body.occupant), ...(on.posts[7]!.body.all_occupants as any[])];
    const aliceOn = occupantsOn.filter((o) => o.id === ALICE.id);
    expect(aliceOn).toHaveLength(3); // joined, left, all_occupants
    for (const o of aliceOn) {
      expect(o.occupant_jid).toBe(on.alice.jid); // the claim named occupant_jid did not win
      expect(o.avatar).toBe("https://example.com/a.png");
      expect(o.moderator).toBe(true);
      expect({ id: o.id, name: o.name, email: o.email }).toEqual(ALICE);
      const base = "left_at" in o ? ["joined_at", "left_at", "occupant_jid"] : ["joined_at", "occupant_jid"];
      expect(personKeysOf(o)).toEqual([...base, ...IDENTITY_KEYS, "avatar", "moderator"].sort());
    }
    for (const o of occupantsOn.filter((x) => x.occupant_jid === on.bob.jid)) {
      expect(personKeysOf(o).filter((k) => !["joined_at", "left_at", "occupant_jid"].includes(k))).toEqual(IDENTITY_KEYS);
    }
    for (const o of occupantsOn.filter((x) => x.occupant_jid === on.guest.jid)) {
      expect(personKeysOf(o).filter((k) => !["joined_at", "left_at", "occupant_jid"].includes(k))).toEqual([]);
    }

    const off = await run(false);
    const occupantsOff = [...off.posts.slice(1, 7).map((post) => post.body.occupant), ...(off.posts[7]!.body.all_occupants as any[])];
    for (const o of occupantsOff.filter((x) => x.occupant_jid === off.alice.jid)) {
      const base = "left_at" in o ? ["joined_at", "left_at", "occupant_jid"] : ["joined_at", "occupant_jid"];
      expect(personKeysOf(o)).toEqual([...base, ...IDENTITY_KEYS].sort());
    }
  });

  it("merges room._data.event_sync_extra_payload into every event of that room without overriding room_name", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url }, { extraPayload: true }));
    const extra = uniqueRoom("extra"); // test_extra_payload marks rooms named extra-*
    const plain = uniqueRoom("plain");
    const a = await h.user(p);
    const b = await h.user(p);
    await a.join(extra, "a");
    await api.waitFor(2);
    await b.join(plain, "b");
    await api.waitFor(4);
    await a.leave(extra, "a");
    await api.waitFor(6);
    await b.leave(plain, "b");
    const posts = await api.waitFor(8);
    await expectTotal(api, 8, 500);

    const ofExtra = posts.filter((post) => post.body.room_jid === roomJid(extra));
    const ofPlain = posts.filter((post) => post.body.room_jid === roomJid(plain));
    expect(ofExtra.map((post) => kindOf(post))).toEqual(["created", "joined", "left", "destroyed"]);
    expect(ofPlain.map((post) => kindOf(post))).toEqual(["created", "joined", "left", "destroyed"]);
    for (const post of ofExtra) {
      expect(post.body.tenant).toBe("acme"); // the held first created included
      expect(post.body.room_name).toBe(extra);
      expect(post.body.meeting_id).toMatch(UUID);
      expect(keysOf(post.body)).toEqual(payloadKeys(kindOf(post), ["meeting_id", "tenant"]));
    }
    for (const post of ofPlain) {
      expect(post.body.room_name).toBe(plain);
      expect(keysOf(post.body)).toEqual(payloadKeys(kindOf(post), ["meeting_id"]));
    }
  });

  it("works on a plain Prosody MUC without Jitsi's modules: is_breakout false, no meeting_id", async () => {
    const api = await h.receiver();
    // breakout_component names a host that does not exist here: the component just waits for it.
    const p = await h.prosody(jitsiProsody({ api_prefix: api.url, breakout_component: BREAKOUT_HOST }, { jitsi: false }));
    const room = uniqueRoom("plainmuc");
    const a = await h.user(p);
    const b = await h.user(p);
    await a.join(room, "a");
    await b.join(room, "b");
    await b.leave(room, "b");
    await a.leave(room, "a");
    const posts = await api.waitFor(6);
    await expectTotal(api, 6, 500);
    const names = { [a.jid]: "a", [b.jid]: "b" };
    expect(story(posts, { [roomJid(room)]: "R" }, names)).toEqual(["R:created", "R:joined:a:1", "R:joined:b:2", "R:left:b:1", "R:left:a:0", "R:destroyed"]);
    for (const post of posts) {
      expect(post.body.is_breakout).toBe(false);
      expect(post.body.room_name).toBe(room);
      expect(keysOf(post.body)).toEqual(payloadKeys(kindOf(post)));
    }
    expect(p.logText()).toMatch(/Waiting for breakout\.localhost to be activated/);
  });
});
