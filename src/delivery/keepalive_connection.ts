/**
 * The keep-alive transport's connections: opening one, writing requests to it (pipelined),
 * matching its answers to them in order, timing the oldest, and what happens to the requests
 * still on it when it closes, fails or times out. Which connection a request goes to is the
 * transport's decision (keepalive_transport.ts); it is told through `pump` when one frees up.
 */
import { connect } from "net.connect";
import * as basicResolver from "net.resolvers.basic";
import { Fifo } from "./fifo";
import { resultOf, wantsClose } from "./http1";
import { createResponseReader, ResponseHead } from "./http_response";
import { attach, detach, Exchange, markClosed, OriginPool, peerVerified, PooledConnection, takePipeline, writeRequest } from "./keepalive_pool";
import { Log, PostResult, Scheduler } from "./types";

export interface ConnectionOptions {
  readonly scheduler: Scheduler;
  readonly log: Log;
  /** Seconds an idle connection is kept open. */
  readonly idleTimeout: number;
  /** The TLS context for https origins; undefined when TLS is not available. */
  readonly tlsContext: (this: void) => object | undefined;
  /** Base64 for Basic authentication from credentials in the URL. */
  readonly base64Encode: (this: void, data: string) => string;
  /** Called when a pool's connection can take more requests (or closed). */
  readonly pump: (this: void, pool: OriginPool) => void;
  /** Seconds, for request timeouts (monotonic where Prosody has it). */
  readonly clock: (this: void) => number;
}

export interface Connections {
  /** Opens a connection for `given` (in order): they are written once it is connected. */
  open(this: void, pool: OriginPool, given: Exchange[]): void;
  /** Puts a request on a connection: written at once when connected. */
  give(this: void, pc: PooledConnection, exchange: Exchange): void;
  /** Closes a connection for good: whatever is still on it fails with `reason`. */
  abandon(this: void, pc: PooledConnection, reason: string): void;
}

export function createConnections(options: ConnectionOptions): Connections {
  const { scheduler, log, idleTimeout, pump, clock } = options;
  const byConn = new LuaMap<NetConnection, PooledConnection>();

  const finish = (exchange: Exchange, result: PostResult): void => {
    if (exchange.finished) return;
    exchange.finished = true;
    exchange.done(result);
  };

  const abandon = (pc: PooledConnection, reason: string): void => {
    markClosed(pc);
    for (const exchange of takePipeline(pc)) finish(exchange, { code: 0, reason });
    pc.conn?.close();
    pump(pc.pool);
  };

  /**
   * A request on the connection failed in a way that leaves the connection unusable (timed
   * out, or a malformed or failed closing answer): it ends with `result`, and everything else
   * still on the connection fails as collateral (not an attempt of its own), after it, so that
   * its retry keeps its place. One that is open is closed; one still connecting has written
   * nothing and stays, to take new requests when it connects.
   */
  const failWith = (pc: PooledConnection, culprit: Exchange | undefined, result: PostResult): void => {
    const rest = takePipeline(pc);
    if (pc.state === "open") markClosed(pc);
    if (culprit !== undefined) finish(culprit, result);
    const why = "an earlier request on its connection failed";
    for (const exchange of rest) {
      if (exchange !== culprit) finish(exchange, { code: 0, reason: why, collateral: true });
    }
    if (pc.state === "closed") pc.conn?.close();
    pump(pc.pool);
  };

  /**
   * Times the oldest request of a connection: the time the API takes to answer it, from when it
   * got a connection (connecting included) or from the answer before it; waiting for a free
   * connection does not count. Kept across a resend on a fresh connection. One timer per
   * connection, not per request: when it fires before the oldest request's deadline (set for
   * an older one since answered) it waits on for the rest.
   */
  const timeHead = (pc: PooledConnection): void => {
    const exchange = pc.pipeline.peek();
    if (exchange === undefined) return;
    exchange.deadline ??= clock() + exchange.request.timeout;
    if (pc.headTimer === undefined) pc.headTimer = scheduler.after(math.max(0, exchange.deadline - clock()), () => headDue(pc));
  };

  const headDue = (pc: PooledConnection): void => {
    pc.headTimer = undefined;
    const exchange = pc.pipeline.peek();
    if (pc.state === "closed" || exchange?.deadline === undefined) return;
    const left = exchange.deadline - clock();
    if (left > 0.001) {
      pc.headTimer = scheduler.after(left, () => headDue(pc));
      return;
    }
    // An answer whose status arrived but whose body is still coming counts as that status.
    const head = pc.reader?.current();
    failWith(pc, exchange, head !== undefined ? resultOf(head) : { code: 0, reason: `timed out after ${exchange.request.timeout}s` });
  };

  const write = (pc: PooledConnection, exchange: Exchange): void => writeRequest(pc, exchange, options.base64Encode);

  const give = (pc: PooledConnection, exchange: Exchange): void => {
    attach(pc, exchange); // (a pending idle timer finds it busy and does nothing)
    timeHead(pc);
    if (pc.state === "open") write(pc, exchange);
  };

  /**
   * Parks a connection with nothing on it: closed after `idleTimeout` unless used again. One
   * timer per connection, not one per request: when it fires early (the connection was used
   * and parked again since) it waits on for the rest.
   */
  const parkIfIdle = (pc: PooledConnection): void => {
    if (pc.state !== "open" || pc.load > 0) return;
    pc.idleSince = clock();
    pc.idleTimer ??= scheduler.after(idleTimeout, () => idleDue(pc));
  };

  const idleDue = (pc: PooledConnection): void => {
    pc.idleTimer = undefined;
    if (pc.state !== "open" || pc.load > 0 || pc.idleSince === undefined) return;
    const left = pc.idleSince + idleTimeout - clock();
    if (left > 0.001) {
      pc.idleTimer = scheduler.after(left, () => idleDue(pc));
      return;
    }
    markClosed(pc);
    pc.conn?.close();
  };

  const complete = (pc: PooledConnection, response: ResponseHead, untilClose: boolean): void => {
    const exchange = pc.pipeline.shift();
    if (exchange === undefined) {
      // An answer to nothing: this API's answers cannot be matched to requests here.
      failWith(pc, undefined, { code: 0, reason: "unsolicited answer" });
      return;
    }
    detach(pc, exchange);
    pc.served += 1;
    pc.answered = false;
    timeHead(pc);
    const closing = untilClose || wantsClose(response.connection) || response.httpVersion === "1.0";
    const result = resultOf(response);
    if (closing && !(response.code >= 200 && response.code < 300)) {
      // A failed answer: what was sent behind it goes again after its retry, not before.
      failWith(pc, exchange, result);
      return;
    }
    // The API will not answer what was sent behind this: it goes again on a fresh connection,
    // before the callback can post the lane's next request (which then follows it there).
    if (closing) dropped(pc, "connection closed by the API");
    finish(exchange, result);
    if (closing) pc.conn?.close();
    pump(pc.pool);
    parkIfIdle(pc);
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
      if (pc.state !== "connecting") {
        conn.close(); // given up while connecting
        return;
      }
      const origin = pc.pool.origin;
      if (origin.scheme === "https" && !(conn.ssl() && peerVerified(conn, origin.host))) {
        abandon(pc, "certificate-verify-failed");
        return;
      }
      pc.state = "open";
      pc.pool.connectedAt = clock();
      for (const exchange of takePipeline(pc)) {
        if (exchange.finished) continue; // cancelled while connecting: never sent
        attach(pc, exchange);
        write(pc, exchange);
      }
      timeHead(pc);
      pump(pc.pool);
      parkIfIdle(pc);
    },
    ondrain: (conn) => {
      const pc = byConn.get(conn);
      if (pc !== undefined) pc.buffered = false;
    },
    onincoming: (conn, data) => {
      const pc = byConn.get(conn);
      if (pc === undefined) return;
      pc.answered = true;
      pc.reader?.feed(data);
    },
    ondisconnect: (conn, reason) => {
      const pc = byConn.get(conn);
      if (pc === undefined) return;
      byConn.delete(conn);
      if (pc.load > 0 && pc.answered) pc.reader?.feed(undefined); // a body read until EOF
      dropped(pc, reason ?? "connection closed");
    },
    onfail: (data, reason) => dropped(data as PooledConnection, reason ?? "connection failed"),
  };

  /**
   * A connection is gone. What it had not answered is sent again, in order, on a fresh
   * connection when it was a reused (or idle) connection closed before answering: the API's
   * idle close crossed our writes, it had not seen those requests (each is resent once).
   * Otherwise they fail.
   */
  const dropped = (pc: PooledConnection, reason: string): void => {
    markClosed(pc);
    const rest = takePipeline(pc).filter((exchange) => !exchange.finished);
    if (rest.length > 0) {
      // Reused: it had answered before, or lay idle (opened at a login) before taking these.
      const reused = pc.served > 0 || pc.idleSince !== undefined;
      const resend = reused && !pc.answered && rest.every((exchange) => !exchange.retriedOnFresh);
      if (resend) {
        for (const exchange of rest) exchange.retriedOnFresh = true;
        open(pc.pool, rest);
      } else {
        for (const exchange of rest) finish(exchange, { code: 0, reason });
      }
    }
    pump(pc.pool);
  };

  /** Opens a connection for `given` (in order): they are written once it is connected. */
  const open = (pool: OriginPool, given: Exchange[]): void => {
    const origin = pool.origin;
    let sslctx: object | undefined;
    if (origin.scheme === "https") {
      sslctx = options.tlsContext();
      if (sslctx === undefined) {
        for (const exchange of given) finish(exchange, { code: 0, reason: "TLS is not available for https" });
        return;
      }
    }
    const pc: PooledConnection = { pool, state: "connecting", pipeline: new Fifo(), load: 0, served: 0, answered: false, buffered: false };
    pool.open += 1;
    pool.connections.add(pc);
    for (const exchange of given) give(pc, exchange);
    pc.reader = createResponseReader({
      complete: (head, untilClose) => complete(pc, head, untilClose),
      // Unreadable from here on: an answer whose status had arrived still counts as that status.
      fail: (reason, head) =>
        failWith(pc, pc.pipeline.peek(), head !== undefined ? resultOf(head) : { code: 0, reason: `bad response: ${reason}` }),
    });
    const [ok, err] = pcall(() =>
      connect(basicResolver.new(origin.host, origin.port, "tcp", { servername: origin.host }), listeners, { sslctx }, pc),
    );
    if (!ok) {
      log("debug", "Could not start a connection to %s: %s", origin.key, tostring(err));
      dropped(pc, "connection failed");
    }
  };

  return { open, give, abandon };
}
