/**
 * Self-tests of the e2e helpers that need no Prosody: the receiver's programmable behaviour
 * and the Lua config rendering. Fast; they keep the harness itself honest.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { request } from "node:http";
import { COMPONENT_HOST, lua, MUC_HOST, renderConfig, renderOptions, toLua } from "./helpers/prosody.js";
import { hang, Receiver, reply, startReceiver } from "./helpers/receiver.js";

interface Answer {
  status?: number;
  error?: string;
  ms: number;
}

function post(url: string, body: unknown, timeoutMs = 2000): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", headers: { "Content-Type": "application/json", "X-Test": "yes" }, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, ms: Date.now() - started }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("client timeout")));
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message, ms: Date.now() - started }));
    req.end(JSON.stringify(body));
  });
}

let api: Receiver | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("receiver helper", () => {
  it("records posts with path, headers and parsed JSON, answering 200 by default", async () => {
    api = await startReceiver("/api");
    expect((await post(`${api.url}/events/room/created`, { a: 1 })).status).toBe(200);
    const [first] = await api.waitFor(1, 1000);
    expect(first).toEqual(
      expect.objectContaining({ index: 0, method: "POST", path: "/api/events/room/created", body: { a: 1 }, status: 200 }),
    );
    expect(first!.headers["x-test"]).toBe("yes");
  });

  it("answers queued statuses and delays in order, then the rule, then the default", async () => {
    api = await startReceiver();
    api.queue(reply(500), reply(201, 300));
    api.setRule((p) => (p.body?.n === 3 ? reply(404) : undefined));
    expect((await post(api.url, { n: 1 })).status).toBe(500);
    const delayed = await post(api.url, { n: 2 });
    expect(delayed.status).toBe(201);
    expect(delayed.ms).toBeGreaterThanOrEqual(250);
    expect((await post(api.url, { n: 3 })).status).toBe(404);
    expect((await post(api.url, { n: 4 })).status).toBe(200);
    expect(api.posts.map((p) => p.status)).toEqual([500, 201, 404, 200]);
  });

  it("can hang a request forever (the client gives up) and still records it", async () => {
    api = await startReceiver();
    api.queue(hang());
    const answer = await post(api.url, { n: 1 }, 300);
    expect(answer.status).toBeUndefined();
    expect(answer.error).toBeDefined();
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0]!.status).toBeUndefined();
  });

  it("goes down (connections refused) and comes back on the same port", async () => {
    api = await startReceiver();
    const port = api.port;
    await api.down();
    expect((await post(api.url, {})).error).toBe("ECONNREFUSED");
    await api.up();
    expect(api.port).toBe(port);
    expect((await post(api.url, {})).status).toBe(200);
    expect(api.posts).toHaveLength(1);
  });

  it("waitFor rejects with what did arrive, and quietFor returns what arrived meanwhile", async () => {
    api = await startReceiver();
    await post(api.url, { only: true });
    await expect(api.waitFor(2, 200)).rejects.toThrow(/got 1:[\s\S]*"only":true/);
    expect(await api.quietFor(100)).toEqual([]);
    await expect(api.waitFor((posts) => posts.some((p) => p.body?.only === true), 200)).resolves.toHaveLength(1);
  });
});

describe("prosody config rendering", () => {
  it("renders Lua 5.1 literals safely", () => {
    expect(toLua('a"b\\c\nd')).toBe('"a\\"b\\\\c\\010d"');
    expect(toLua("é")).toBe('"\\195\\169"');
    expect(toLua([1, true, "x"])).toBe('{ 1, true, "x" }');
    expect(toLua({ Authorization: "Bearer x" })).toBe('{ ["Authorization"] = "Bearer x" }');
    expect(toLua(lua("function(code) return code >= 500 end"))).toBe("function(code) return code >= 500 end");
    expect(renderOptions({ api_prefix: "http://x", api_timeout: 1, left_out: undefined })).toBe(
      '    api_prefix = "http://x"\n    api_timeout = 1',
    );
    expect(() => renderOptions({ "bad name": 1 })).toThrow();
  });

  it("puts the MUC component before or after ours as asked, on loopback only", () => {
    const paths = { dir: "/tmp/x", logPath: "/tmp/x/log", pluginDirs: ["/p"] };
    const ports = { http: 1, c2s: 2 };
    const oursFirst = renderConfig({ component: { api_prefix: "http://a" } }, paths, ports);
    const mucFirst = renderConfig({ order: "muc-first", component: { api_prefix: "http://a" } }, paths, ports);
    const at = (text: string, host: string): number => text.indexOf(`Component "${host}"`);
    expect(at(oursFirst, COMPONENT_HOST)).toBeLessThan(at(oursFirst, MUC_HOST));
    expect(at(mucFirst, MUC_HOST)).toBeLessThan(at(mucFirst, COMPONENT_HOST));
    expect(oursFirst).toContain(`muc_component = "${MUC_HOST}"`);
    expect(oursFirst).toContain('interfaces = { "127.0.0.1" }');
    expect(renderConfig({ component: { muc_component: undefined } }, paths, ports)).not.toContain("muc_component");
  });
});
