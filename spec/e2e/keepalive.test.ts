/**
 * The keep-alive transport on a real Prosody: connections to the API are reused, bounded by
 * api_max_connections, replaced when the receiver closes them, opened when a client logs in,
 * and `api_keepalive = false` falls back to one connection per request (Prosody's net.http).
 */
import { describe, expect, it } from "@jest/globals";
import { LuaValue } from "./helpers/prosody.js";
import { useHarness } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

/** Three people join and leave one room after another: 1 + 3 + 3 + 1 = 8 webhooks. */
async function meeting(component: Record<string, LuaValue>) {
  const api = await h.receiver();
  const prosody = await h.prosody({ component: { api_prefix: api.url, ...component } });
  const room = uniqueRoom("keepalive");
  const people = [];
  for (const nick of ["a", "b", "c"]) {
    const client = await h.user(prosody);
    await client.join(room, nick);
    people.push({ client, nick });
  }
  for (const { client, nick } of people) await client.leave(room, nick);
  await api.waitFor(8);
  expect(await api.quietFor(300)).toHaveLength(0);
  return { api };
}

describe("keep-alive transport", () => {
  it("sends a room's events over one reused connection", async () => {
    const { api } = await meeting({});
    const ports = new Set(api.posts.map((p) => p.remotePort));
    // One room's events go one at a time, so one connection carries them all.
    expect(ports.size).toBe(1);
    expect(api.posts.map((p) => p.body.room_sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("with api_keepalive = false opens one connection per request (net.http)", async () => {
    const { api } = await meeting({ api_keepalive: false });
    expect(new Set(api.posts.map((p) => p.remotePort)).size).toBe(8);
  });

  it("opens a new connection when the receiver closed the idle one, losing nothing", async () => {
    const api = await h.receiver();
    const prosody = await h.prosody({ component: { api_prefix: api.url } });
    const client = await h.user(prosody);
    const room = uniqueRoom("reconnect");
    await client.join(room, "a");
    await api.waitFor(2);
    // The receiver restarts: every open connection is cut, as a server restart would.
    await api.down();
    await api.up();
    await client.leave(room, "a");
    await api.waitFor(4);
    expect(api.posts.map((p) => p.body.event_name)).toEqual([
      "muc-room-created",
      "muc-occupant-joined",
      "muc-occupant-left",
      "muc-room-destroyed",
    ]);
    expect(new Set(api.posts.map((p) => p.remotePort)).size).toBe(2);
    expect(prosody.logText()).not.toMatch(/Gave up/);
  });

  it("uses at most api_max_connections connections for many rooms at once", async () => {
    const api = await h.receiver();
    // Slow answers keep connections busy, so parallel rooms need parallel connections.
    api.setDefault({ kind: "status", status: 200, delayMs: 150 });
    const prosody = await h.prosody({ component: { api_prefix: api.url, api_max_connections: 2 } });
    const rooms = [uniqueRoom("par"), uniqueRoom("par"), uniqueRoom("par"), uniqueRoom("par")];
    const clients = await Promise.all(rooms.map(() => h.user(prosody)));
    await Promise.all(clients.map((c, i) => c.join(rooms[i]!, "x")));
    await api.waitFor(8, 15000);
    expect(new Set(api.posts.map((p) => p.remotePort)).size).toBe(2);
  });
  it("opens the connections when a client logs in, so a join's webhooks wait for no connect", async () => {
    const api = await h.receiver();
    const prosody = await h.prosody({ component: { api_prefix: api.url, api_max_connections: 2 } });
    const client = await h.user(prosody); // logged in: resource-bind
    const deadline = Date.now() + 5000;
    while (api.connections < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(api.connections).toBe(2);
    expect(api.posts).toHaveLength(0);
    const room = uniqueRoom("warm");
    await client.join(room, "a");
    await api.waitFor(2);
    // Both went over a connection opened at the login: none was opened for them.
    expect(api.connections).toBe(2);
    expect(api.posts.map((p) => p.body.event_name)).toEqual(["muc-room-created", "muc-occupant-joined"]);
  });
});
