/**
 * The benchmark's webhook receiver, in its own process (forked by bench/lib.ts) so that its
 * arrival times are not delayed by the XMPP clients, whose process it does not share CPU
 * scheduling with. It is the e2e suite's real receiver (answers 200 as soon as the body is
 * in); each post is forwarded to the parent as a compact record.
 */
import { startReceiver } from "../spec/e2e/helpers/receiver.js";

export interface PostRecord {
  /** created | joined | left | destroyed | ?<path> */
  readonly kind: string;
  readonly room: string;
  /** occupant.occupant_jid for joined/left */
  readonly jid?: string;
  readonly eventId?: string;
  readonly seq?: number;
  /** The event's own event_timestamp_ms (when the module produced it). */
  readonly eventAt?: number;
  /** Date.now() when the whole body had arrived. */
  readonly at: number;
  readonly bytes: number;
}

export type FromWorker = { readonly type: "ready"; readonly url: string } | { readonly type: "posts"; readonly posts: PostRecord[] } | { readonly type: "closed" };
export type ToWorker = { readonly type: "close" };

const KINDS: Record<string, string> = {
  "/api/events/room/created": "created",
  "/api/events/room/destroyed": "destroyed",
  "/api/events/occupant/joined": "joined",
  "/api/events/occupant/left": "left",
};

/** The parent, over the IPC channel `fork` opens. */
const port = {
  postMessage(message: FromWorker): void {
    process.send?.(message);
  },
  on(event: "message", listener: (message: ToWorker) => void): void {
    process.on(event, listener);
  },
  close(): void {
    process.disconnect?.();
  },
};

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error("run through child_process.fork (bench/lib.ts)");
  const receiver = await startReceiver("/api");
  let sent = 0;
  // Forward new posts in small batches (every 5 ms): cheap, and arrival times are taken by the receiver itself.
  const flush = (): void => {
    if (sent >= receiver.posts.length) return;
    const batch: PostRecord[] = [];
    for (; sent < receiver.posts.length; sent++) {
      const p = receiver.posts[sent]!;
      const body = p.body as { room_jid?: string; occupant?: { occupant_jid?: string }; event_id?: string; room_sequence?: number; event_timestamp_ms?: number } | undefined;
      batch.push({
        kind: KINDS[p.path] ?? `?${p.path}`,
        room: String(body?.room_jid),
        jid: body?.occupant?.occupant_jid,
        eventId: body?.event_id,
        seq: body?.room_sequence,
        eventAt: body?.event_timestamp_ms,
        at: p.at,
        bytes: p.rawBytes.length,
      });
      // Free the memory of the raw request (large all_occupants lists in room-size mode).
      (receiver.posts as unknown[])[sent] = { status: 200 };
    }
    port.postMessage({ type: "posts", posts: batch } satisfies FromWorker);
  };
  const timer = setInterval(flush, 5);
  port.on("message", (msg: ToWorker) => {
    if (msg.type !== "close") return;
    clearInterval(timer);
    flush();
    void receiver.close().then(() => {
      port.postMessage({ type: "closed" } satisfies FromWorker);
      port.close();
    });
  });
  port.postMessage({ type: "ready", url: receiver.url } satisfies FromWorker);
}

void main();
