/**
 * A real HTTP server on 127.0.0.1 that records every POST and answers as the test programs it:
 * 200 by default, another status, after a delay, never (hang), or not at all (down).
 */
import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { Socket } from "node:net";

export interface ReceivedPost {
  /** 0-based arrival index over the receiver's lifetime. */
  readonly index: number;
  readonly method: string;
  /** Path including any query string, e.g. `/api/events/room/created`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body bytes exactly as received (rawBody is their UTF-8 decoding). */
  readonly rawBytes: Buffer;
  /** The sender's TCP port: posts sharing it came over one (kept-alive) connection. */
  readonly remotePort: number;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  readonly body: any;
  /** Date.now() when the whole body had arrived. */
  readonly at: number;
  /** Status the receiver answered with (undefined for hang, or if the client went away). */
  status?: number;
}

/** What to do with one request. */
export type Behaviour =
  | {
      readonly kind: "status";
      readonly status: number;
      readonly delayMs?: number;
      readonly body?: string;
      /** Extra response headers, e.g. `{ "Retry-After": "2" }`. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly kind: "hang" };

export const reply = (status = 200, delayMs = 0): Behaviour => ({ kind: "status", status, delayMs });
/** Answers `status` with extra response headers, e.g. `replyWithHeaders(429, { "Retry-After": "2" })`. */
export const replyWithHeaders = (status: number, headers: Readonly<Record<string, string>>, delayMs = 0): Behaviour => ({
  kind: "status",
  status,
  delayMs,
  headers,
});
export const hang = (): Behaviour => ({ kind: "hang" });

/** Picks a behaviour for a request: gets the recorded post (status still unset). */
export type BehaviourRule = (post: ReceivedPost) => Behaviour | undefined;

export interface Receiver {
  /** TCP connections accepted so far. */
  readonly connections: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>` + base path (no trailing slash). */
  readonly url: string;
  /** All posts recorded so far, in arrival order. */
  readonly posts: ReceivedPost[];
  /** Queues behaviours for the next requests, one each, in order; later ones get the default. */
  queue(...behaviours: Behaviour[]): void;
  /** A rule consulted (after the queue is empty) for each request; undefined → default. */
  setRule(rule: BehaviourRule | undefined): void;
  /** The answer when neither queue nor rule decide (200 at first). */
  setDefault(behaviour: Behaviour): void;
  /**
   * Resolves with the posts once `count` posts arrived, or the predicate holds on the list of
   * all posts; rejects after timeoutMs with what did arrive.
   */
  waitFor(what: number | ((posts: ReceivedPost[]) => boolean), timeoutMs?: number): Promise<ReceivedPost[]>;
  /** Waits `ms` and returns the posts that arrived meanwhile (used to prove silence). */
  quietFor(ms: number): Promise<ReceivedPost[]>;
  /** Closes the listener and every open connection: connections are refused until up(). */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once("error", onError);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", onError);
      const address = server.address();
      if (address === null || typeof address === "string") reject(new Error("no address"));
      else resolve(address.port);
    });
  });
}

export async function startReceiver(basePath = "/api"): Promise<Receiver> {
  const posts: ReceivedPost[] = [];
  const queued: Behaviour[] = [];
  let rule: BehaviourRule | undefined;
  let fallback: Behaviour = reply(200);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => undefined);
    req.on("end", () => {
      const rawBytes = Buffer.concat(chunks);
      const rawBody = rawBytes.toString("utf8");
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const post: ReceivedPost = {
        index: posts.length,
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        rawBytes,
        remotePort: req.socket.remotePort ?? 0,
        body,
        at: Date.now(),
      };
      const behaviour = queued.shift() ?? rule?.(post) ?? fallback;
      posts.push(post);
      notify();
      if (behaviour.kind === "hang") return;
      const answer = (): void => {
        if (res.destroyed || res.writableEnded || req.socket.destroyed) return;
        post.status = behaviour.status;
        res.writeHead(behaviour.status, { "Content-Type": "application/json", ...(behaviour.headers ?? {}) });
        res.end(behaviour.body ?? "{}");
      };
      if (behaviour.delayMs !== undefined && behaviour.delayMs > 0) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, behaviour.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  };

  let server = createServer(handle);
  let connections = 0;
  const track = (s: Server): void => {
    s.on("connection", (socket: Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    });
  };
  track(server);
  const port = await listen(server, 0);
  let isUp = true;

  const closeServer = async (): Promise<void> => {
    if (!isUp) return;
    isUp = false;
    const closed = new Promise<void>((r) => server.close(() => r()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  const receiver: Receiver = {
    get connections() {
      return connections;
    },
    port,
    url: `http://127.0.0.1:${port}${basePath}`,
    posts,
    queue: (...behaviours) => void queued.push(...behaviours),
    setRule: (r) => void (rule = r),
    setDefault: (b) => void (fallback = b),
    waitFor(what, timeoutMs = 10000) {
      const done = (): boolean => (typeof what === "number" ? posts.length >= what : what(posts));
      return new Promise((resolve, reject) => {
        if (done()) {
          resolve([...posts]);
          return;
        }
        const listener = (): void => {
          if (!done()) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve([...posts]);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          const summary = posts.map((p) => `  #${p.index} ${p.path} ${p.rawBody}`).join("\n");
          reject(
            new Error(
              `receiver: timed out after ${timeoutMs}ms waiting for ${typeof what === "number" ? `${what} posts` : "predicate"}; got ${posts.length}:\n${summary}`,
            ),
          );
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    async quietFor(ms) {
      const before = posts.length;
      await new Promise((r) => setTimeout(r, ms));
      return posts.slice(before);
    },
    down: closeServer,
    async up() {
      if (isUp) return;
      server = createServer(handle);
      track(server);
      await listen(server, port);
      isUp = true;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
      await closeServer();
    },
  };
  return receiver;
}

/** The event path under the receiver's base path, e.g. `created` → `/api/events/room/created`. */
export const EVENT_PATH = {
  created: "/events/room/created",
  destroyed: "/events/room/destroyed",
  joined: "/events/occupant/joined",
  left: "/events/occupant/left",
  "role-changed": "/events/occupant/role-changed",
  "lobby-joined": "/events/lobby/joined",
  "lobby-left": "/events/lobby/left",
  "recording-started": "/events/recording/started",
  "recording-stopped": "/events/recording/stopped",
  "live-stream-started": "/events/live-stream/started",
  "live-stream-stopped": "/events/live-stream/stopped",
} as const;
