/**
 * JWT user contexts as Prosody really decodes them (util.json, via the test-only
 * mod_test_jwt_identity): numbers written exactly, lists kept lists, infinities left out so
 * the body stays JSON, and a huge context bounded. Tokens are signed from raw JSON text so
 * that they can carry `42.0` and `1e999`, which JSON.stringify cannot write.
 */
import { describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { JWT_SECRET, personKeysOf, postsOfRoom, useHarness, withJwtIdentity } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

/** An HS256 token whose claims are exactly `userJson` as `context.user`. */
function rawToken(userJson: string): string {
  return jwt.sign(`{"context":{"user":${userJson}},"aud":"jitsi","iss":"e2e","room":"*"}`, JWT_SECRET, { algorithm: "HS256" });
}

describe("JWT user context values", () => {
  it("writes numeric ids exactly and keeps [] a list, with include_user_info", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url, include_user_info: true } }));
    const room = uniqueRoom("ctx");
    const a = await h.user(p, {
      token: rawToken('{"id":42.0,"name":"A","roles":[],"groups":{"tags":[]},"score":7.0,"huge":1e999,"big":123456789012345}'),
    });
    const b = await h.user(p, { token: rawToken('{"id":123456789012345,"name":"B"}') });
    await a.join(room, "a");
    await b.join(room, "b");
    const posts = postsOfRoom(await api.waitFor(3), room);
    const joinedA = posts[1]!;
    const joinedB = posts[2]!;
    expect(joinedA.body).toBeDefined(); // valid JSON (no `inf`)
    expect(joinedA.body.occupant.id).toBe("42");
    expect(joinedA.rawBody).toContain('"roles":[]');
    expect(joinedA.rawBody).toContain('"tags":[]');
    expect(joinedA.rawBody).toMatch(/"score":7[,}]/);
    expect(joinedA.rawBody).toMatch(/"big":123456789012345[,}]/);
    expect(joinedA.body.occupant.huge).toBeUndefined();
    expect(joinedB.body.occupant.id).toBe("123456789012345");
  });

  it("bounds a huge context and a huge name", async () => {
    const api = await h.receiver();
    const p = await h.prosody(withJwtIdentity({ component: { api_prefix: api.url, include_user_info: true } }));
    const room = uniqueRoom("ctxbig");
    // Small enough for a websocket URL (the token travels in its query), big enough to be cut.
    const user: Record<string, unknown> = { name: "N".repeat(1000), email: "e@example.com", id: "u-1" };
    for (let i = 0; i < 80; i++) user[`k${i}`] = "v".repeat(10);
    // Nesting in a context of its own: which 64 of the 80 keys above are copied depends on
    // Lua's table order, so `deep` might not be among them.
    let deep: Record<string, unknown> = {};
    const nested: Record<string, unknown> = { name: "Deep", deep };
    for (let i = 0; i < 10; i++) {
      const next = {};
      deep.down = next;
      deep = next;
    }
    const a = await h.user(p, { token: rawToken(JSON.stringify(user)) });
    await a.join(room, "a");
    const joined = postsOfRoom(await api.waitFor(2), room)[1]!;
    const occupant = joined.body.occupant;
    expect(occupant.name).toBe("N".repeat(512));
    expect(occupant.email).toBe("e@example.com");
    // 64 context entries, plus the seed's name/email/id when the copy (in Lua's table order)
    // did not take them, plus occupant_jid and joined_at.
    expect(personKeysOf(occupant).length).toBeLessThanOrEqual(64 + 3 + 2);
    expect(joined.rawBody.length).toBeLessThan(4 * 1024);

    const b = await h.user(p, { token: rawToken(JSON.stringify(nested)) });
    await b.join(room, "b");
    const joinedB = postsOfRoom(await api.waitFor(3), room)[2]!;
    let depth = 1; // the occupant is level 1 of the context
    for (let level = joinedB.body.occupant.deep; level !== undefined; level = level.down) depth += 1;
    expect(depth).toBe(4);
  });
});
