/**
 * A room's delivery state for the dispatcher (room_queues.ts), and the bounded memory of
 * rooms that may start their next burst pipelined.
 */
import { Fifo } from "./fifo";
import { Delivery, TimerHandle } from "./types";

/** One room's deliveries. */
export interface RoomLine {
  readonly roomJid: string;
  /** Undelivered events in order; the front one is never finished (finished ones are trimmed). */
  readonly items: Fifo<Delivery>;
  /** Requests of the room on the wire. */
  onWire: number;
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
  return { roomJid, items: new Fifo<Delivery>(), onWire: 0, wide, narrowings: 0, gone: false, pumping: false, pumpAgain: false };
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
