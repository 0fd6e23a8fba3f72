/**
 * Issue 13, transport items, on a real Prosody against raw TCP servers (spec/e2e/helpers/
 * raw_server.ts): `HTTPS://` in any case never goes out in cleartext, 1xx interim answers are
 * skipped, a 301's body does not break the answer behind it, a 2xx with a body over Prosody's
 * parser limit is delivered once, Host brackets an IPv6 literal, and signatures are fresh when
 * a receiver handling one request at a time reads them. Each test covers both transports
 * itself, so the file runs only in the suite's keep-alive pass.
 */
import { describe, expect, it, jest } from "@jest/globals";
import { answer, RawRequest, RawServer, send, startRawServer, RawHandler } from "./helpers/raw_server.js";
import { sleep, useHarness } from "./helpers/scenario.js";
import { TestClient, uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();
const TRANSPORTS = [true, false] as const;
const transportName = (keepalive: boolean): string => (keepalive ? "keep-alive" : "net.http");
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// Both transports are covered inside each test: `make e2e` leaves this file out of its
// second (net.http) pass.
// Most tests start Prosody once per transport.
jest.setTimeout(90000);

async function rawServer(handler?: RawHandler, host?: string): Promise<RawServer> {
  const server = await startRawServer(handler, host);
  h.defer(() => server.close());
  return server;
}

async function until(what: string, condition: () => boolean, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const eventOf = (request: RawRequest): string => String(request.json?.event_name);

/** No event was received twice (a retry after a lost or misread answer would be). */
function expectNoDuplicates(requests: readonly RawRequest[]): void {
  const ids = requests.map((r) => String(r.json?.event_id));
  expect(new Set(ids).size).toBe(ids.length);
}

describe("transport hardening", () => {
  it("never sends a request in cleartext when api_prefix says https in any case", async () => {
    for (const [keepalive, scheme] of [[true, "HTTPS"], [false, "HTTPS"], [false, "hTtPs"]] as const) {
      const plain = await rawServer(); // a plain TCP listener: it answers nothing
      const prosody = await h.prosody({
        component: { api_prefix: `${scheme}://127.0.0.1:${plain.port}/api`, api_keepalive: keepalive, retry_count: 0, api_timeout: 2 },
        componentLua: `api_headers = { Authorization = "Bearer CLEARTEXT-SECRET" }`,
      });
      const client = await h.user(prosody);
      await client.join(uniqueRoom("tls"), "a");
      await until(`${transportName(keepalive)} gives up`, () => /Gave up delivering muc-occupant-joined/.test(prosody.logText()));
      expect(plain.connections).toBeGreaterThan(0);
      expect(plain.received()).not.toMatch(/POST|CLEARTEXT-SECRET|events\//);
      await prosody.stop();
    }
  });

  it("keeps URL credentials, the query, header values and secrets out of Prosody's log (debug level)", async () => {
    for (const keepalive of TRANSPORTS) {
      let seen = 0;
      const server = await rawServer((_request, socket) => send(socket, answer(seen++ === 0 ? 503 : 200)));
      const prosody = await h.prosody({
        component: {
          api_prefix: `http://wh0ami:pa%2Fss%3F@127.0.0.1:${server.port}/api?token=QUERYSECRET`,
          api_keepalive: keepalive,
          api_retry_delay: 0.2,
          api_signing_secret: SECRET,
        },
        componentLua: `api_headers = { ["X-Api-Key"] = "HEADERSECRET" }`,
      });
      const client = await h.user(prosody);
      await client.join(uniqueRoom("secrets"), "a");
      await until("3 requests", () => server.requests.length >= 3);
      const first = server.requests[0]!;
      expect(first.path).toBe("/api/events/room/created?token=QUERYSECRET");
      expect(first.headers.authorization).toBe(`Basic ${Buffer.from("wh0ami:pa/ss?").toString("base64")}`);
      expect(first.headers["x-api-key"]).toBe("HEADERSECRET");
      const log = prosody.logText() + prosody.consoleText();
      expect(log).toMatch(/posting to http:\/\/127\.0\.0\.1:\d+\/api \(signed\)/);
      for (const secret of ["QUERYSECRET", "HEADERSECRET", "pa%2F", "pa/ss", "wh0ami", "MfKQ9r8", first.headers["webhook-signature"]!]) {
        expect(log).not.toContain(secret);
      }
      await prosody.stop();
    }
  });

  it("skips 1xx interim answers and matches each final answer to its own request", async () => {
    for (const keepalive of TRANSPORTS) {
      let joinedSeen = 0;
      const server = await rawServer(async (request, socket) => {
        const event = eventOf(request);
        if (event === "muc-room-created") {
          await send(socket, "HTTP/1.1 102 Processing\r\n\r\n");
          await sleep(50);
          await send(socket, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
          await sleep(50);
          await send(socket, answer(200));
        } else if (event === "muc-occupant-joined" && joinedSeen++ === 0) {
          await send(socket, `HTTP/1.1 100 Continue\r\n\r\n${answer(503)}`);
        } else await send(socket, answer(200));
      });
      const prosody = await h.prosody({
        component: { api_prefix: `http://127.0.0.1:${server.port}/api`, api_keepalive: keepalive, api_retry_delay: 0.2 },
      });
      const client = await h.user(prosody);
      const room = uniqueRoom("interim");
      await client.join(room, "a");
      await client.leave(room, "a");
      await until("5 requests", () => server.requests.length >= 5);
      await sleep(300);
      // Pipelined behind the 503 (keep-alive), left and destroyed may come before its retry.
      expect(server.requests.map(eventOf).sort()).toEqual([
        "muc-occupant-joined",
        "muc-occupant-joined", // the 503's retry
        "muc-occupant-left",
        "muc-room-created",
        "muc-room-destroyed",
      ]);
      expect(server.requests[0]!.json.event_name).toBe("muc-room-created");
      const log = prosody.logText();
      expect(log).not.toMatch(/Gave up/);
      expect(log.match(/Retrying muc-occupant-joined .*HTTP 503/g)).toHaveLength(1);
      await prosody.stop();
    }
  });

  it("reads a 301's body by its length, so the answer pipelined behind it is not lost (keep-alive)", async () => {
    let first = true;
    const server = await rawServer(async (_request, socket) => {
      if (first) {
        first = false;
        await sleep(400); // the other room's request is pipelined behind this one meanwhile
        await send(socket, answer(301, "<html>Moved Permanently</html>", { Location: "http://elsewhere.example/" }));
      } else await send(socket, answer(200));
    });
    const prosody = await h.prosody({
      component: { api_prefix: `http://127.0.0.1:${server.port}/api`, api_keepalive: true, api_max_connections: 1 },
    });
    const clients: TestClient[] = await Promise.all([h.user(prosody), h.user(prosody)]);
    await Promise.all(clients.map((c, i) => c.join(uniqueRoom(`moved${i}`), "a")));
    await until("4 requests", () => server.requests.length >= 4);
    await sleep(500);
    expect(server.connections).toBe(1);
    expectNoDuplicates(server.requests);
    expect(server.requests).toHaveLength(4);
    const log = prosody.logText();
    expect(log).not.toMatch(/bad response/);
    expect(log.match(/Gave up delivering muc-room-created .*HTTP 301/g)).toHaveLength(1);
  });

  it("delivers a 2xx whose body is over Prosody's parser limit exactly once", async () => {
    const huge = Buffer.alloc(11 * 1024 * 1024, "x");
    for (const keepalive of TRANSPORTS) {
      const server = await rawServer(async (_request, socket) => {
        await send(socket, `HTTP/1.1 200 OK\r\nContent-Length: ${huge.length}\r\n\r\n`);
        await send(socket, huge);
      });
      // One request at a time: the module closes a connection after reading 1 MiB of an answer,
      // and requests pipelined behind it would rightly be sent again (the API may have taken them).
      const prosody = await h.prosody({
        component: { api_prefix: `http://127.0.0.1:${server.port}/api`, api_keepalive: keepalive, api_retry_delay: 0.2, api_pipeline_depth: 1 },
      });
      const client = await h.user(prosody);
      const room = uniqueRoom("huge");
      await client.join(room, "a");
      await client.leave(room, "a");
      await until("4 requests", () => server.requests.length >= 4);
      await sleep(1000);
      expect(server.requests.map(eventOf)).toEqual(["muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed"]);
      expectNoDuplicates(server.requests);
      expect(prosody.logText()).not.toMatch(/Retrying|Gave up/);
      await prosody.stop();
    }
  });

  it("puts an IPv6 literal in brackets in Host, on both transports", async () => {
    for (const keepalive of TRANSPORTS) {
      const server = await rawServer((_request, socket) => send(socket, answer(204)), "::1");
      const prosody = await h.prosody({ component: { api_prefix: `http://[::1]:${server.port}/api`, api_keepalive: keepalive } });
      const client = await h.user(prosody);
      await client.join(uniqueRoom("v6"), "a");
      await until("2 requests", () => server.requests.length >= 2);
      expect(server.requests.map((r) => r.headers.host)).toEqual([`[::1]:${server.port}`, `[::1]:${server.port}`]);
      await prosody.stop();
    }
  });

  it("keeps signatures fresh behind a receiver that handles one request at a time", async () => {
    const ages: number[] = [];
    const server = await rawServer(async (request, socket) => {
      ages.push(request.readAt / 1000 - Number(request.headers["webhook-timestamp"]));
      await sleep(150);
      await send(socket, answer(200));
    });
    const prosody = await h.prosody({
      component: {
        api_prefix: `http://127.0.0.1:${server.port}/api`,
        api_keepalive: true,
        api_max_connections: 1,
        api_pipeline_depth: 2,
        api_signing_secret: SECRET,
      },
      logLevel: "info",
    });
    const rooms = 20;
    const clients = await Promise.all(Array.from({ length: rooms }, () => h.user(prosody, { timeoutMs: 15000 })));
    await Promise.all(clients.map((c, i) => c.join(uniqueRoom(`fresh${i}`), "a", 15000)));
    await until(`${2 * rooms} requests`, () => server.requests.length >= 2 * rooms, 30000);
    expectNoDuplicates(server.requests);
    // webhook-timestamp is whole seconds (floored): an age under 1.5 s means under 0.5 s of
    // waiting, where 40 requests x 150 ms all pipelined at once would wait up to 6 s.
    expect(Math.max(...ages)).toBeLessThan(1.5);
  });
});
