/**
 * A policy module destroying a room from its own `muc-room-created` handler (the test-only
 * spec/prosody_modules/mod_test_refuse_room.lua, which refuses the first life of each
 * `refused-…` room): the receiver gets that short life once (created, joined, left,
 * destroyed) and no phantom `created` after it, and the name's next life is a new room.
 */
import { describe, expect, it } from "@jest/globals";
import { testModulesDir } from "./helpers/prosody.js";
import { timeline, useHarness } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

describe("a room refused at creation by another module", () => {
  it("is reported once, without a phantom created, and its name's next life gets its own created", async () => {
    const api = await h.receiver();
    const p = await h.prosody({
      component: { api_prefix: api.url },
      extraPluginDirs: [testModulesDir()],
      mucOptions: { modules_enabled: ["test_refuse_room"] },
    });
    const room = uniqueRoom("refused");
    const alice = await h.user(p);
    const bob = await h.user(p);

    // Alice's join creates the room; the policy module destroys it inside muc-room-created.
    const destroyed = alice.waitForStanza(
      (s) => s.name === "presence" && s.attrs.type === "unavailable" && s.getChild("x")?.getChild("destroy") !== undefined,
      5000,
      "the destroy presence",
    );
    await alice.join(room, "alice");
    await destroyed;
    expect(p.logText()).toMatch(/Refusing room refused-/);
    const first = await api.waitFor(4);
    expect(await api.quietFor(800)).toEqual([]);
    expect(timeline(first)).toEqual(["created", `joined:${alice.jid}`, `left:${alice.jid}`, "destroyed"]);

    // The name's next life (the policy lets it through now) is a new room with its own created.
    await bob.join(room, "bob");
    await bob.leave(room, "bob");
    const all = await api.waitFor(8);
    expect(await api.quietFor(500)).toEqual([]);
    const second = all.slice(4);
    expect(timeline(second)).toEqual(["created", `joined:${bob.jid}`, `left:${bob.jid}`, "destroyed"]);
    expect(second.map((post) => post.body.room_sequence)).toEqual([1, 2, 3, 4]);
    expect(second[0]!.body.created_at).toBeGreaterThanOrEqual(first[3]!.body.destroyed_at);
  });
});
