import { EventName } from "../payloads";

/**
 * The small interfaces delivery is built from. The HTTP transport and the timer source are
 * behind them so that connection reuse, a durable outbox or a fake clock in specs can replace
 * an implementation without touching the queue logic.
 */

/** One HTTP POST, ready to send. */
export interface PostRequest {
  readonly url: string;
  readonly body: string;
  /**
   * The request's headers, built when the request is written to the socket (so a signature's
   * `webhook-timestamp` is the moment it is sent, not when it was queued). Values may be
   * secrets: implementations never log them. The map may be the same one for every request,
   * filled anew: read it at once, keep nothing of it.
   */
  readonly headers: (this: void) => LuaMap<string, string>;
  /**
   * Seconds the request may take from when it is sent (connecting included, waiting for a free
   * connection not): then it is cancelled and fails with code 0, "timed out after Ns".
   */
  readonly timeout: number;
  /**
   * Requests of one lane (a room) that are on their way together go over one connection in
   * the order they were posted, so the API receives and answers them in that order. A transport
   * that cannot promise this (`net.http`) is only given one request per lane at a time.
   */
  readonly lane?: string;
}

/** How a POST ended: an HTTP status, or code 0 with a reason when no response came. */
export interface PostResult {
  readonly code: number;
  readonly reason?: string;
  /** The response's `Retry-After` in seconds, when it gave a number. */
  readonly retryAfter?: number;
  /**
   * Failed (code 0) only because an earlier request on the same connection did (it timed out,
   * or got a malformed or failed answer that closed the connection): not an attempt of its own.
   */
  readonly collateral?: boolean;
}

/**
 * Sends POSTs. `post` returns at once; `done` is called exactly once (later or immediately)
 * unless the request is cancelled first; a request taking longer than its `timeout` fails.
 */
export interface HttpTransport {
  /** Starts a request; the returned function cancels it (after which `done` is not called). */
  post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void;
  /** On unload: closes its connections (requests in flight were cancelled by their owners). */
  close(): void;
  /**
   * Takes in now the answers that have already arrived for the lane's requests on their way,
   * instead of at the event loop's next turn for their connection (optional: a transport that
   * cannot simply waits). Their `done` callbacks may run before it returns.
   */
  poll?(lane: string): void;
  /**
   * Opens connections to the URL's origin ahead of requests when none is open (a client has
   * just logged in: a burst of joins may follow), at most once per idle period (optional).
   */
  warm?(url: string): void;
}

/** A cancellable timer. */
export interface TimerHandle {
  stop(): void;
}

/** Runs callbacks later on Prosody's main loop; never blocks. */
export interface Scheduler {
  after(seconds: number, callback: (this: void) => void): TimerHandle;
}

/** `module:log`-shaped logging: a level, a `string.format` pattern and its arguments. */
export type Log = (this: void, level: ProsodyLogLevel, message: string, ...args: unknown[]) => void;

/** One event on its way to the API. Plain data, so pending deliveries survive a reload. */
export interface Delivery {
  readonly eventName: EventName;
  /** The event's `event_id`: the `webhook-id` of every attempt. */
  readonly eventId: string;
  /** When the event happened, Unix ms (for the latency metric). */
  readonly createdAtMs: number;
  readonly roomJid: string;
  /** Path under `api_prefix`, e.g. `/events/room/created`. */
  readonly path: string;
  readonly body: string;
  /** Attempts made so far. */
  attempts: number;
  /** Set once delivered, given up or dropped: late timers and callbacks then do nothing. */
  finished?: boolean;
}

/** How a delivery ended. */
export type DeliveryOutcome =
  | { readonly kind: "delivered" }
  | { readonly kind: "gave-up"; readonly code: number; readonly reason: string }
  | { readonly kind: "dropped" };

/** Hears of every new event and of how each delivery ended: the durable outbox and dead letters. */
export interface DeliveryJournal {
  recorded(delivery: Delivery): void;
  settled(delivery: Delivery, outcome: DeliveryOutcome): void;
}

/** A room with undelivered events (the admin shell's status). */
export interface RoomBacklog {
  readonly roomJid: string;
  readonly undelivered: number;
  readonly onWire: number;
}

/** The most recent failed attempt (the admin shell's status). */
export interface DeliveryFailure {
  readonly atMs: number;
  readonly eventName: string;
  readonly roomJid: string;
  readonly reason: string;
}
