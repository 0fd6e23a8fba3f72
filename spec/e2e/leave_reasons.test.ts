/**
 * `disconnect_reason` on `occupant/left`, end to end: each way of leaving a room on a real
 * Prosody (the one `PROSODY` names) with real clients, and the reason the API is told.
 */
import { describe, expect, it } from "@jest/globals";
import { xml } from "@xmpp/client";
import { ReceivedPost, Receiver } from "./helpers/receiver.js";
import { kindOf, useHarness } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";

/** The `left` posts, by the occupant's real JID. */
function leftOf(posts: readonly ReceivedPost[], jid: string): ReceivedPost | undefined {
  return posts.find((post) => kindOf(post) === "left" && post.body.occupant.occupant_jid === jid);
}

async function leftReason(api: Receiver, jid: string, timeoutMs = 8000): Promise<string> {
  const posts = await api.waitFor((all) => leftOf(all, jid) !== undefined, timeoutMs);
  return leftOf(posts, jid)!.body.disconnect_reason as string;
}

/** Sets `bob`'s affiliation in `room` (owner or admin only); resolves on the iq result. */
function setAffiliation(owner: TestClient, room: string, jid: string, affiliation: string): Promise<unknown> {
  const bare = jid.split("/")[0]!;
  const item = xml("item", { jid: bare, affiliation });
  return owner.xmpp.iqCaller.request(xml("iq", { type: "set", to: roomJid(room) }, xml("query", { xmlns: MUC_ADMIN }, item)));
}

/** A meeting of alice (owner) and bob in a fresh room, both joins reported. */
async function meeting(prosodyOptions: Record<string, unknown> = {}) {
  const api = await h.receiver();
  const p = await h.prosody({ component: { api_prefix: api.url, ...prosodyOptions } });
  const room = uniqueRoom("reasons");
  const alice = await h.user(p, { transport: "tcp" });
  const bob = await h.user(p, { transport: "tcp" });
  await alice.join(room, "alice");
  await bob.join(room, "bob");
  await api.waitFor(3);
  return { api, p, room, alice, bob };
}

describe("disconnect_reason", () => {
  it("left: the client closes its stream without a word to the room", async () => {
    const { api, bob } = await meeting();
    await bob.stop(); // </stream>: resource-unbind with error false, then an unavailable without status
    expect(await leftReason(api, bob.jid)).toBe("left");
  });

  it("left: the client sends unavailable (with a status text of its own too)", async () => {
    const { api, room, alice, bob } = await meeting();
    const gone = bob.waitForStanza((s) => s.is("presence") && s.attrs.type === "unavailable" && s.attrs.from === `${roomJid(room)}/bob`);
    await bob.xmpp.send(xml("presence", { to: `${roomJid(room)}/bob`, type: "unavailable" }, xml("status", {}, "Gone to lunch")));
    await gone;
    expect(await leftReason(api, bob.jid)).toBe("left");
    await alice.leave(room, "alice");
    expect(await leftReason(api, alice.jid)).toBe("left");
  });

  it("left: a client's own 'Disconnected: …' status text is its own words, not a lost connection", async () => {
    const { api, room, bob } = await meeting();
    await bob.xmpp.send(xml("presence", { to: `${roomJid(room)}/bob`, type: "unavailable" }, xml("status", {}, "Disconnected: Connection reset by peer")));
    expect(await leftReason(api, bob.jid)).toBe("left");
  });

  it("switch_room: a Jitsi client moving to a breakout room leaves with that status", async () => {
    const { api, room, bob } = await meeting();
    // lib-jitsi-meet ChatRoom.leave(reason) with CONFERENCE_LEAVE_REASONS.SWITCH_ROOM
    await bob.xmpp.send(xml("presence", { to: `${roomJid(room)}/bob`, type: "unavailable" }, xml("status", {}, "switch_room")));
    expect(await leftReason(api, bob.jid)).toBe("switch_room");
  });

  it("kicked: a moderator sets bob's role to none (307)", async () => {
    const { api, room, alice, bob } = await meeting();
    await alice.kick(room, "bob", "Be nice");
    expect(await leftReason(api, bob.jid)).toBe("kicked");
  });

  it("banned: the owner makes bob an outcast (301)", async () => {
    const { api, room, alice, bob } = await meeting();
    await setAffiliation(alice, room, bob.jid, "outcast");
    expect(await leftReason(api, bob.jid)).toBe("banned");
  });

  it("removed: the room becomes members-only and bob is not a member (322), or loses membership (321)", async () => {
    const { api, p, room, alice, bob } = await meeting();
    await alice.configure(room, { "muc#roomconfig_membersonly": "1" });
    expect(await leftReason(api, bob.jid)).toBe("removed");

    const carol = await h.user(p, { transport: "tcp" });
    await setAffiliation(alice, room, carol.jid, "member");
    await carol.join(room, "carol");
    await api.waitFor((posts) => posts.some((post) => kindOf(post) === "joined" && post.body.occupant.occupant_jid === carol.jid));
    await setAffiliation(alice, room, carol.jid, "none");
    expect(await leftReason(api, carol.jid)).toBe("removed");
  });

  it("connection_lost: bob's TCP connection drops without a goodbye", async () => {
    const { api, bob } = await meeting();
    const socket = (bob.xmpp as unknown as { socket: { resetAndDestroy(): void } }).socket;
    socket.resetAndDestroy(); // RST: no </stream>, no unavailable presence
    expect(await leftReason(api, bob.jid)).toBe("connection_lost");
  });

  it("room_destroyed: the owner destroys the room with bob inside", async () => {
    const { api, room, alice, bob } = await meeting();
    await alice.destroy(room, "Meeting over");
    expect(await leftReason(api, bob.jid)).toBe("room_destroyed");
    expect(await leftReason(api, alice.jid)).toBe("room_destroyed");
    const posts = await api.waitFor(6);
    expect(kindOf(posts[5]!)).toBe("destroyed");
  });

  it("server_shutdown: Prosody stops (SIGTERM) with both inside", async () => {
    const { api, p, alice, bob } = await meeting({ api_shutdown_timeout: 3 });
    await p.kill("SIGTERM");
    const posts = await api.waitFor(6);
    expect(leftOf(posts, alice.jid)!.body.disconnect_reason).toBe("server_shutdown");
    expect(leftOf(posts, bob.jid)!.body.disconnect_reason).toBe("server_shutdown");
  });

  it("nick_change: the old nick's left, then the new nick's joined", async () => {
    const { api, room, bob } = await meeting();
    await bob.changeNick(room, "robert");
    const posts = await api.waitFor(5);
    expect(kindOf(posts[3]!)).toBe("left");
    expect(posts[3]!.body.disconnect_reason).toBe("nick_change");
    expect(posts[3]!.body.occupant.participant_id).toBe("bob");
    expect(kindOf(posts[4]!)).toBe("joined");
    expect(posts[4]!.body.occupant.participant_id).toBe("robert");
  });
});
