/**
 * Roles, affiliations and the client's own display name on a real Prosody: the occupant
 * fields every event carries, and `occupant/role-changed` when a moderator changes them.
 */
import { describe, expect, it } from "@jest/globals";
import { xml } from "@xmpp/client";
import { ReceivedPost } from "./helpers/receiver.js";
import { ALL_EVENTS, kindOf, signToken, useHarness, withJwtIdentity } from "./helpers/scenario.js";
import { roomJid, TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();
const MUC = "http://jabber.org/protocol/muc";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
const NICK = "http://jabber.org/protocol/nick";
const ALICE = { id: "u-alice", name: "Alice Liddell", email: "alice@example.com" };
const BOB = { id: "u-bob", name: "Bob Ross", email: "bob@example.com" };

/** Joins with a XEP-0172 display name in the join presence, as Jitsi Meet does. */
async function joinWithName(client: TestClient, room: string, nick: string, displayName: string): Promise<void> {
  const occupant = `${roomJid(room)}/${nick}`;
  const self = client.waitForStanza(
    (s) => s.is("presence") && s.attrs.from === occupant && s.getChild("x", MUC_USER) !== undefined,
    5000,
    `self-presence from ${occupant}`,
  );
  await client.xmpp.send(xml("presence", { to: occupant }, xml("x", { xmlns: MUC }), xml("nick", { xmlns: NICK }, displayName)));
  await self;
}

function admin(actor: TestClient, room: string, item: Record<string, string>): Promise<unknown> {
  return actor.xmpp.iqCaller.request(xml("iq", { type: "set", to: roomJid(room) }, xml("query", { xmlns: MUC_ADMIN }, xml("item", item))));
}

const bare = (jid: string): string => jid.split("/")[0]!;
const ofKind = (posts: readonly ReceivedPost[], kind: string): ReceivedPost[] => posts.filter((post) => kindOf(post) === kind);

describe("occupant roles and occupant/role-changed", () => {
  it("reports role, affiliation, nick and participant_id, and each change with who made it", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url, api_events: ALL_EVENTS } }));
    const room = uniqueRoom("roles");
    const alice = await h.user(p, { token: signToken(ALICE) });
    const bob = await h.user(p, { token: signToken(BOB) });
    await joinWithName(alice, room, "a1b2c3d4", "Alice L.");
    await api.waitFor(2);
    await joinWithName(bob, room, "e5f6a7b8", "Bobby");
    await api.waitFor(3);

    const [aliceJoined, bobJoined] = ofKind(api.posts, "joined");
    // The room's creator is its owner, hence a moderator (Prosody's default); bob is neither.
    expect(aliceJoined!.body.occupant).toMatchObject({ role: "moderator", affiliation: "owner", nick: "Alice L.", participant_id: "a1b2c3d4", kind: "participant" });
    expect(bobJoined!.body.occupant).toMatchObject({ role: "participant", affiliation: "none", nick: "Bobby", participant_id: "e5f6a7b8", name: BOB.name });

    // A moderator role alone, then an affiliation (how Jitsi grants moderator: owner).
    await admin(alice, room, { nick: "e5f6a7b8", role: "moderator" });
    await api.waitFor(4);
    await admin(alice, room, { jid: bare(bob.jid), affiliation: "owner" });
    await api.waitFor(5);
    // A presence update that changes nothing is not a role change.
    await bob.xmpp.send(xml("presence", { to: `${roomJid(room)}/e5f6a7b8` }, xml("show", {}, "away")));
    await bob.leave(room, "e5f6a7b8");
    const posts = await api.waitFor(6);
    expect(await api.quietFor(300)).toEqual([]);

    const changes = ofKind(posts, "role-changed");
    expect(changes).toHaveLength(2);
    expect(changes[0]!.path).toBe("/api/events/occupant/role-changed");
    expect(changes[0]!.body).toMatchObject({
      event_name: "muc-occupant-role-changed",
      room_jid: roomJid(room),
      room_sequence: 4,
      previous_role: "participant",
      previous_affiliation: "none",
      occupant: { occupant_jid: bob.jid, role: "moderator", affiliation: "none", nick: "Bobby", participant_id: "e5f6a7b8", name: BOB.name },
      actor: { jid: alice.jid, name: ALICE.name, email: ALICE.email, id: ALICE.id },
    });
    expect(changes[0]!.body.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(changes[1]!.body).toMatchObject({
      room_sequence: 5,
      previous_role: "moderator",
      previous_affiliation: "none",
      occupant: { role: "moderator", affiliation: "owner" },
      actor: { jid: alice.jid },
    });
    // The left carries the role and affiliation bob held last inside.
    const left = ofKind(posts, "left")[0]!;
    expect(left.body.room_sequence).toBe(6);
    expect(left.body.occupant).toMatchObject({ role: "moderator", affiliation: "owner", nick: "Bobby" });
  });

  it("sends no role-changed unless api_events lists it (the default is the seed's four events)", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    const room = uniqueRoom("roles-off");
    const alice = await h.user(p);
    const bob = await h.user(p);
    await alice.join(room, "alice");
    await bob.join(room, "bob");
    await api.waitFor(3);
    await admin(alice, room, { jid: bare(bob.jid), affiliation: "member" });
    await bob.leave(room, "bob");
    const posts = await api.waitFor(4);
    expect(await api.quietFor(300)).toEqual([]);
    expect(posts.map((post) => kindOf(post))).toEqual(["created", "joined", "joined", "left"]);
    // the change still shows on the left, and the room's sequence has no gap
    expect(posts[3]!.body.occupant).toMatchObject({ role: "participant", affiliation: "member" });
    expect(posts.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4]);
  });

  it("a change the server makes has no actor", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url, api_events: ALL_EVENTS }, adminConsole: true });
    const room = uniqueRoom("roles-server");
    const alice = await h.user(p);
    const bob = await h.user(p);
    await alice.join(room, "alice");
    await bob.join(room, "bob");
    await api.waitFor(3);
    // Prosody's own admin console: room:set_affiliation(true, jid, "admin") is the server acting.
    await p.adminCommand(`>hosts["conference.localhost"].modules.muc.get_room_from_jid("${roomJid(room)}"):set_affiliation(true, "${bare(bob.jid)}", "admin")`);
    const posts = await api.waitFor(4);
    expect(kindOf(posts[3]!)).toBe("role-changed");
    expect(posts[3]!.body).toMatchObject({ previous_role: "participant", previous_affiliation: "none", occupant: { role: "moderator", affiliation: "admin" } });
    expect(posts[3]!.body.actor).toBeUndefined();
  });
});
