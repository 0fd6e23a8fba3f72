/**
 * The bounds on undelivered events (`api_max_pending` of them, and a total of body bytes):
 * counts them, keeps them in the order they were queued across rooms to find the oldest when
 * over, and tells when a burst of drops begins and ends (one warning each). Pure.
 */
import { Fifo } from "./fifo";
import { Delivery, Log } from "./types";

export class PendingBounds {
  /** Undelivered events (in flight or waiting). */
  count = 0;
  /** Bytes of their bodies. */
  bytes = 0;
  /** Events dropped since the last delivery succeeded. */
  droppedInBurst = 0;
  /**
   * Every delivery in the order it was queued, across rooms. Weak: a finished delivery, no
   * longer in its room's queue, is let go.
   */
  readonly order = new Fifo<Delivery>(true);

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {}

  /** Which bound a new delivery of `bytes` would cross, if any (never for the first one). */
  crossedBy(bytes: number): "count" | "bytes" | undefined {
    if (this.count === 0) return undefined;
    if (this.count >= this.maxCount) return "count";
    return this.bytes + bytes > this.maxBytes ? "bytes" : undefined;
  }

  add(delivery: Delivery): void {
    this.order.push(delivery);
    this.count += 1;
    this.bytes += delivery.body.length;
  }

  /** The delivery finished (delivered, given up or dropped). */
  remove(delivery: Delivery): void {
    this.count -= 1;
    this.bytes -= delivery.body.length;
    while (this.order.peek()?.finished === true) this.order.shift();
  }

  /** `oldest` is dropped for crossing a bound: the first drop of a burst is logged. */
  noteDrop(crossed: "count" | "bytes", oldest: Delivery, log: Log): void {
    if (this.droppedInBurst === 0) {
      const [what, bound] = crossed === "bytes" ? ["KB of events", math.floor(this.maxBytes / 1024)] : ["events", this.maxCount];
      log(
        "warn",
        "More than %d %s are waiting for the API (api_max_pending): dropping the oldest, starting with %s for room %s",
        bound,
        what,
        oldest.eventName,
        oldest.roomJid,
      );
    }
    this.droppedInBurst += 1;
  }

  /** An event was delivered: the end of a burst of drops, if any, is logged. */
  noteDelivered(log: Log): void {
    if (this.droppedInBurst === 0) return;
    log("warn", "The API accepts events again; %d events were dropped meanwhile (api_max_pending)", this.droppedInBurst);
    this.droppedInBurst = 0;
  }

  /** Takes the oldest undelivered delivery out of the order (the caller drops it). */
  takeOldest(): Delivery | undefined {
    let oldest = this.order.shift();
    while (oldest !== undefined && oldest.finished === true) oldest = this.order.shift();
    return oldest;
  }
}
