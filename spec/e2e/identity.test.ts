/**
 * Identity the Jitsi way: clients connect with `?token=<JWT>` on the websocket URL; the
 * test-only mod_test_jwt_identity (spec/prosody_modules) verifies it and sets
 * `session.jitsi_meet_context_user` as Jitsi's token auth does. The component must copy
 * exactly name/email/id into the occupant of joined, left and destroyed's all_occupants.
 */
import { describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { ReceivedPost } from "./helpers/receiver.js";
import { JWT_SECRET, personKeysOf, postsOfRoom, signToken, timeline, useHarness, withJwtIdentity } from "./helpers/scenario.js";
import { roomJid, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const ALICE = { id: "7b0d1c2e-alice", name: "Alice Liddell", email: "alice@example.com" };
const BOB = { id: "8c1e2d3f-bob", name: "Bob Ross", email: "bob@example.com" };
const IDENTITY_KEYS = ["email", "id", "name"];

function expectOccupant(occupant: any, jid: string, identity: typeof ALICE | undefined, kind: "joined" | "left"): void {
  expect(occupant.occupant_jid).toBe(jid);
  const base = kind === "joined" ? ["joined_at", "occupant_jid"] : ["joined_at", "left_at", "occupant_jid"];
  if (identity === undefined) {
    expect(personKeysOf(occupant)).toEqual(base);
  } else {
    expect(personKeysOf(occupant)).toEqual([...base, ...IDENTITY_KEYS].sort());
    expect({ id: occupant.id, name: occupant.name, email: occupant.email }).toEqual(identity);
  }
}

describe("identity from Jitsi JWTs", () => {
  it("reports name/email/id for JWT users, none for a guest, and refuses forged or garbage tokens", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url } }));

    // Bad tokens are refused at SASL: start() rejects, nothing is posted.
    const forged = signToken(ALICE, `${JWT_SECRET}-wrong`);
    await expect(h.user(p, { token: forged })).rejects.toThrow(/not-authorized/);
    await expect(h.user(p, { token: "garbage.not-a.jwt!" })).rejects.toThrow(/not-authorized/);
    await expect(h.user(p, { token: "garbage" })).rejects.toThrow(/not-authorized/);
    const expired = jwt.sign({ context: { user: ALICE }, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, { algorithm: "HS256" });
    await expect(h.user(p, { token: expired })).rejects.toThrow(/not-authorized/);

    const room = uniqueRoom("jwt");
    // An extra claim (avatar) must not leak into the payload.
    const a = await h.user(p, { token: signToken({ ...ALICE, avatar: "https://example.com/a.png", moderator: true }) });
    const b = await h.user(p, { token: signToken(BOB) });
    const g = await h.user(p);
    await a.join(room, "alice");
    await b.join(room, "bob");
    await g.join(room, "guest");
    await b.leave(room, "bob");
    await g.leave(room, "guest");
    await a.leave(room, "alice");
    const posts = await api.waitFor(8);
    expect(await api.quietFor(500)).toEqual([]);

    expect(timeline(api.posts)).toEqual([
      "created",
      `joined:${a.jid}`,
      `joined:${b.jid}`,
      `joined:${g.jid}`,
      `left:${b.jid}`,
      `left:${g.jid}`,
      `left:${a.jid}`,
      "destroyed",
    ]);
    const [, jA, jB, jG, lB, lG, lA, destroyed] = posts as ReceivedPost[];
    expectOccupant(jA!.body.occupant, a.jid, ALICE, "joined");
    expectOccupant(jB!.body.occupant, b.jid, BOB, "joined");
    expectOccupant(jG!.body.occupant, g.jid, undefined, "joined");
    expectOccupant(lB!.body.occupant, b.jid, BOB, "left");
    expectOccupant(lG!.body.occupant, g.jid, undefined, "left");
    expectOccupant(lA!.body.occupant, a.jid, ALICE, "left");

    const all = destroyed!.body.all_occupants as any[];
    expect(all.map((o) => o.occupant_jid)).toEqual([a.jid, b.jid, g.jid]); // join order
    expectOccupant(all[0], a.jid, ALICE, "left");
    expectOccupant(all[1], b.jid, BOB, "left");
    expectOccupant(all[2], g.jid, undefined, "left");
    expect(posts.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

    // The refusals were the module's doing (and logged), not a connection failure.
    expect(p.logText().match(/Refusing authentication: bad token/g)).toHaveLength(4);
  });

  it("reports one person on two devices as two occupants with the same id and different occupant_jid", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url } }));
    const room = uniqueRoom("devices");
    const token = signToken(ALICE);
    const laptop = await h.user(p, { token });
    const phone = await h.user(p, { token });
    expect(laptop.jid).not.toBe(phone.jid);

    await laptop.join(room, "alice-laptop");
    await phone.join(room, "alice-phone");
    await phone.leave(room, "alice-phone");
    await laptop.leave(room, "alice-laptop");
    const posts = await api.waitFor(6);
    expect(await api.quietFor(500)).toEqual([]);

    expect(timeline(posts)).toEqual(["created", `joined:${laptop.jid}`, `joined:${phone.jid}`, `left:${phone.jid}`, `left:${laptop.jid}`, "destroyed"]);
    expectOccupant(posts[1]!.body.occupant, laptop.jid, ALICE, "joined");
    expectOccupant(posts[2]!.body.occupant, phone.jid, ALICE, "joined");
    expectOccupant(posts[3]!.body.occupant, phone.jid, ALICE, "left");
    expectOccupant(posts[4]!.body.occupant, laptop.jid, ALICE, "left");
    const all = posts[5]!.body.all_occupants as any[];
    expect(all).toHaveLength(2);
    expect(all.map((o) => o.id)).toEqual([ALICE.id, ALICE.id]);
    expect(all.map((o) => o.occupant_jid)).toEqual([laptop.jid, phone.jid]);
  });

  it("keeps the JWT identity in left and all_occupants when the owner destroys an occupied room", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url } }));
    const room = uniqueRoom("jwtdestroy");
    const owner = await h.user(p, { token: signToken(ALICE) });
    const guest = await h.user(p);
    await owner.join(room, "alice"); // first joiner: owner (muc_room_locking = false)
    await guest.join(room, "guest");
    await api.waitFor(3);

    const guestNotice = guest.waitForStanza(
      (s) => s.is("presence") && s.attrs.type === "unavailable" && s.attrs.from === `${roomJid(room)}/guest`,
      5000,
      "guest's unavailable presence after destroy",
    );
    const result = await owner.destroy(room, "meeting over");
    expect(result.attrs.type).toBe("result");
    await guestNotice;
    const posts = await api.waitFor(6);
    expect(await api.quietFor(500)).toEqual([]);

    const kinds = timeline(posts);
    expect(kinds.slice(0, 3)).toEqual(["created", `joined:${owner.jid}`, `joined:${guest.jid}`]);
    expect(kinds.slice(3, 5).sort()).toEqual([`left:${owner.jid}`, `left:${guest.jid}`].sort());
    expect(kinds[5]).toBe("destroyed");
    const destroyed = posts[5]!.body;
    for (const left of posts.slice(3, 5)) {
      const occupant = left.body.occupant;
      expectOccupant(occupant, occupant.occupant_jid, occupant.occupant_jid === owner.jid ? ALICE : undefined, "left");
      expect(occupant.left_at).toBe(destroyed.destroyed_at);
    }
    const all = destroyed.all_occupants as any[];
    expect(all.map((o) => o.occupant_jid)).toEqual([owner.jid, guest.jid]);
    expectOccupant(all[0], owner.jid, ALICE, "left");
    expectOccupant(all[1], guest.jid, undefined, "left");
    for (const o of all) expect(o.left_at).toBe(destroyed.destroyed_at);
    expect(postsOfRoom(posts, room)).toHaveLength(6);
  });
});
