/**
 * Jitsi's lobby on a real Prosody: `lobby/joined` and `lobby/left` (knock, then admitted,
 * denied, gave up, or the lobby room destroyed while waiting). Jitsi's mod_muc_lobby_rooms is
 * played by spec/prosody_modules/mod_test_lobby_rooms.lua; the clients do what lib-jitsi-meet's
 * Lobby.js does: a refused join (407 with the lobby room), a join of the lobby room with an
 * 8-hex nick and a XEP-0172 display name; a moderator admits with a mediated invite to the
 * main room and denies with a kick from the lobby room.
 */
import { describe, expect, it } from "@jest/globals";
import { Element, xml } from "@xmpp/client";
import { DOMAIN, LuaValue, MUC_HOST, mucComponent, ProsodyOptions, testModulesDir } from "./helpers/prosody.js";
import { ReceivedPost, Receiver } from "./helpers/receiver.js";
import { JWT_SECRET, keysOf, signToken, sleep, useHarness } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const LOBBY_HOST = `lobby.${DOMAIN}`;
const MUC = "http://jabber.org/protocol/muc";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const NICK = "http://jabber.org/protocol/nick";
const JITMEET = "http://jitsi.org/jitmeet";
const SEED_EVENTS = ["muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed"];
const LOBBY_EVENTS = ["muc-lobby-joined", "muc-lobby-left"];

const ALICE = { id: "a-1", name: "Alice Liddell", email: "alice@example.com" };
const BOB = { id: "b-2", name: "Bob Ross", email: "bob@example.com" };
const CAROL = { id: "c-3", name: "Carol Danvers", email: "carol@example.com" };
const DAVE = { id: "d-4", name: "Dave Bowman", email: "dave@example.com" };
const ERIN = { id: "e-5", name: "Erin Brockovich", email: "erin@example.com" };

/** A Prosody with Jitsi's lobby (and JWT identity, meeting ids); `component` adds our options. */
function lobbyProsody(component: Record<string, LuaValue | undefined>): ProsodyOptions {
  return {
    component: { lobby_component: LOBBY_HOST, ...component },
    extraPluginDirs: [testModulesDir()],
    mucOptions: { modules_enabled: ["test_meeting_id"] },
    extraComponents: [mucComponent(LOBBY_HOST, { restrict_room_creation: true })],
    virtualHostLua: [
      '    modules_enabled = { "test_jwt_identity", "test_lobby_rooms" }',
      `    test_jwt_secret = ${JSON.stringify(JWT_SECRET)}`,
      `    main_muc = ${JSON.stringify(MUC_HOST)}`,
      `    lobby_muc = ${JSON.stringify(LOBBY_HOST)}`,
    ].join("\n"),
  };
}

const lobbyOf = (room: string): string => `${room}@${LOBBY_HOST}`;

/** The path after `/api/events/`, e.g. `lobby/joined`. */
const pathOf = (post: ReceivedPost): string => post.path.replace(/^\/api\/events\//, "");

/** One line per post: `<path>[:<who>[:<disconnect_reason>]]`, who from `names`. */
function story(posts: readonly ReceivedPost[], names: Record<string, string>): string[] {
  return posts.map((p) => {
    const jid = p.body.occupant?.occupant_jid as string | undefined;
    const who = jid === undefined ? "" : `:${names[jid] ?? jid}`;
    const reason = p.body.disconnect_reason === undefined ? "" : `:${String(p.body.disconnect_reason)}`;
    return `${pathOf(p)}${who}${reason}`;
  });
}

/** Expects exactly `count` posts after waiting `ms` (shows any extra ones). */
async function expectTotal(api: Receiver, count: number, ms = 500): Promise<void> {
  await sleep(ms);
  expect(api.posts.slice(count).map(pathOf)).toEqual([]);
  expect(api.posts).toHaveLength(count);
}

/**
 * Knocks the way lib-jitsi-meet does: the main-room join is refused with 407 naming the lobby
 * room; then joins that room as `nick` with a XEP-0172 display name.
 */
async function knock(c: TestClient, room: string, nick: string, displayName: string): Promise<void> {
  const mainOccupant = `${roomJid(room)}/${nick}`;
  const refused = c.waitForStanza((s) => s.is("presence") && s.attrs.from === mainOccupant && s.attrs.type === "error", 5000, "407");
  await c.xmpp.send(xml("presence", { to: mainOccupant }, xml("x", { xmlns: MUC }), xml("nick", { xmlns: NICK }, displayName)));
  const error = (await refused).getChild("error");
  expect(error?.attrs.code).toBe("407");
  expect(error?.getChildText("lobbyroom", JITMEET)).toBe(lobbyOf(room));
  const occupant = `${lobbyOf(room)}/${nick}`;
  const self = c.waitForStanza(
    (s) => s.is("presence") && s.attrs.from === occupant && (s.attrs.type === "error" || s.getChild("x", MUC_USER) !== undefined),
    5000,
    "lobby self-presence",
  );
  await c.xmpp.send(xml("presence", { to: occupant }, xml("x", { xmlns: MUC }), xml("nick", { xmlns: NICK }, displayName)));
  const answer = await self;
  if (answer.attrs.type === "error") throw new Error(`lobby join failed: ${answer.toString()}`);
}

/** A moderator admits `visitor` as Jitsi does: a mediated invite to the main room. */
async function admit(moderator: TestClient, room: string, visitor: TestClient): Promise<Element> {
  const invited = visitor.waitForStanza((s) => s.is("message") && s.getChild("x", MUC_USER)?.getChild("invite") !== undefined, 5000, "invite");
  await moderator.xmpp.send(xml("message", { to: roomJid(room) }, xml("x", { xmlns: MUC_USER }, xml("invite", { to: visitor.jid }))));
  return invited;
}

const LOBBY_KEYS = ["event_id", "event_name", "event_timestamp_ms", "is_breakout", "meeting_id", "occupant", "room_jid", "room_name", "room_sequence"];
const VISITOR_KEYS = ["email", "id", "joined_at", "name", "nick", "occupant_jid", "participant_id"];

/** Checks a lobby payload: the main room, the visitor's identity and nick, and its keys. */
function expectLobbyPost(post: ReceivedPost, room: string, meetingId: unknown, who: { jid: string; user: typeof BOB; nick: string; display: string }, reason?: string): void {
  const body = post.body;
  expect(keysOf(body)).toEqual(reason === undefined ? LOBBY_KEYS : [...LOBBY_KEYS, "disconnect_reason"].sort());
  expect(body).toMatchObject({ room_name: room, room_jid: roomJid(room), is_breakout: false, meeting_id: meetingId });
  expect(body.event_name).toBe(reason === undefined ? "muc-lobby-joined" : "muc-lobby-left");
  expect(body.disconnect_reason).toBe(reason);
  expect(keysOf(body.occupant)).toEqual(reason === undefined ? VISITOR_KEYS : [...VISITOR_KEYS, "left_at"].sort());
  expect(body.occupant).toMatchObject({ occupant_jid: who.jid, nick: who.display, participant_id: who.nick, ...who.user });
}

describe("Jitsi lobby", () => {
  it("reports knocks and why each stopped waiting (admitted, denied, left, room_destroyed) in the main room's sequence", async () => {
    const api = await h.receiver();
    const p = await h.prosody(lobbyProsody({ api_prefix: api.url, api_events: [...SEED_EVENTS, ...LOBBY_EVENTS] }));
    const room = uniqueRoom("lobby");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const [bob, carol, dave, erin] = await Promise.all([BOB, CAROL, DAVE, ERIN].map((user) => h.user(p, { token: signToken(user) })));

    await alice.join(room, "alice"); // first: owner, moderator
    await api.waitFor(2);
    await alice.configure(room, { "muc#roomconfig_membersonly": "1" }); // turns the lobby on
    await alice.join(lobbyOf(room), "a1a1a1a1"); // moderators watch the lobby: not a knock
    await expectTotal(api, 2, 300);

    // Bob knocks and is admitted: he joins the main room, then leaves the lobby.
    await knock(bob, room, "b0b0b0b0", "Bobby");
    await api.waitFor(3);
    await admit(alice, room, bob);
    await bob.join(room, "bob");
    await api.waitFor(4);
    await bob.leave(lobbyOf(room), "b0b0b0b0");
    await api.waitFor(5);
    // Carol knocks and is denied (kicked from the lobby room).
    await knock(carol, room, "c0c0c0c0", "Caz");
    await api.waitFor(6);
    await alice.kick(lobbyOf(room), "c0c0c0c0", "You have been kicked.");
    await api.waitFor(7);
    // Dave knocks and gives up.
    await knock(dave, room, "d0d0d0d0", "Dave");
    await api.waitFor(8);
    await dave.leave(lobbyOf(room), "d0d0d0d0");
    await api.waitFor(9);
    // Erin is still waiting when the meeting ends.
    await knock(erin, room, "e0e0e0e0", "Erin");
    await api.waitFor(10);
    await bob.leave(room, "bob");
    await api.waitFor(11);
    await alice.destroy(room);
    const posts = await api.waitFor(14);
    await expectTotal(api, 14);

    const names = { [alice.jid]: "alice", [bob.jid]: "bob", [carol.jid]: "carol", [dave.jid]: "dave", [erin.jid]: "erin" };
    expect(story(posts, names)).toEqual([
      "room/created",
      "occupant/joined:alice",
      "lobby/joined:bob",
      "occupant/joined:bob",
      "lobby/left:bob:admitted",
      "lobby/joined:carol",
      "lobby/left:carol:denied",
      "lobby/joined:dave",
      "lobby/left:dave:left",
      "lobby/joined:erin",
      "occupant/left:bob:left",
      "occupant/left:alice:room_destroyed",
      "lobby/left:erin:room_destroyed",
      "room/destroyed",
    ]);
    // One room, one sequence: every post names the main room and numbers follow on.
    expect(posts.map((post) => post.body.room_sequence)).toEqual(posts.map((_, i) => i + 1));
    expect(new Set(posts.map((post) => post.body.room_jid))).toEqual(new Set([roomJid(room)]));
    expect(new Set(posts.map((post) => post.body.event_id)).size).toBe(14);
    const meetingId = posts[0]!.body.meeting_id;
    expect(typeof meetingId).toBe("string");

    const bobby = { jid: bob.jid, user: BOB, nick: "b0b0b0b0", display: "Bobby" };
    expectLobbyPost(posts[2]!, room, meetingId, bobby);
    expectLobbyPost(posts[4]!, room, meetingId, bobby, "admitted");
    expectLobbyPost(posts[5]!, room, meetingId, { jid: carol.jid, user: CAROL, nick: "c0c0c0c0", display: "Caz" });
    expectLobbyPost(posts[6]!, room, meetingId, { jid: carol.jid, user: CAROL, nick: "c0c0c0c0", display: "Caz" }, "denied");
    expectLobbyPost(posts[8]!, room, meetingId, { jid: dave.jid, user: DAVE, nick: "d0d0d0d0", display: "Dave" }, "left");
    expectLobbyPost(posts[12]!, room, meetingId, { jid: erin.jid, user: ERIN, nick: "e0e0e0e0", display: "Erin" }, "room_destroyed");
    // joined_at is the knock; left_at when they stopped waiting.
    const knocked = posts[2]!.body.occupant;
    const admitted = posts[4]!.body.occupant;
    expect(admitted.joined_at).toBe(knocked.joined_at);
    expect(admitted.left_at).toBeGreaterThanOrEqual(knocked.joined_at);
    // The admitted visitor is then an ordinary occupant, as a member.
    expect(posts[3]!.body.occupant).toMatchObject({ occupant_jid: bob.jid, affiliation: "member", ...BOB });
    // Lobby visitors are no occupants of the room.
    expect(posts[13]!.body.all_occupants.map((o: { occupant_jid: string }) => o.occupant_jid)).toEqual([alice.jid, bob.jid]);
  });

  it("turning the lobby off while someone waits: lobby/left with room_destroyed, the room lives on", async () => {
    const api = await h.receiver();
    const p = await h.prosody(lobbyProsody({ api_prefix: api.url, api_events: [...SEED_EVENTS, ...LOBBY_EVENTS] }));
    const room = uniqueRoom("lobbyoff");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p, { token: signToken(BOB) });
    await alice.join(room, "alice");
    await alice.configure(room, { "muc#roomconfig_membersonly": "1" });
    await knock(bob, room, "b0b0b0b0", "Bobby");
    await api.waitFor(3);
    await alice.configure(room, { "muc#roomconfig_membersonly": "0" });
    const posts = await api.waitFor(4);
    await expectTotal(api, 4);
    expect(story(posts, { [alice.jid]: "alice", [bob.jid]: "bob" })).toEqual([
      "room/created",
      "occupant/joined:alice",
      "lobby/joined:bob",
      "lobby/left:bob:room_destroyed",
    ]);
    expect(posts.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4]);
    // The room outlives its lobby: Bob can now join it.
    await bob.join(room, "bob");
    expect(story(await api.waitFor(5), { [bob.jid]: "bob" })[4]).toBe("occupant/joined:bob");
  });

  it("sends no lobby events unless api_events lists them (the default is the seed's four)", async () => {
    const api = await h.receiver();
    const p = await h.prosody(lobbyProsody({ api_prefix: api.url }));
    const room = uniqueRoom("lobbyquiet");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p, { token: signToken(BOB) });
    const carol = await h.user(p, { token: signToken(CAROL) });
    await alice.join(room, "alice");
    await alice.configure(room, { "muc#roomconfig_membersonly": "1" });
    await alice.join(lobbyOf(room), "a1a1a1a1");
    await knock(bob, room, "b0b0b0b0", "Bobby");
    await knock(carol, room, "c0c0c0c0", "Caz");
    await admit(alice, room, bob);
    await bob.join(room, "bob");
    await bob.leave(lobbyOf(room), "b0b0b0b0");
    await alice.kick(lobbyOf(room), "c0c0c0c0");
    await bob.leave(room, "bob");
    const posts = await api.waitFor(4);
    await expectTotal(api, 4);
    expect(story(posts, { [alice.jid]: "alice", [bob.jid]: "bob" })).toEqual([
      "room/created",
      "occupant/joined:alice",
      "occupant/joined:bob",
      "occupant/left:bob:left",
    ]);
    // the sequence has no gaps for the events not sent
    expect(posts.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4]);
  });
});
