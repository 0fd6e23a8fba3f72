/**
 * A room's delivery state for the dispatcher (room_queues.ts), and the bounded memory of
 * rooms that may start their next burst pipelined.
 */
import { Fifo } from "./fifo";
import { Delivery, RoomBacklog, TimerHandle } from "./types";

/** One room's deliveries. */
export interface RoomLine {
  readonly roomJid: string;
  /** Undelivered events in order; the front one is never finished (finished ones are trimmed). */
  readonly items: Fifo<Delivery>;
  /** Requests of the room on the wire. */
  onWire: number;
  /** Deliveries in `items` neither finished nor on the wire: what the window may send next. */
  waiting: number;
  /** The API accepted an attempt sent after the room's last failure: up to `pipelineDepth` on the wire. */
  wide: boolean;
  /**
   * Times the room was narrowed (a failed attempt, a new `created`): an answer to an attempt
   * sent before the last narrowing does not widen it again.
   */
  narrowings: number;
  /** The room was destroyed: nothing of it is remembered once its queue is empty. */
  gone: boolean;
  /** Set while the room's first event waits for its retry. */
  retryTimer?: TimerHandle;
  /** Guards against re-entering `pump` from a transport that answers synchronously. */
  pumping: boolean;
  pumpAgain: boolean;
}

export function newRoomLine(roomJid: string, wide: boolean): RoomLine {
  return { roomJid, items: new Fifo<Delivery>(), onWire: 0, waiting: 0, wide, narrowings: 0, gone: false, pumping: false, pumpAgain: false };
}

/**
 * Sends what the room's window (`window` requests on the wire) allows, in order: `send` puts a
 * delivery on the wire and says whether it is still there (false: answered at once, and that
 * answer pumped the room again). `flying` holds the deliveries on the wire.
 */
export function fillWindow(line: RoomLine, window: number, flying: ReadonlyLuaMap<Delivery, unknown>, send: (this: void, delivery: Delivery) => boolean): void {
  if (line.waiting === 0 || line.onWire >= window) return; // nothing to send, or no room for it
  const last = line.items.at(line.items.size());
  if (line.waiting === 1 && last !== undefined && last.finished !== true && !flying.has(last)) {
    send(last); // the newest is the only one waiting: everything on the wire is before it
    return;
  }
  let onWireBefore = 0;
  for (let i = 1; i <= line.items.size(); i++) {
    const delivery = line.items.at(i);
    if (delivery !== undefined && delivery.finished !== true) {
      if (!flying.has(delivery)) {
        // An event sent again goes out only after the later ones already on the wire are answered.
        if (onWireBefore < line.onWire || onWireBefore >= window) return;
        if (!send(delivery)) return;
      }
      onWireBefore += 1;
      if (onWireBefore >= window) return;
    }
  }
}

/** Each room with undelivered events: how many, and how many of them are on the wire. */
export function backlogOf(lines: LuaMap<string, RoomLine>): RoomBacklog[] {
  const out: RoomBacklog[] = [];
  for (const [roomJid, line] of lines) {
    let undelivered = 0;
    for (const delivery of line.items.toArray()) if (delivery.finished !== true) undelivered += 1;
    if (undelivered > 0) out.push({ roomJid, undelivered, onWire: line.onWire });
  }
  return out;
}

/** Every delivery not yet finished, oldest first per room (those on the wire included). */
export function pendingOf(lines: LuaMap<string, RoomLine>): Delivery[] {
  const out: Delivery[] = [];
  for (const [, line] of lines) {
    for (const delivery of line.items.toArray()) {
      if (delivery.finished !== true) out.push(delivery);
    }
  }
  return out;
}

/** Rooms remembered at most (~50 bytes each); others start their next burst with one on the wire. */
const REMEMBERED = 1000;

/**
 * Rooms still there whose queue emptied while the API accepted their events: their next burst
 * goes out pipelined at once instead of waiting for one answer first.
 */
export class WideRooms {
  private readonly rooms = new LuaSet<string>();
  private count = 0;

  remember(roomJid: string): void {
    if (this.count >= REMEMBERED || this.rooms.has(roomJid)) return;
    this.rooms.add(roomJid);
    this.count += 1;
  }

  /** Whether the room was remembered; it is forgotten either way. */
  take(roomJid: string): boolean {
    if (!this.rooms.has(roomJid)) return false;
    this.rooms.delete(roomJid);
    this.count -= 1;
    return true;
  }
}
