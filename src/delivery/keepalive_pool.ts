/**
 * The keep-alive transport's bookkeeping: requests on their way, pooled connections and the
 * per-origin pools, with the small operations on them that need no callbacks.
 */
import { verify_identity } from "util.x509";
import { Fifo } from "./fifo";
import { PostRequest, PostResult, TimerHandle } from "./types";
import { Origin, ParsedUrl } from "./url";

/** One request on its way. */
export interface Exchange {
  readonly request: PostRequest;
  readonly url: ParsedUrl;
  readonly done: (this: void, result: PostResult) => void;
  /** Answered or cancelled: nothing more happens to it. */
  finished: boolean;
  /** Already sent again after a reused connection dropped it. */
  retriedOnFresh: boolean;
  connection?: PooledConnection;
  /** Runs from when the exchange got a connection (waiting for one does not count). */
  timer?: TimerHandle;
}

export interface PooledConnection {
  readonly pool: OriginPool;
  conn?: NetConnection;
  state: "connecting" | "busy" | "idle" | "closed";
  current?: Exchange;
  parser?: HttpParser;
  /** Responses completed on this connection. */
  served: number;
  /** Whether any byte of the current response has arrived. */
  answered: boolean;
  idleTimer?: TimerHandle;
}

export interface OriginPool {
  readonly origin: Origin;
  readonly idle: LuaSet<PooledConnection>;
  /** Connections not closed (connecting, busy or idle). */
  open: number;
  /** Requests waiting for a connection, oldest first. */
  readonly waiting: Fifo<Exchange>;
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
  return { origin, idle: new LuaSet(), open: 0, waiting: new Fifo<Exchange>() };
}

/** Any idle connection of the pool, or undefined. */
export function firstIdle(pool: OriginPool): PooledConnection | undefined {
  for (const pc of pool.idle) return pc;
  return undefined;
}

/** The oldest waiting request not cancelled meanwhile. */
export function nextWaiting(pool: OriginPool): Exchange | undefined {
  for (let exchange = pool.waiting.shift(); exchange !== undefined; exchange = pool.waiting.shift()) {
    if (!exchange.finished) return exchange;
  }
  return undefined;
}

/** Takes a connection out of its pool; idempotent. `open` counts the ones not closed. */
export function markClosed(pc: PooledConnection): void {
  if (pc.state === "closed") return;
  pc.state = "closed";
  pc.pool.open -= 1;
  pc.pool.idle.delete(pc);
  pc.idleTimer?.stop();
}
