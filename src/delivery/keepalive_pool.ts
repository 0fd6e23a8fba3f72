/**
 * The keep-alive transport's bookkeeping: requests on their way, pooled connections and the
 * per-origin pools, with the small operations on them that need no callbacks (writing a request
 * to a connection included).
 */
import { verify_identity } from "util.x509";
import { Fifo } from "./fifo";
import { requestText } from "./http1";
import { ResponseReader } from "./http_response";
import { PostRequest, PostResult, TimerHandle } from "./types";
import { Origin, ParsedUrl } from "./url";

/** One request on its way. */
export interface Exchange {
  readonly request: PostRequest;
  readonly url: ParsedUrl;
  readonly done: (this: void, result: PostResult) => void;
  /** Answered, failed or cancelled: `done` is not called (again). */
  finished: boolean;
  /** Already sent again after a reused connection dropped it. */
  retriedOnFresh: boolean;
  connection?: PooledConnection;
  /**
   * When it times out (the transport's clock, seconds): set when it became the oldest request of
   * a connection (waiting for a free connection does not count), kept if it moves to another.
   */
  deadline?: number;
}

export interface PooledConnection {
  readonly pool: OriginPool;
  conn?: NetConnection;
  state: "connecting" | "open" | "closed";
  /**
   * The requests given to this connection, oldest first. Written ones are answered in this
   * order (HTTP/1.1); while connecting, they wait here to be written.
   */
  pipeline: Fifo<Exchange>;
  /** Requests in `pipeline`. */
  load: number;
  reader?: ResponseReader;
  /** Responses completed on this connection. */
  served: number;
  /** Whether any byte of the oldest unanswered response has arrived. */
  answered: boolean;
  /** net.server holds bytes of ours not yet sent: later ones must queue behind them there. */
  buffered: boolean;
  idleTimer?: TimerHandle;
  /** When it last had nothing on it (the transport's clock). */
  idleSince?: number;
  /** Fires at the oldest request's deadline (or earlier: it then waits on for the new oldest). */
  headTimer?: TimerHandle;
}

/** Where a lane's requests on their way are: all on one connection, to keep their order. */
interface LaneUse {
  connection: PooledConnection;
  count: number;
}

export interface OriginPool {
  readonly origin: Origin;
  /** Connections not closed (connecting or open). */
  readonly connections: LuaSet<PooledConnection>;
  /** Connections not closed, counted. */
  open: number;
  /** Requests waiting for a connection, oldest first. */
  readonly waiting: Fifo<Exchange>;
  readonly lanes: LuaMap<string, LaneUse>;
  /** The transport's pump is running (it must not be re-entered); run it again when done. */
  pumping: boolean;
  pumpAgain: boolean;
  /** When connections were last opened ahead of requests (`warm`), on the transport's clock. */
  warmedAt?: number;
  /** Seconds the last warm-up waited after the one before. */
  warmInterval?: number;
  /** When a connection of the pool was last established. */
  connectedAt?: number;
}

/** True when the peer presented a valid chain for `host` (as `net.http` checks). */
export function peerVerified(conn: NetConnection, host: string): boolean {
  const socket = conn.socket();
  if (socket.getpeerverification === undefined || socket.getpeercertificate === undefined) return false;
  const [chainValid] = socket.getpeerverification();
  if (!chainValid) return false;
  const cert = socket.getpeercertificate();
  return cert !== undefined && verify_identity(host, false, cert);
}

export function newPool(origin: Origin): OriginPool {
  return { origin, connections: new LuaSet(), open: 0, waiting: new Fifo<Exchange>(), lanes: new LuaMap(), pumping: false, pumpAgain: false };
}

/** The connection already carrying the request's lane, if any. */
export function laneConnection(pool: OriginPool, exchange: Exchange): PooledConnection | undefined {
  const lane = exchange.request.lane;
  return lane === undefined ? undefined : pool.lanes.get(lane)?.connection;
}

/** Whether `pc` is a better choice than `best` among connections as loaded. */
function preferred(pc: PooledConnection, best: PooledConnection): boolean {
  if (pc.state !== best.state) return pc.state === "open"; // open now beats connecting
  return pc.served > best.served; // the one in use stays in use; unused ones idle out
}

/**
 * The open or connecting connection with the fewest requests, or undefined. Among equals an
 * open one, then the one that has served most: light traffic keeps to one connection and the
 * others (opened by a burst or at a login) close when idle.
 */
export function leastLoaded(pool: OriginPool): PooledConnection | undefined {
  let best: PooledConnection | undefined;
  for (const pc of pool.connections) {
    if (best === undefined || pc.load < best.load || (pc.load === best.load && preferred(pc, best))) best = pc;
  }
  return best;
}

/** Hands a request to a connection: it joins the connection's pipeline (and its lane). */
export function attach(pc: PooledConnection, exchange: Exchange): void {
  pc.pipeline.push(exchange);
  pc.load += 1;
  exchange.connection = pc;
  const lane = exchange.request.lane;
  if (lane === undefined) return;
  const use = pc.pool.lanes.get(lane);
  if (use === undefined) pc.pool.lanes.set(lane, { connection: pc, count: 1 });
  else {
    use.connection = pc;
    use.count += 1;
  }
}

/** The request left its connection's pipeline (answered, failed or moved). */
export function detach(pc: PooledConnection, exchange: Exchange): void {
  pc.load -= 1;
  const lane = exchange.request.lane;
  if (lane === undefined) return;
  const use = pc.pool.lanes.get(lane);
  if (use === undefined || use.connection !== pc) return;
  use.count -= 1;
  if (use.count <= 0) pc.pool.lanes.delete(lane);
}

/** Empties a connection's pipeline, returning what was in it, oldest first. */
export function takePipeline(pc: PooledConnection): Exchange[] {
  const rest = pc.pipeline.toArray();
  pc.pipeline = new Fifo<Exchange>();
  for (const exchange of rest) detach(pc, exchange);
  return rest;
}

/**
 * Reads what the API has already answered on an open connection now, through net.server's own
 * read step (server_epoll only: it reads nothing when nothing arrived, and does its usual
 * bookkeeping: EOF, TLS, read timeouts). Under a burst Prosody's loop reaches a connection's
 * readable event only after every client stanza ready before it: a room waiting for an answer
 * (its `created`) would wait for all of them.
 */
export function readNow(pc: PooledConnection, epoll: boolean): void {
  const conn = pc.conn;
  if (epoll && pc.state === "open" && pc.load > 0 && conn?.onreadable !== undefined) conn.onreadable();
}

/** Takes a connection out of its pool; idempotent. */
export function markClosed(pc: PooledConnection): void {
  if (pc.state === "closed") return;
  pc.state = "closed";
  pc.pool.open -= 1;
  pc.pool.connections.delete(pc);
  pc.idleTimer?.stop();
  pc.idleTimer = undefined;
  pc.headTimer?.stop();
  pc.headTimer = undefined;
}

/**
 * Writes a request to an open connection, its headers (and signature) made now. Sent at once
 * when net.server holds nothing of ours: its own write waits for the socket's next writable
 * event, which on a busy server comes only after everything else ready in that turn of its loop
 * (hundreds of ms under load). What the socket does not take now, and anything after it, goes
 * through net.server's buffer until it drains.
 */
export function writeRequest(pc: PooledConnection, exchange: Exchange, base64Encode: (this: void, data: string) => string): void {
  const conn = pc.conn;
  if (conn === undefined) return;
  const headers = exchange.request.headers();
  let data = requestText(exchange.url, exchange.request, headers, base64Encode);
  if (!pc.buffered) {
    const [sent, , partial] = conn.socket().send(data);
    if (sent !== undefined) return;
    data = string.sub(data, (partial ?? 0) + 1); // a failed socket is net.server's to notice
  }
  pc.buffered = true;
  conn.write(data);
}
