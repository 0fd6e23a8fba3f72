/**
 * A participant cannot grow a room's all_occupants: one client changing nick hundreds of times
 * (each change is a left and a joined) and rejoining stays one entry with a sessions count,
 * and the destroyed body stays small.
 */
import { describe, expect, it } from "@jest/globals";
import { postsOfRoom, signToken, timeline, useHarness, withJwtIdentity } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();
const NICK_CHANGES = 300;

describe("all_occupants under a nick-change storm", () => {
  it("stays one entry per person, with their sessions counted", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url, include_user_info: true } }));
    const room = uniqueRoom("storm");
    const context: Record<string, string> = { id: "u-storm", name: "Storm" };
    for (let i = 0; i < 40; i++) context[`k${i}`] = `value-${i}`;
    const mallory = await h.user(p, { token: signToken(context) });
    const bob = await h.user(p);
    await bob.join(room, "bob");
    await mallory.join(room, "m0");
    for (let i = 1; i <= NICK_CHANGES; i++) await mallory.changeNick(room, `m${i}`);
    await mallory.leave(room, `m${NICK_CHANGES}`);
    await mallory.join(room, "back"); // a rejoin of the same session
    await mallory.leave(room, "back");
    await bob.leave(room, "bob");
    const total = 1 + 2 + 2 * NICK_CHANGES + 1 + 2 + 1 + 1;
    const posts = postsOfRoom(await api.waitFor(total, 30000), room);
    expect(await api.quietFor(500)).toEqual([]);
    expect(timeline(posts).slice(-1)).toEqual(["destroyed"]);
    const destroyed = posts[posts.length - 1]!;
    const all = destroyed.body.all_occupants as any[];
    expect(all.map((o) => o.occupant_jid)).toEqual([bob.jid, mallory.jid]);
    expect(all[0].sessions).toBeUndefined();
    expect(all[1].sessions).toBe(NICK_CHANGES + 2);
    expect(all[1].name).toBe("Storm");
    expect(all[1].joined_at).toBe(posts[2]!.body.occupant.joined_at);
    expect(all[1].left_at).toBe(posts[posts.length - 3]!.body.occupant.left_at);
    expect(destroyed.body.all_occupants_omitted).toBeUndefined();
    expect(destroyed.rawBody.length).toBeLessThan(2048);
  }, 60000);
});
