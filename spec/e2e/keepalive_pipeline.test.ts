/**
 * api_pipeline_depth on a real Prosody: while the API accepts a room's events, its backlog goes
 * out HTTP/1.1-pipelined on one kept-alive connection, in order; a room starts with one request
 * on the wire (its `created` goes alone), and a room whose first event waits for its retry
 * sends nothing else.
 * Keep-alive only (`make e2e` skips files matching "keepalive" in its api_keepalive = false run).
 */
import { describe, expect, it } from "@jest/globals";
import { LuaValue } from "./helpers/prosody.js";
import { reply } from "./helpers/receiver.js";
import { allAnswered, timeline, useHarness } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

/**
 * Four people join one room while the API sits on its `created` for 1 s, so their joins queue
 * behind it; the first `joined` is answered after 1 s too. Returns once all 5 are answered.
 */
async function backlog(component: Record<string, LuaValue> = {}) {
  const api = await h.receiver();
  api.queue(reply(200, 1000), reply(200, 1000));
  const prosody = await h.prosody({ component: { api_prefix: api.url, ...component } });
  const room = uniqueRoom("pipeline");
  const users = await Promise.all([1, 2, 3, 4].map(() => h.user(prosody)));
  for (const [i, user] of users.entries()) await user.join(room, `u${i}`);
  const posts = await allAnswered(api, 5, 300, 15000);
  // Each exactly once, in the order the joins happened.
  expect(timeline(posts)).toEqual(["created", ...users.map((u) => `joined:${u.jid}`)]);
  expect(posts.map((p) => p.body.room_sequence)).toEqual([1, 2, 3, 4, 5]);
  expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
  // A room starts with one request on the wire: the first join waited for created's answer.
  expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(900);
  return { api, room, users, posts };
}

describe("keep-alive pipelining (api_pipeline_depth)", () => {
  it("pipelines a room's backlog on one connection, in order, and its next burst too", async () => {
    const { api, room, users, posts } = await backlog();
    const [, firstJoined, ...laterJoined] = posts;
    // Sent right behind the first joined, long before its (1 s late) answer could have come.
    for (const post of laterJoined) expect(post.at).toBeLessThan(firstJoined!.at + 800);
    expect(new Set(posts.map((p) => p.remotePort)).size).toBe(1);

    // The queue ran empty; the API has accepted the room's events, so the next burst is
    // pipelined at once: of two leaves in quick succession, the first answered 1 s late, the
    // second arrives long before that answer.
    api.queue(reply(200, 1000));
    await users[1]!.leave(room, "u1");
    await users[2]!.leave(room, "u2");
    const all = await allAnswered(api, 7, 300, 15000);
    expect(timeline(all.slice(5))).toEqual([`left:${users[1]!.jid}`, `left:${users[2]!.jid}`]);
    expect(all.map((p) => p.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(all[6]!.at).toBeLessThan(all[5]!.at + 800);
    expect(new Set(all.map((p) => p.remotePort)).size).toBe(1);
  });

  it("with api_pipeline_depth = 1 sends a room's events one at a time", async () => {
    const { posts } = await backlog({ api_pipeline_depth: 1 });
    // The second joined waited for the first one's late answer.
    expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(900);
  });

  it("sends nothing more of a room while its first event waits for its retry", async () => {
    const api = await h.receiver();
    // created is answered late (the joins queue behind it), then the first joined gets a 503.
    api.queue(reply(200, 1000), reply(503));
    const prosody = await h.prosody({ component: { api_prefix: api.url, api_pipeline_depth: 2, api_retry_delay: 0.5 } });
    const room = uniqueRoom("pipeline-retry");
    const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => h.user(prosody)));
    for (const [i, user] of [a!, b!, c!, d!].entries()) await user.join(room, `u${i}`);
    const posts = await allAnswered(api, 6, 500, 15000);
    // a and b went out together; b (already on the wire) was accepted, but c and d waited
    // for a's retry: nothing of the room was sent during the retry delay.
    expect(timeline(posts)).toEqual([
      "created",
      `joined:${a!.jid}`,
      `joined:${b!.jid}`,
      `joined:${a!.jid}`,
      `joined:${c!.jid}`,
      `joined:${d!.jid}`,
    ]);
    expect(posts.map((p) => p.status)).toEqual([200, 503, 200, 200, 200, 200]);
    expect(posts[3]!.rawBody).toBe(posts[1]!.rawBody);
    expect(posts[3]!.at - posts[1]!.at).toBeGreaterThanOrEqual(0.5 * 0.8 * 1000 - 20);
    expect(posts.map((p) => p.body.room_sequence)).toEqual([1, 2, 3, 2, 4, 5]);
  });
});
