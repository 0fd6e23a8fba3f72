/**
 * Jitsi's infrastructure occupants on a real Prosody: Jicofo's recording and live-stream
 * announcements, Jicofo under another account name, and Jibri/Jigasi told apart from people.
 * The test clients do what Jitsi's components do, logged in to accounts that
 * spec/prosody_modules/mod_test_accounts.lua creates:
 *   "Jicofo"  joins first under its account name (jicofo ChatRoomImpl.kt `join()`: the nick is
 *             `jicofo.xmpp.client.username`) and announces each Jibri session by updating its
 *             presence with ONE `<jibri-recording-status xmlns="http://jitsi.org/protocol/jibri"
 *             status session_id recording_mode initiator failure_reason/>` (JibriRecorder.kt
 *             `publishJibriRecordingStatus`, through ChatRoomImpl `setPresenceExtension`, which
 *             replaces the element and re-sends the whole presence).
 *   "Jibri"   logs in as `recorder@recorder.<domain>` (Jitsi's hidden domain; util.lib.lua
 *             RECORDER_PREFIXES), a transcriber as `transcriber@recorder.<domain>`.
 *   "Jigasi"  joins a SIP call with `<initiator xmlns="http://jitsi.org/protocol/jigasi">`
 *             (util.lib.lua is_sip_jigasi).
 */
import { describe, expect, it } from "@jest/globals";
import { Element, xml } from "@xmpp/client";
import { DOMAIN, LuaValue, ProsodyInstance, ProsodyOptions, testModulesDir } from "./helpers/prosody.js";
import { ReceivedPost, Receiver } from "./helpers/receiver.js";
import { signToken, sleep, useHarness, withJwtIdentity } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const AUTH = `auth.${DOMAIN}`;
const RECORDER = `recorder.${DOMAIN}`;
const PASSWORD = "e2e-account-pw";
const JIBRI_NS = "http://jitsi.org/protocol/jibri";
const SEED_EVENTS = ["muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed"];
const JIBRI_EVENTS = ["muc-recording-started", "muc-recording-stopped", "muc-live-stream-started", "muc-live-stream-stopped"];
const ALICE = { id: "a-1", name: "Alice Liddell", email: "alice@example.com" };

/** A Prosody with Jitsi's account hosts (`auth.` for Jicofo and Jigasi, `recorder.` for Jibri). */
function jitsiAccounts(component: Record<string, LuaValue | undefined>, mucOptions: Record<string, LuaValue | undefined> = {}): ProsodyOptions {
  const accounts = (host: string, names: string[]): string =>
    [
      `VirtualHost "${host}"`,
      '    authentication = "internal_plain"',
      '    modules_enabled = { "test_accounts" }',
      `    test_accounts = { ${names.map((n) => `["${n}"] = "${PASSWORD}"`).join(", ")} }`,
    ].join("\n");
  return withJwtIdentity({
    component: { api_events: [...SEED_EVENTS, ...JIBRI_EVENTS], ...component },
    mucOptions,
    extraPluginDirs: [testModulesDir()],
    // Written before `VirtualHost "localhost"`: these hosts come first in the config.
    globalLua: [accounts(AUTH, ["focus", "focususer", "jicofo", "jigasi"]), accounts(RECORDER, ["recorder", "transcriber"])].join("\n\n"),
  });
}

/** Logs in to `username@host`. */
function account(p: ProsodyInstance, username: string, host: string): Promise<TestClient> {
  return h.user(p, { account: { domain: host, username, password: PASSWORD } });
}

/** Joins with these extra presence children (markers Jitsi's components send); resolves on the self-presence. */
async function joinWith(c: TestClient, room: string, nick: string, ...children: Element[]): Promise<void> {
  const from = `${roomJid(room)}/${nick}`;
  const self = c.waitForStanza((s) => s.is("presence") && s.attrs.from === from, 5000, `self-presence of ${from}`);
  await c.xmpp.send(xml("presence", { to: from }, xml("x", { xmlns: "http://jabber.org/protocol/muc" }), ...children));
  expect((await self).attrs.type).toBeUndefined();
}

interface Status {
  status: string;
  session_id?: string;
  recording_mode?: string;
  initiator?: string;
  failure_reason?: string;
}

/** Jicofo's presence update carrying one Jibri status; resolves once the room reflected it. */
async function announce(focus: TestClient, room: string, nick: string, status: Status): Promise<void> {
  const from = `${roomJid(room)}/${nick}`;
  const reflected = focus.waitForStanza(
    (s) => s.is("presence") && s.attrs.from === from && s.getChild("jibri-recording-status", JIBRI_NS)?.attrs.status === status.status,
    5000,
    `reflected ${status.status}`,
  );
  const attrs = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as Record<string, string>;
  await focus.xmpp.send(xml("presence", { to: from }, xml("jibri-recording-status", { xmlns: JIBRI_NS, ...attrs })));
  await reflected;
}

/** `<event name>[:<who or session>]` per post, in arrival order. */
function story(posts: readonly ReceivedPost[], names: Record<string, string>): string[] {
  return posts.map((p) => {
    const name = String(p.body.event_name).replace(/^muc-/, "");
    if (p.body.session_id !== undefined) return `${name}:${String(p.body.session_id)}`;
    const jid = p.body.occupant?.occupant_jid as string | undefined;
    return jid === undefined ? name : `${name}:${names[jid] ?? jid}:${String(p.body.active_occupants_count)}`;
  });
}

/** Waits a little longer, then expects exactly `count` posts. */
async function expectTotal(api: Receiver, count: number, ms = 400): Promise<ReceivedPost[]> {
  await sleep(ms);
  expect(api.posts.map((p) => p.path).slice(count)).toEqual([]);
  return api.posts;
}

describe("Jibri sessions announced by Jicofo", () => {
  it("reports a recording and a live stream started and stopped once, with initiator, failure and the room's sequence; focus under another name is not an occupant", async () => {
    const api = await h.receiver();
    // Jicofo's account is not `focus`: the MUC component's admins name it, as Jitsi's configs do.
    const p = await h.prosody(jitsiAccounts({ api_prefix: api.url }, { admins: [`focususer@${AUTH}`] }));
    const room = uniqueRoom("rec");
    const focus = await account(p, "focususer", AUTH);
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p);

    await focus.join(room, "focususer"); // Jicofo is in the room first
    await api.waitFor(1);
    await alice.join(room, "alice");
    await bob.join(room, "bob");
    await api.waitFor(3);
    const by = (nick: string) => `${roomJid(room)}/${nick}`;

    // A recording: pending, on (re-sent with a later presence), off.
    await announce(focus, room, "focususer", { status: "pending", session_id: "s-rec", recording_mode: "file" });
    await announce(focus, room, "focususer", { status: "on", session_id: "s-rec", recording_mode: "file", initiator: by("alice") });
    await announce(focus, room, "focususer", { status: "on", session_id: "s-rec", recording_mode: "file", initiator: by("alice") });
    await api.waitFor(4);
    await announce(focus, room, "focususer", { status: "off", session_id: "s-rec", recording_mode: "file", initiator: by("bob") });
    await announce(focus, room, "focususer", { status: "off", session_id: "s-rec", recording_mode: "file", initiator: by("bob") });
    await api.waitFor(5);
    // A live stream that fails, then one still on when the room is destroyed.
    await announce(focus, room, "focususer", { status: "on", session_id: "s-live", recording_mode: "stream", initiator: by("bob") });
    await announce(focus, room, "focususer", { status: "off", session_id: "s-live", recording_mode: "stream", failure_reason: "error" });
    await announce(focus, room, "focususer", { status: "on", session_id: "s-live2", recording_mode: "stream", initiator: by("alice") });
    await api.waitFor(8);
    await focus.destroy(room); // Jicofo owns the room (first in)
    const posts = await api.waitFor(12);
    await expectTotal(api, 12);

    const names = { [alice.jid]: "alice", [bob.jid]: "bob" };
    const lines = story(posts, names);
    expect(lines.slice(0, 8)).toEqual([
      "room-created",
      "occupant-joined:alice:1",
      "occupant-joined:bob:2",
      "recording-started:s-rec",
      "recording-stopped:s-rec",
      "live-stream-started:s-live",
      "live-stream-stopped:s-live",
      "live-stream-started:s-live2",
    ]);
    // At the destroy Prosody clears the occupants in no fixed order (so the counts vary), then the room ends.
    const cleared = lines.slice(8, 11).map((line) => line.replace(/:\d+$/, ""));
    expect(cleared.sort()).toEqual(["live-stream-stopped:s-live2", "occupant-left:alice", "occupant-left:bob"]);
    expect(lines[11]).toBe("room-destroyed");
    expect(posts.map((post) => post.body.room_sequence)).toEqual(posts.map((_, i) => i + 1));
    expect(posts.map((post) => post.path.replace(/^\/api/, "")).slice(3, 8)).toEqual([
      "/events/recording/started",
      "/events/recording/stopped",
      "/events/live-stream/started",
      "/events/live-stream/stopped",
      "/events/live-stream/started",
    ]);

    const [started, stopped, , failed] = posts.slice(3);
    expect(started!.body).toMatchObject({
      event_name: "muc-recording-started",
      room_jid: roomJid(room),
      session_id: "s-rec",
      recording_mode: "file",
      initiator: { jid: alice.jid, ...ALICE },
    });
    expect(typeof started!.body.event_id).toBe("string");
    expect(started!.body.failure_reason).toBeUndefined();
    expect(stopped!.body).toMatchObject({ session_id: "s-rec", recording_mode: "file", stop_reason: "off", initiator: { jid: bob.jid } });
    expect(failed!.body).toMatchObject({ event_name: "muc-live-stream-stopped", session_id: "s-live", failure_reason: "error", stop_reason: "off" });
    expect(failed!.body.initiator).toBeUndefined();
    const atDestroy = posts.find((post) => post.body.session_id === "s-live2" && post.body.event_name === "muc-live-stream-stopped");
    expect(atDestroy!.body).toMatchObject({ stop_reason: "room_destroyed", recording_mode: "stream" });
    // Jicofo is nobody's occupant: not joined, not counted, not listed.
    const destroyed = posts[11]!.body;
    expect((destroyed.all_occupants as { occupant_jid: string }[]).map((o) => names[o.occupant_jid])).toEqual(["alice", "bob"]);
  });

  it("trusts only focus's presence; focus named by focus_jids (and focus@…) is skipped; focus leaving stops what is on", async () => {
    const api = await h.receiver();
    const p = await h.prosody(jitsiAccounts({ api_prefix: api.url, focus_jids: [`jicofo@${AUTH}`] }));
    const room = uniqueRoom("fj");
    const jicofo = await account(p, "jicofo", AUTH);
    const oldFocus = await account(p, "focus", AUTH);
    const alice = await h.user(p);

    await jicofo.join(room, "jicofo");
    await oldFocus.join(room, "focus");
    await alice.join(room, "alice");
    await api.waitFor(2);
    // A participant's own status is a forgery: nothing.
    await announce(alice, room, "alice", { status: "on", session_id: "forged", recording_mode: "file" });
    await announce(jicofo, room, "jicofo", { status: "on", session_id: "s1", recording_mode: "file", initiator: `${roomJid(room)}/alice` });
    await api.waitFor(3);
    await jicofo.leave(room, "jicofo"); // Jicofo gone: its Jibri session ends with it
    await api.waitFor(4);
    await oldFocus.leave(room, "focus");
    await alice.leave(room, "alice");
    const posts = await api.waitFor(6);
    await expectTotal(api, 6);
    expect(story(posts, { [alice.jid]: "alice" })).toEqual([
      "room-created",
      "occupant-joined:alice:1",
      "recording-started:s1",
      "recording-stopped:s1",
      "occupant-left:alice:0",
      "room-destroyed",
    ]);
    expect(posts[2]!.body.initiator).toEqual({ jid: alice.jid });
    expect(posts[3]!.body).toMatchObject({ stop_reason: "focus_left" });
    expect(posts[5]!.body.all_occupants).toHaveLength(1);
  });
});

describe("service participants", () => {
  /** Jibri, a transcriber and a Jigasi SIP call join alice's room; resolves with the posts of the room. */
  async function meeting(exclude: boolean, count: number): Promise<{ posts: ReceivedPost[]; names: Record<string, string> }> {
    const api = await h.receiver();
    const p = await h.prosody(jitsiAccounts({ api_prefix: api.url, exclude_service_participants: exclude }));
    const room = uniqueRoom("svc");
    const alice = await h.user(p);
    const jibri = await account(p, "recorder", RECORDER);
    const transcriber = await account(p, "transcriber", RECORDER);
    const jigasi = await account(p, "jigasi", AUTH);
    await alice.join(room, "alice");
    await jibri.join(room, "jibri-1");
    await joinWith(
      transcriber,
      room,
      "transcriber-1",
      xml("features", {}, xml("feature", { var: "http://jitsi.org/protocol/transcriber" })),
    );
    const initiator = xml("initiator", { xmlns: "http://jitsi.org/protocol/jigasi" }, xml("header", { name: "JigasiCallDirection", value: "in" }));
    await joinWith(jigasi, room, "sip-1", initiator);
    await jibri.leave(room, "jibri-1");
    await transcriber.leave(room, "transcriber-1");
    await jigasi.leave(room, "sip-1");
    await alice.leave(room, "alice");
    const posts = await api.waitFor(count);
    await expectTotal(api, count);
    return { posts, names: { [alice.jid]: "alice", [jibri.jid]: "jibri", [transcriber.jid]: "transcriber", [jigasi.jid]: "jigasi" } };
  }

  it("gives occupants their kind: participant, recorder, transcriber, sip", async () => {
    const { posts, names } = await meeting(false, 10);
    expect(story(posts, names)).toEqual([
      "room-created",
      "occupant-joined:alice:1",
      "occupant-joined:jibri:2",
      "occupant-joined:transcriber:3",
      "occupant-joined:jigasi:4",
      "occupant-left:jibri:3",
      "occupant-left:transcriber:2",
      "occupant-left:jigasi:1",
      "occupant-left:alice:0",
      "room-destroyed",
    ]);
    expect(posts.slice(1, 5).map((post) => post.body.occupant.kind)).toEqual(["participant", "recorder", "transcriber", "sip"]);
    expect(posts.slice(5, 9).map((post) => post.body.occupant.kind)).toEqual(["recorder", "transcriber", "sip", "participant"]);
  });

  it("exclude_service_participants leaves recorders and transcribers out of the occupant events and counts", async () => {
    const { posts, names } = await meeting(true, 6);
    expect(story(posts, names)).toEqual([
      "room-created",
      "occupant-joined:alice:1",
      "occupant-joined:jigasi:2",
      "occupant-left:jigasi:1",
      "occupant-left:alice:0",
      "room-destroyed",
    ]);
    expect((posts[5]!.body.all_occupants as unknown[]).length).toBe(2);
  });
});
