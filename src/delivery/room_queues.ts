/**
 * Per-room FIFO delivery. A room's events are sent one at a time, in order: the next one
 * waits until the previous is delivered or given up, so retries never reorder a room.
 * Different rooms have their own queues and never wait for each other. O(1) per event.
 */
import { judge, RetryPolicy } from "./retry_policy";
import { Delivery, HttpTransport, Log, Scheduler, TimerHandle } from "./types";

/** A FIFO with head/tail indices, so removing the head never shifts the list. */
interface Fifo {
  readonly items: LuaMap<number, Delivery>;
  head: number;
  tail: number;
}

export interface DispatcherOptions {
  readonly transport: HttpTransport;
  /** Base URL every delivery's path is appended to. */
  readonly apiPrefix: string;
  readonly scheduler: Scheduler;
  readonly policy: RetryPolicy;
  /** Seconds to wait for an answer before cancelling an attempt. */
  readonly timeout: number;
  /** Seconds between attempts. */
  readonly retryDelay: number;
  /** Builds the headers of each attempt (so later work can sign per attempt). */
  readonly headersFor: (this: void, delivery: Delivery) => LuaMap<string, string>;
  readonly log: Log;
}

export class Dispatcher {
  private readonly queues = new LuaMap<string, Fifo>();
  private cancels = new LuaMap<string, () => void>();
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** Queues a delivery behind the room's earlier ones and starts it if the room is idle. */
  enqueue(delivery: Delivery): void {
    let fifo = this.queues.get(delivery.roomJid);
    if (fifo === undefined) {
      fifo = { items: new LuaMap(), head: 1, tail: 0 };
      this.queues.set(delivery.roomJid, fifo);
    }
    fifo.tail += 1;
    fifo.items.set(fifo.tail, delivery);
    if (fifo.head === fifo.tail && !this.stopped) this.attempt(delivery);
  }

  /** Every delivery not yet finished, oldest first per room (the in-flight one included). */
  pending(): Delivery[] {
    const out: Delivery[] = [];
    for (const [, fifo] of this.queues) {
      for (let i = fifo.head; i <= fifo.tail; i++) {
        const delivery = fifo.items.get(i);
        if (delivery !== undefined) out.push(delivery);
      }
    }
    return out;
  }

  /** Stops all work: cancels requests in flight; late callbacks and timers do nothing. */
  stop(): void {
    this.stopped = true;
    const cancels = this.cancels;
    this.cancels = new LuaMap();
    for (const [, cancel] of cancels) cancel();
  }

  private attempt(delivery: Delivery): void {
    const { transport, scheduler, timeout, headersFor, apiPrefix } = this.options;
    delivery.attempts += 1;
    let settled = false;
    let timer: TimerHandle | undefined;
    const settle = (code: number, reason: string | undefined): void => {
      if (settled || this.stopped) return;
      settled = true;
      timer?.stop();
      this.cancels.delete(delivery.roomJid);
      this.finish(delivery, code, reason);
    };
    timer = scheduler.after(timeout, () => {
      if (settled) return;
      this.cancels.get(delivery.roomJid)?.();
      settle(0, `timed out after ${timeout}s`);
    });
    const cancel = transport.post({ url: apiPrefix + delivery.path, body: delivery.body, headers: headersFor(delivery) }, (result) =>
      settle(result.code, result.reason),
    );
    if (!settled) this.cancels.set(delivery.roomJid, cancel);
  }

  private finish(delivery: Delivery, code: number, reason: string | undefined): void {
    const { policy, log, scheduler, retryDelay } = this.options;
    const verdict = judge(policy, { code, reason }, delivery.attempts, log);
    if (verdict.kind === "retry") {
      log("debug", "Retrying %s for %s in %ss: %s", delivery.eventName, delivery.roomJid, retryDelay, verdict.reason);
      scheduler.after(retryDelay, () => {
        if (!this.stopped) this.attempt(delivery);
      });
      return;
    }
    if (verdict.kind === "give-up") {
      log("warn", "Gave up delivering %s for room %s: %s", delivery.eventName, delivery.roomJid, verdict.reason);
    }
    this.advance(delivery.roomJid);
  }

  /** Drops the room's head and starts the next; forgets the room's queue once it is empty. */
  private advance(roomJid: string): void {
    const fifo = this.queues.get(roomJid);
    if (fifo === undefined) return;
    fifo.items.delete(fifo.head);
    fifo.head += 1;
    const next = fifo.items.get(fifo.head);
    if (next === undefined) {
      this.queues.delete(roomJid);
      return;
    }
    this.attempt(next);
  }
}
