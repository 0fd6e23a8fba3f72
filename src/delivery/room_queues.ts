/**
 * Per-room ordered delivery. A room's events are sent in the order they happened; different
 * rooms have their own queues and never wait for each other's retries. O(1) per event, and
 * O(pipelineDepth) per step of a room.
 *
 * While the API accepts a room's events, up to `pipelineDepth` of them are on the wire at once
 * (the transport sends one lane's requests over one connection in order, so the API receives
 * and answers them in order). A room starts with one event on the wire (its `created` always
 * goes alone) and widens after a 2xx to an attempt sent since its last failure; a failed
 * attempt narrows it to one again, and while the room's first event waits for its retry
 * nothing of the room is sent. A retry can therefore land after a later event of its room
 * only when the API failed an event but accepted ones already sent behind it. With
 * `pipelineDepth` 1 a room's events go strictly one at a time.
 */
import { retryDelay } from "./backoff";
import { DispatcherOptions } from "./dispatcher_options";
import { PendingBounds } from "./pending_bounds";
import { judge } from "./retry_policy";
import { backlogOf, fillWindow, newRoomLine, pendingOf, RoomLine, WideRooms } from "./room_line";
import { Delivery, DeliveryFailure, DeliveryOutcome, PostResult, RoomBacklog } from "./types";
import { EventUrls } from "./url";

/** Stands in the flying map while `post` runs (its answer may come before it returns). */
const NOT_YET_SENT = (): void => undefined;
/** One outcome for every delivered event (outcomes are read, never changed). */
const DELIVERED: DeliveryOutcome = { kind: "delivered" };


export class Dispatcher {
  private readonly lines = new LuaMap<string, RoomLine>();
  /** Rooms whose queue emptied while wide: their next burst starts wide. */
  private readonly wideRooms = new WideRooms();
  /** Deliveries on the wire, with the function cancelling each. */
  private flying = new LuaMap<Delivery, () => void>();
  private readonly bounds: PendingBounds;
  private stopped = false;
  private lastFailure: DeliveryFailure | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.bounds = new PendingBounds(options.maxPending, options.maxPendingBytes);
  }

  /** Queues a new event's delivery behind the room's earlier ones; sends it when its turn comes. */
  enqueue(delivery: Delivery): void {
    this.options.metrics.produced(delivery.eventName);
    this.options.journal?.recorded(delivery);
    this.push(delivery);
  }

  /** Sends a given-up event again (a dead letter replayed): recorded anew, same id and body. */
  replay(delivery: Delivery): void {
    this.options.journal?.recorded(delivery);
    this.push(delivery);
  }

  /** Deliveries not finished, in flight or waiting. */
  undelivered(): number {
    return this.bounds.count;
  }

  /** Each room with undelivered events: how many, and how many of them are on the wire. */
  backlog(): RoomBacklog[] {
    return backlogOf(this.lines);
  }

  /** The most recent failed attempt, for the admin shell's status. */
  latestFailure(): DeliveryFailure | undefined {
    return this.lastFailure;
  }

  /**
   * Takes over a delivery a previous instance had not finished (not a new event); `record`
   * puts it in the outbox (it was not read from there).
   */
  adopt(delivery: Delivery, record = false): void {
    if (record) this.options.journal?.recorded(delivery);
    this.push(delivery);
    if (delivery.eventName === "muc-room-destroyed") this.roomGone(delivery.roomJid);
  }

  /**
   * The room was destroyed (whether or not its `destroyed` event is sent): its queue is
   * forgotten once empty. Until then a room that the API accepts stays wide between bursts.
   */
  roomGone(roomJid: string): void {
    this.wideRooms.take(roomJid);
    const line = this.lines.get(roomJid);
    if (line !== undefined) line.gone = true;
  }

  /** Every delivery not yet finished, oldest first per room (those on the wire included). */
  pending(): Delivery[] {
    return pendingOf(this.lines);
  }

  /** Stops all work: cancels requests in flight; late callbacks and timers do nothing. */
  stop(): void {
    this.stopped = true;
    const flying = this.flying;
    this.flying = new LuaMap();
    for (const [, cancel] of flying) cancel();
    for (const [, line] of this.lines) line.retryTimer?.stop();
    this.options.transport.close();
  }

  private push(delivery: Delivery): void {
    for (;;) {
      const crossed = this.bounds.crossedBy(delivery.body.length);
      if (crossed === undefined || !this.dropOldest(crossed)) break;
    }
    this.bounds.add(delivery);
    let line = this.lines.get(delivery.roomJid);
    if (line === undefined) {
      line = newRoomLine(delivery.roomJid, this.wideRooms.take(delivery.roomJid));
      this.lines.set(delivery.roomJid, line);
    }
    // A room (again) starts with one on the wire: its `created` must not be overtaken.
    if (delivery.eventName === "muc-room-created") this.narrow(line);
    line.items.push(delivery);
    line.waiting += 1;
    this.options.metrics.pending(this.bounds.count);
    // Behind a full window (a new room's `created` on the wire alone): its answers may be in.
    if (line.onWire > 0 && line.onWire >= (line.wide ? this.options.pipelineDepth : 1)) this.options.transport.poll?.(line.roomJid);
    this.pump(line);
  }

  /** Sends what the room's window allows, in order; forgets the room once it has nothing left. */
  private pump(line: RoomLine): void {
    if (line.pumping) {
      line.pumpAgain = true;
      return;
    }
    line.pumping = true;
    do {
      line.pumpAgain = false;
      this.fillWindow(line);
    } while (line.pumpAgain);
    line.pumping = false;
    this.forgetIfDone(line);
  }

  /** Drops an empty room queue, remembering whether it was wide for the room's next burst. */
  private forgetIfDone(line: RoomLine): void {
    if (line.pumping || !line.items.isEmpty() || line.onWire > 0 || this.lines.get(line.roomJid) !== line) return;
    this.lines.delete(line.roomJid);
    if (line.wide && !line.gone) this.wideRooms.remember(line.roomJid);
  }

  private fillWindow(line: RoomLine): void {
    if (this.stopped || line.retryTimer !== undefined) return;
    fillWindow(line, line.wide ? this.options.pipelineDepth : 1, this.flying, (delivery) => {
      this.attempt(line, delivery);
      return this.flying.has(delivery);
    });
  }

  /**
   * Drops the oldest undelivered event. It is the first of its room's queue (a room's older
   * events are older overall), so the room simply moves on to its next event.
   */
  private dropOldest(crossed: "count" | "bytes"): boolean {
    const oldest = this.bounds.takeOldest();
    if (oldest === undefined) return false;
    this.bounds.noteDrop(crossed, oldest, this.options.log);
    this.options.metrics.dropped(oldest.eventName);
    const line = this.lines.get(oldest.roomJid);
    const cancel = this.flying.get(oldest);
    if (cancel !== undefined) {
      this.flying.delete(oldest);
      cancel();
      if (line !== undefined) {
        line.onWire -= 1;
        line.waiting += 1; // off the wire; `finish` counts it out
      }
    }
    if (line !== undefined && line.items.peek() === oldest && line.retryTimer !== undefined) {
      line.retryTimer.stop();
      line.retryTimer = undefined;
    }
    this.finish(oldest, line, { kind: "dropped" });
    return true;
  }

  private attempt(line: RoomLine, delivery: Delivery): void {
    const { transport, timeout, headersFor, apiPrefix } = this.options;
    delivery.attempts += 1;
    line.onWire += 1;
    line.waiting -= 1;
    const narrowingsBefore = line.narrowings;
    let answered = false;
    const request = {
      url: this.urls.of(apiPrefix, delivery.path),
      body: delivery.body,
      headers: () => headersFor(delivery),
      timeout,
      lane: delivery.roomJid,
    };
    this.flying.set(delivery, NOT_YET_SENT);
    const cancel = transport.post(request, (result) => {
      if (answered || this.stopped || delivery.finished === true) return;
      answered = true;
      this.flying.delete(delivery);
      line.onWire -= 1;
      line.waiting += 1; // until `finish`, unless it goes again
      this.settle(line, delivery, result, narrowingsBefore === line.narrowings);
    });
    if (!answered) this.flying.set(delivery, cancel);
  }

  /** Event URLs by path, made once. */
  private readonly urls = new EventUrls();

  private narrow(line: RoomLine): void {
    line.wide = false;
    line.narrowings += 1;
  }

  /** `sentSinceNarrowed`: the room was not narrowed between sending this one and its answer. */
  private settle(line: RoomLine, delivery: Delivery, result: PostResult, sentSinceNarrowed: boolean): void {
    const { policy, log, scheduler, backoff, random, metrics, nowMs } = this.options;
    if (result.collateral === true) {
      // Failed only because an earlier request on its connection did: not an attempt of its
      // own. It goes again in its turn (after the room's earlier events).
      delivery.attempts -= 1;
      this.narrow(line);
      this.pump(line);
      return;
    }
    const verdict = judge(policy, result, delivery.attempts, log);
    if (verdict.kind !== "delivered") {
      this.narrow(line);
      this.lastFailure = { atMs: nowMs(), eventName: delivery.eventName, roomJid: delivery.roomJid, reason: verdict.reason };
    }
    if (verdict.kind === "retry") {
      if (line.items.peek() !== delivery) {
        // An earlier event of the room failed too: this one goes again after it, and this
        // attempt (usually cut short by that failure) does not count.
        delivery.attempts -= 1;
        this.pump(line);
        return;
      }
      const delay = retryDelay(backoff, delivery.attempts, random(), verdict.retryAfter);
      log("debug", "Retrying %s for %s in %.1fs: %s", delivery.eventName, delivery.roomJid, delay, verdict.reason);
      metrics.retried(delivery.eventName);
      line.retryTimer = scheduler.after(delay, () => {
        line.retryTimer = undefined;
        this.pump(line);
      });
      return;
    }
    let outcome: DeliveryOutcome = DELIVERED;
    if (verdict.kind === "give-up") {
      log("warn", "Gave up delivering %s for room %s: %s", delivery.eventName, delivery.roomJid, verdict.reason);
      metrics.gaveUp(delivery.eventName);
      outcome = { kind: "gave-up", code: result.code, reason: verdict.reason };
    } else {
      if (sentSinceNarrowed) line.wide = true;
      metrics.delivered(delivery.eventName, math.max(0, nowMs() - delivery.createdAtMs) / 1000);
      this.bounds.noteDelivered(log);
    }
    this.finish(delivery, line, outcome);
  }

  /** Marks a delivery done, drops finished ones from the room's front and sends what is next. */
  private finish(delivery: Delivery, line: RoomLine | undefined, outcome: DeliveryOutcome): void {
    delivery.finished = true;
    if (line !== undefined) line.waiting -= 1; // never finished while on the wire
    this.options.journal?.settled(delivery, outcome);
    this.bounds.remove(delivery);
    this.options.metrics.pending(this.bounds.count);
    if (line === undefined) return;
    while (line.items.peek()?.finished === true) line.items.shift();
    this.pump(line);
  }
}
