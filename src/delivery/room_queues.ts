/**
 * Per-room FIFO delivery. A room's events are sent one at a time, in order: the next one
 * waits until the previous is delivered or given up, so retries never reorder a room.
 * Different rooms have their own queues and never wait for each other. O(1) per event.
 */
import { BackoffPolicy, retryDelay } from "./backoff";
import { Fifo } from "./fifo";
import { DeliveryMetrics } from "./metrics";
import { judge, RetryPolicy } from "./retry_policy";
import { Delivery, HttpTransport, Log, Scheduler } from "./types";

export interface DispatcherOptions {
  readonly transport: HttpTransport;
  /** Base URL every delivery's path is appended to. */
  readonly apiPrefix: string;
  readonly scheduler: Scheduler;
  readonly policy: RetryPolicy;
  readonly backoff: BackoffPolicy;
  /** Seconds a request may take once sent; the transport enforces it. */
  readonly timeout: number;
  /** Undelivered events kept at most; past it the oldest is dropped. */
  readonly maxPending: number;
  /** Builds the headers of each attempt (signatures carry the attempt's timestamp). */
  readonly headersFor: (this: void, delivery: Delivery) => LuaMap<string, string>;
  /** Uniform random number in [0, 1), for retry jitter. */
  readonly random: (this: void) => number;
  /** Current time, Unix milliseconds (for latency). */
  readonly nowMs: (this: void) => number;
  readonly metrics: DeliveryMetrics;
  readonly log: Log;
}

export class Dispatcher {
  private readonly queues = new LuaMap<string, Fifo<Delivery>>();
  private cancels = new LuaMap<string, () => void>();
  private pendingCount = 0;
  /**
   * Every delivery in the order it was queued, across rooms, to find the oldest when over
   * `maxPending`. Weak: a finished delivery, no longer in its room's queue, is let go.
   */
  private readonly order = new Fifo<Delivery>(true);
  /** Events dropped since the last delivery succeeded (one warning per burst). */
  private droppedInBurst = 0;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues a new event's delivery behind the room's earlier ones; starts it if the room is idle. */
  enqueue(delivery: Delivery): void {
    this.options.metrics.produced(delivery.eventName);
    this.push(delivery);
  }

  /** Takes over a delivery a previous instance had not finished (not a new event). */
  adopt(delivery: Delivery): void {
    this.push(delivery);
  }

  private push(delivery: Delivery): void {
    if (this.pendingCount >= this.options.maxPending) this.dropOldest();
    this.order.push(delivery);
    let fifo = this.queues.get(delivery.roomJid);
    if (fifo === undefined) {
      fifo = new Fifo<Delivery>();
      this.queues.set(delivery.roomJid, fifo);
    }
    fifo.push(delivery);
    this.pendingCount += 1;
    this.options.metrics.pending(this.pendingCount);
    if (fifo.peek() === delivery && !this.stopped) this.attempt(delivery);
  }

  /** Every delivery not yet finished, oldest first per room (the in-flight one included). */
  pending(): Delivery[] {
    const out: Delivery[] = [];
    for (const [, fifo] of this.queues) {
      for (const delivery of fifo.toArray()) out.push(delivery);
    }
    return out;
  }

  /** Stops all work: cancels requests in flight; late callbacks and timers do nothing. */
  stop(): void {
    this.stopped = true;
    const cancels = this.cancels;
    this.cancels = new LuaMap();
    for (const [, cancel] of cancels) cancel();
    this.options.transport.close();
  }

  /** Forgets finished deliveries at the front of the queue order. */
  private trimOrder(): void {
    while (this.order.peek()?.finished === true) this.order.shift();
  }

  /**
   * Drops the oldest undelivered event. It is the head of its room's queue (a room's older
   * events are older overall), so the room simply moves on to its next event.
   */
  private dropOldest(): void {
    let oldest = this.order.shift();
    while (oldest !== undefined && oldest.finished === true) oldest = this.order.shift();
    if (oldest === undefined) return;
    if (this.droppedInBurst === 0) {
      this.options.log(
        "warn",
        "More than %d events are waiting for the API (api_max_pending): dropping the oldest, starting with %s for room %s",
        this.options.maxPending,
        oldest.eventName,
        oldest.roomJid,
      );
    }
    this.droppedInBurst += 1;
    this.options.metrics.dropped(oldest.eventName);
    this.cancels.get(oldest.roomJid)?.();
    this.cancels.delete(oldest.roomJid);
    oldest.finished = true;
    this.advance(oldest.roomJid);
  }

  private attempt(delivery: Delivery): void {
    const { transport, timeout, headersFor, apiPrefix } = this.options;
    delivery.attempts += 1;
    let settled = false;
    const request = { url: apiPrefix + delivery.path, body: delivery.body, headers: headersFor(delivery), timeout };
    const cancel = transport.post(request, (result) => {
      if (settled || this.stopped || delivery.finished === true) return;
      settled = true;
      this.cancels.delete(delivery.roomJid);
      this.finish(delivery, result.code, result.reason, result.retryAfter);
    });
    if (!settled) this.cancels.set(delivery.roomJid, cancel);
  }

  private finish(delivery: Delivery, code: number, reason: string | undefined, retryAfter: number | undefined): void {
    const { policy, log, scheduler, backoff, random, metrics, nowMs } = this.options;
    const verdict = judge(policy, { code, reason, retryAfter }, delivery.attempts, log);
    if (verdict.kind === "retry") {
      const delay = retryDelay(backoff, delivery.attempts, random(), verdict.retryAfter);
      log("debug", "Retrying %s for %s in %.1fs: %s", delivery.eventName, delivery.roomJid, delay, verdict.reason);
      metrics.retried(delivery.eventName);
      scheduler.after(delay, () => {
        if (!this.stopped && delivery.finished !== true) this.attempt(delivery);
      });
      return;
    }
    if (verdict.kind === "give-up") {
      log("warn", "Gave up delivering %s for room %s: %s", delivery.eventName, delivery.roomJid, verdict.reason);
      metrics.gaveUp(delivery.eventName);
    } else {
      metrics.delivered(delivery.eventName, math.max(0, nowMs() - delivery.createdAtMs) / 1000);
      if (this.droppedInBurst > 0) {
        log("warn", "The API accepts events again; %d events were dropped meanwhile (api_max_pending)", this.droppedInBurst);
        this.droppedInBurst = 0;
      }
    }
    delivery.finished = true;
    this.advance(delivery.roomJid);
  }

  /** Drops the room's head and starts the next; forgets the room's queue once it is empty. */
  private advance(roomJid: string): void {
    const fifo = this.queues.get(roomJid);
    if (fifo === undefined) return;
    fifo.shift();
    this.pendingCount -= 1;
    this.trimOrder();
    this.options.metrics.pending(this.pendingCount);
    const next = fifo.peek();
    if (next === undefined) {
      this.queues.delete(roomJid);
      return;
    }
    this.attempt(next);
  }
}
