/** What the per-room dispatcher (room_queues.ts) is built from. */
import { BackoffPolicy } from "./backoff";
import { DeliveryMetrics } from "./metrics";
import { RetryPolicy } from "./retry_policy";
import { Delivery, DeliveryJournal, HttpTransport, Log, Scheduler } from "./types";

export interface DispatcherOptions {
  readonly transport: HttpTransport;
  /** Base URL; a delivery's path goes after its path, before its query (`eventUrl`). */
  readonly apiPrefix: string;
  readonly scheduler: Scheduler;
  readonly policy: RetryPolicy;
  readonly backoff: BackoffPolicy;
  /** Seconds a request may take once sent; the transport enforces it. */
  readonly timeout: number;
  /** Undelivered events kept at most; past it the oldest is dropped. */
  readonly maxPending: number;
  /** Bytes of undelivered events' bodies kept at most, in all; past it the oldest are dropped. */
  readonly maxPendingBytes: number;
  /** A room's events on the wire at once while the API accepts them (1: one at a time). */
  readonly pipelineDepth: number;
  /** Builds the headers of an attempt when the transport writes it (signatures carry that moment). */
  readonly headersFor: (this: void, delivery: Delivery) => LuaMap<string, string>;
  /** Uniform random number in [0, 1), for retry jitter. */
  readonly random: (this: void) => number;
  /** Current time, Unix milliseconds (for latency). */
  readonly nowMs: (this: void) => number;
  readonly metrics: DeliveryMetrics;
  readonly log: Log;
  /** Hears of new events and finished deliveries (the durable outbox), when there is one. */
  readonly journal?: DeliveryJournal;
}
