/**
 * An HTTP/1.1 transport that keeps connections to the API open and reuses them, built on
 * Prosody's own `net.connect` and `net.http.parser`. Prosody 0.12's `net.http` opens a new TCP
 * (and TLS) connection for every request, which is most of what a webhook costs Prosody.
 *
 * Per origin (scheme, host, port): at most `maxConnections` connections. A request goes to the
 * connection its lane (room) already uses, else to an idle connection, else to a new one, else
 * (with `pipelining`) behind the requests of the least loaded connection (HTTP/1.1: the API
 * answers them in order), else it waits for a free connection, oldest first. No connection
 * carries more than `maxPerConnection` requests at once (a request's signature is made when it
 * is written, so this bounds how old it is when the API reads it). What
 * happens on a connection (writing, answers, timeouts, closing) is keepalive_connection.ts.
 */
import { ConnectionOptions, createConnections } from "./keepalive_connection";
import { Exchange, laneConnection, leastLoaded, newPool, OriginPool, PooledConnection, readNow } from "./keepalive_pool";
import { HttpTransport, PostRequest, PostResult } from "./types";
import { Origin, parseHttpUrl, ParsedUrl } from "./url";

/** Seconds between warm-ups at most while they connect nothing. */
const MAX_WARM_INTERVAL = 60;
/** Request URLs kept parsed at most. */
const MAX_PARSED_URLS = 64;

export interface KeepAliveOptions extends Omit<ConnectionOptions, "pump"> {
  /** net.server's backend (`get_backend()`): answers are read ahead of the loop only on epoll. */
  readonly backend: string;
  /** Connections per origin, at most. */
  readonly maxConnections: number;
  /**
   * Requests on one connection at once, at most (1: no HTTP/1.1 pipelining). Those waiting for
   * room wait in the pool, oldest first, unsigned.
   */
  readonly maxPerConnection: number;
}

export function createKeepAliveTransport(options: KeepAliveOptions): HttpTransport {
  const { maxConnections, maxPerConnection } = options;
  const pools = new LuaMap<string, OriginPool>();
  const { open, give, abandon } = createConnections({ ...options, pump: (pool) => pump(pool) });
  const epoll = options.backend === "epoll";

  /** Puts a request on a connection, or says it must wait. */
  const place = (pool: OriginPool, exchange: Exchange): boolean => {
    const lanePc = laneConnection(pool, exchange);
    if (lanePc !== undefined) {
      // The lane's requests on their way stay on one connection, in order.
      if (lanePc.load >= maxPerConnection) return false;
      give(lanePc, exchange);
      return true;
    }
    const best = leastLoaded(pool);
    if (best !== undefined && best.load === 0) give(best, exchange);
    else if (pool.open < maxConnections) open(pool, [exchange]);
    else if (best !== undefined && best.load < maxPerConnection) give(best, exchange);
    else return false;
    return true;
  };

  /** Starts waiting requests, oldest first, while connections can take them. */
  const drain = (pool: OriginPool): void => {
    for (let exchange = pool.waiting.peek(); exchange !== undefined; exchange = pool.waiting.peek()) {
      if (!exchange.finished && !place(pool, exchange)) return;
      pool.waiting.shift();
    }
  };

  /** `drain`, never re-entered: a connection failing at once calls back into it. */
  const pump = (pool: OriginPool): void => {
    if (pool.pumping) {
      pool.pumpAgain = true;
      return;
    }
    pool.pumping = true;
    do {
      pool.pumpAgain = false;
      drain(pool);
    } while (pool.pumpAgain);
    pool.pumping = false;
  };

  /** Parsed request URLs (a handful: one per event path), bounded. */
  let parsedUrls = new LuaMap<string, ParsedUrl | false>();
  let parsedCount = 0;
  const parse = (url: string): ParsedUrl | undefined => {
    let parsed = parsedUrls.get(url);
    if (parsed === undefined) {
      parsed = parseHttpUrl(url) ?? false;
      if (parsedCount >= MAX_PARSED_URLS) {
        parsedUrls = new LuaMap();
        parsedCount = 0;
      }
      parsedUrls.set(url, parsed);
      parsedCount += 1;
    }
    return parsed === false ? undefined : parsed;
  };

  const poolFor = (origin: Origin): OriginPool => {
    let pool = pools.get(origin.key);
    if (pool === undefined) {
      pool = newPool(origin);
      pools.set(origin.key, pool);
    }
    return pool;
  };

  return {
    close(): void {
      const all: PooledConnection[] = [];
      for (const [, pool] of pools) {
        for (const pc of pool.connections) all.push(pc);
      }
      for (const pc of all) abandon(pc, "module unloaded");
    },
    warm(url: string): void {
      const parsed = parse(url);
      if (parsed === undefined) return;
      const pool = poolFor(parsed.origin);
      const now = options.clock();
      if (pool.open > 0) return;
      const warmedAt = pool.warmedAt;
      if (warmedAt !== undefined) {
        // After a warm-up that connected nothing (the API is down) wait twice as long, up to a
        // minute: logins must not drive a connection storm against a failing API.
        const connected = pool.connectedAt !== undefined && pool.connectedAt >= warmedAt;
        const interval = connected ? options.idleTimeout : math.min(2 * (pool.warmInterval ?? options.idleTimeout), MAX_WARM_INTERVAL);
        if (now - warmedAt < interval) return;
        pool.warmInterval = interval;
      }
      pool.warmedAt = now;
      // As many as a burst would open, so that none of its first requests waits for a connect
      // (under load the loop sees a connection established only after every stanza ready
      // before it). Unused, they close after the idle timeout.
      for (let i = pool.open; i < maxConnections; i++) open(pool, []);
    },
    poll(lane: string): void {
      for (const [, pool] of pools) {
        const use = pool.lanes.get(lane);
        if (use !== undefined) readNow(use.connection, epoll);
      }
    },
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      const parsed = parse(request.url);
      if (parsed === undefined) {
        done({ code: 0, reason: "invalid-url" });
        return () => undefined;
      }
      const exchange: Exchange = { request, url: parsed, done, finished: false, retriedOnFresh: false };
      const pool = poolFor(parsed.origin);
      // Straight onto the lane's connection unless older requests wait (they go first).
      const lanePc = laneConnection(pool, exchange);
      if (lanePc !== undefined && lanePc.load < maxPerConnection && pool.waiting.isEmpty()) give(lanePc, exchange);
      else {
        pool.waiting.push(exchange);
        pump(pool);
      }
      // Cancelled: no callback. One already given a connection stays there until answered or
      // timed out (its timer keeps running), as the answers behind it come after its own.
      return () => {
        exchange.finished = true;
      };
    },
  };
}
