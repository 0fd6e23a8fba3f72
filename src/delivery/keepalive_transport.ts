/**
 * An HTTP/1.1 transport that keeps connections to the API open and reuses them, built on
 * Prosody's own `net.connect` and `net.http.parser`. Prosody 0.12's `net.http` opens a new TCP
 * (and TLS) connection for every request, which is most of what a webhook costs Prosody.
 *
 * Per origin (scheme, host, port): at most `maxConnections` connections, one request at a
 * time on each (no pipelining), further requests wait in order. A connection idle for
 * `idleTimeout` seconds is closed. A request whose reused connection turns out to have been
 * closed by the server before any answer is sent again once on a fresh connection. HTTPS
 * verifies the certificate chain and the host name, like `net.http`. Timeouts are the
 * caller's: cancelling a request in flight closes its connection.
 */
import { connect } from "net.connect";
import * as httpParser from "net.http.parser";
import * as basicResolver from "net.resolvers.basic";
import { bodyUntilClose, requestHead, retryAfterSeconds, wantsClose } from "./http1";
import {
  Exchange,
  firstIdle,
  markClosed,
  newPool,
  nextWaiting,
  OriginPool,
  peerVerified,
  PooledConnection,
} from "./keepalive_pool";
import { HttpTransport, Log, PostRequest, PostResult, Scheduler } from "./types";
import { Origin, parseHttpUrl } from "./url";

export interface KeepAliveOptions {
  readonly scheduler: Scheduler;
  readonly log: Log;
  /** Connections per origin, at most. */
  readonly maxConnections: number;
  /** Seconds an idle connection is kept open. */
  readonly idleTimeout: number;
  /** The TLS context for https origins; undefined when TLS is not available. */
  readonly tlsContext: (this: void) => object | undefined;
  /** Base64 for Basic authentication from credentials in the URL. */
  readonly base64Encode: (this: void, data: string) => string;
}

export function createKeepAliveTransport(options: KeepAliveOptions): HttpTransport {
  const { scheduler, log, maxConnections, idleTimeout } = options;
  const pools = new LuaMap<string, OriginPool>();
  const byConn = new LuaMap<NetConnection, PooledConnection>();

  const finish = (exchange: Exchange, result: PostResult): void => {
    if (exchange.finished) return;
    exchange.finished = true;
    exchange.timer?.stop();
    exchange.done(result);
  };

  /** Starts the exchange's timeout once it has a connection (kept across a fresh resend). */
  const startTimer = (exchange: Exchange): void => {
    if (exchange.timer !== undefined) return;
    const seconds = exchange.request.timeout;
    exchange.timer = scheduler.after(seconds, () => {
      if (exchange.finished) return;
      const pc = exchange.connection;
      finish(exchange, { code: 0, reason: `timed out after ${seconds}s` });
      if (pc !== undefined && pc.current === exchange) pc.conn?.close();
    });
  };

  const send = (pc: PooledConnection, exchange: Exchange): void => {
    pc.idleTimer?.stop();
    pc.idleTimer = undefined;
    pc.pool.idle.delete(pc);
    pc.state = "busy";
    pc.current = exchange;
    pc.answered = false;
    exchange.connection = pc;
    startTimer(exchange);
    pc.parser = httpParser.new(
      (response) => {
        if (response.partial !== true) complete(pc, response);
      },
      (reason) => {
        finish(exchange, { code: 0, reason: `bad response: ${reason}` });
        pc.conn?.close();
      },
      "client",
      () => ({ method: "POST" }),
    );
    const conn = pc.conn;
    if (conn === undefined) return;
    conn.write(requestHead(exchange.url, exchange.request, options.base64Encode));
    conn.write(exchange.request.body);
  };

  /** Gives a free connection the next waiting request, or parks it as idle. */
  const release = (pc: PooledConnection): void => {
    const next = nextWaiting(pc.pool);
    if (next !== undefined) {
      send(pc, next);
      return;
    }
    pc.state = "idle";
    pc.current = undefined;
    pc.pool.idle.add(pc);
    pc.idleTimer = scheduler.after(idleTimeout, () => {
      if (pc.state === "idle") pc.conn?.close();
    });
  };

  const complete = (pc: PooledConnection, response: HttpParsedResponse): void => {
    const exchange = pc.current;
    if (exchange === undefined) return;
    pc.current = undefined;
    pc.served += 1;
    const closing = wantsClose(response.headers.get("connection")) || response.httpversion === "1.0" || bodyUntilClose(response);
    // Free the connection before calling back: the callback usually posts the room's next
    // event at once, and that should reuse this connection rather than open another.
    if (closing) {
      markClosed(pc);
      pc.conn?.close();
    } else {
      pc.state = "idle";
      pc.pool.idle.add(pc);
    }
    finish(exchange, { code: response.code, retryAfter: retryAfterSeconds(response.headers.get("retry-after")) });
    if (closing) pump(pc.pool);
    else if (pc.state === "idle") release(pc);
  };

  const listeners: NetListeners = {
    onattach: (conn, data) => {
      const pc = data as PooledConnection;
      pc.conn = conn;
      byConn.set(conn, pc);
    },
    onconnect: (conn) => {
      const pc = byConn.get(conn);
      if (pc === undefined) return;
      const origin = pc.pool.origin;
      if (origin.scheme === "https" && !(conn.ssl() && peerVerified(conn, origin.host))) {
        if (pc.current !== undefined) finish(pc.current, { code: 0, reason: "certificate-verify-failed" });
        pc.current = undefined;
        conn.close();
        return;
      }
      const exchange = pc.current;
      if (exchange === undefined || exchange.finished) {
        release(pc);
      } else {
        send(pc, exchange);
      }
    },
    onincoming: (conn, data) => {
      const pc = byConn.get(conn);
      if (pc === undefined) return;
      pc.answered = true;
      pc.parser?.feed(data);
    },
    ondisconnect: (conn, reason) => {
      const pc = byConn.get(conn);
      if (pc === undefined) return;
      byConn.delete(conn);
      if (pc.current !== undefined && pc.answered) pc.parser?.feed(undefined); // a body read until EOF
      dropped(pc, reason ?? "connection closed");
    },
    onfail: (data, reason) => dropped(data as PooledConnection, reason ?? "connection failed"),
  };

  /** A connection is gone: its request is sent again (once) or failed; waiting ones move on. */
  const dropped = (pc: PooledConnection, reason: string): void => {
    markClosed(pc);
    const exchange = pc.current;
    pc.current = undefined;
    if (exchange !== undefined && !exchange.finished) {
      // A reused connection the server closed while idle: the request never reached it.
      if (pc.served > 0 && !pc.answered && !exchange.retriedOnFresh) {
        exchange.retriedOnFresh = true;
        open(pc.pool, exchange);
      } else {
        finish(exchange, { code: 0, reason });
      }
    }
    pump(pc.pool);
  };

  const open = (pool: OriginPool, exchange: Exchange): void => {
    const origin = pool.origin;
    let sslctx: object | undefined;
    if (origin.scheme === "https") {
      sslctx = options.tlsContext();
      if (sslctx === undefined) {
        finish(exchange, { code: 0, reason: "TLS is not available for https" });
        return;
      }
    }
    const pc: PooledConnection = { pool, state: "connecting", current: exchange, served: 0, answered: false };
    exchange.connection = pc;
    startTimer(exchange);
    pool.open += 1;
    const [ok, err] = pcall(() =>
      connect(basicResolver.new(origin.host, origin.port, "tcp", { servername: origin.host }), listeners, { sslctx }, pc),
    );
    if (!ok) {
      log("debug", "Could not start a connection to %s: %s", origin.key, tostring(err));
      dropped(pc, "connection failed");
    }
  };

  /** Starts waiting requests while connections are free or may be opened. */
  const pump = (pool: OriginPool): void => {
    while (!pool.waiting.isEmpty()) {
      const free = firstIdle(pool);
      if (free === undefined && pool.open >= maxConnections) return;
      const exchange = nextWaiting(pool);
      if (exchange === undefined) return;
      if (free !== undefined) send(free, exchange);
      else open(pool, exchange);
    }
  };

  const poolFor = (origin: Origin): OriginPool => {
    let pool = pools.get(origin.key);
    if (pool === undefined) {
      pool = newPool(origin);
      pools.set(origin.key, pool);
    }
    return pool;
  };

  const cancel = (exchange: Exchange): void => {
    if (exchange.finished) return;
    exchange.finished = true;
    exchange.timer?.stop();
    const pc = exchange.connection;
    if (pc !== undefined && pc.current === exchange) pc.conn?.close();
  };

  return {
    close(): void {
      for (const [, pool] of pools) {
        const idle: PooledConnection[] = [];
        for (const pc of pool.idle) idle.push(pc);
        for (const pc of idle) {
          markClosed(pc);
          pc.conn?.close();
        }
      }
    },
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      const parsed = parseHttpUrl(request.url);
      if (parsed === undefined) {
        done({ code: 0, reason: "invalid-url" });
        return () => undefined;
      }
      const exchange: Exchange = { request, url: parsed, done, finished: false, retriedOnFresh: false };
      const pool = poolFor(parsed.origin);
      pool.waiting.push(exchange);
      pump(pool);
      return () => cancel(exchange);
    },
  };
}
