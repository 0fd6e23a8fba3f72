/**
 * Shared plumbing of the scenario suites (scenarios, identity, load): cleanup of everything a
 * test started, compact views of what the receiver got, and Jitsi-style JWTs.
 */
import { afterEach } from "@jest/globals";
import jwt from "jsonwebtoken";
import { ProsodyInstance, ProsodyOptions, startProsody, testModulesDir } from "./prosody.js";
import { EVENT_PATH, Receiver, ReceivedPost, startReceiver } from "./receiver.js";
import { connectClient, ConnectOptions, roomJid, TestClient } from "./xmpp.js";

export type EventKind = keyof typeof EVENT_PATH;

export const EVENT_NAMES: Record<EventKind, string> = {
  created: "muc-room-created",
  destroyed: "muc-room-destroyed",
  joined: "muc-occupant-joined",
  left: "muc-occupant-left",
  "role-changed": "muc-occupant-role-changed",
  "lobby-joined": "muc-lobby-joined",
  "lobby-left": "muc-lobby-left",
  "recording-started": "muc-recording-started",
  "recording-stopped": "muc-recording-stopped",
  "live-stream-started": "muc-live-stream-started",
  "live-stream-stopped": "muc-live-stream-stopped",
};

/** Every event name, for `api_events` (the seed's four are the default). */
export const ALL_EVENTS: string[] = Object.values(EVENT_NAMES);

/**
 * Registers an afterEach that undoes, in reverse order, everything started through the
 * returned functions (clients, then Prosody, then the receiver).
 */
export function useHarness(): {
  receiver(basePath?: string): Promise<Receiver>;
  prosody(options: ProsodyOptions): Promise<ProsodyInstance>;
  user(p: ProsodyInstance, options?: ConnectOptions): Promise<TestClient>;
  defer(cleanup: () => Promise<void>): void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      await cleanup().catch(() => undefined);
    }
  });
  return {
    async receiver(basePath = "/api") {
      const r = await startReceiver(basePath);
      cleanups.push(() => r.close());
      return r;
    },
    async prosody(options) {
      const p = await startProsody(options);
      cleanups.push(() => p.stop());
      return p;
    },
    async user(p, options) {
      const c = await connectClient(p, options);
      cleanups.push(() => c.stop());
      return c;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
}

/** The event kind of a post under the receiver's `/api` prefix (`?<path>` when unknown). */
export function kindOf(post: ReceivedPost, basePath = "/api"): string {
  const entry = Object.entries(EVENT_PATH).find(([, path]) => post.path === `${basePath}${path}`);
  return entry ? entry[0] : `?${post.path}`;
}

/** `created`, `joined:<occupant_jid>`, `left:<occupant_jid>`, `destroyed`, in arrival order. */
export function timeline(posts: readonly ReceivedPost[]): string[] {
  return posts.map((p) => {
    const kind = kindOf(p);
    return kind === "joined" || kind === "left" ? `${kind}:${String(p.body?.occupant?.occupant_jid)}` : kind;
  });
}

/** The posts about one room (by `room_jid`), in arrival order. */
export function postsOfRoom(posts: readonly ReceivedPost[], room: string): ReceivedPost[] {
  return posts.filter((p) => p.body?.room_jid === roomJid(room));
}

/**
 * Resolves once `count` posts arrived, all were answered, and `settleMs` passed (lets Prosody
 * read the answers). Polls: the receiver notifies on arrival, before it answers.
 */
export async function allAnswered(api: Receiver, count: number, settleMs = 300, timeoutMs = 10000): Promise<ReceivedPost[]> {
  await api.waitFor(count, timeoutMs);
  const deadline = Date.now() + timeoutMs;
  while (!api.posts.every((p) => p.status !== undefined)) {
    if (Date.now() > deadline) throw new Error(`unanswered posts: ${timeline(api.posts.filter((p) => p.status === undefined)).join(", ")}`);
    await sleep(20);
  }
  await sleep(settleMs);
  return [...api.posts];
}

/** Identity fields as Jitsi puts them in a JWT's `context.user`. */
export interface JwtUser {
  id?: unknown;
  name?: unknown;
  email?: unknown;
  [other: string]: unknown;
}

export const JWT_SECRET = "e2e-jwt-secret-7f3c0a9b";

/** A Jitsi-style HS256 token carrying `context.user`. */
export function signToken(user: JwtUser, secret = JWT_SECRET, room = "*"): string {
  return jwt.sign({ context: { user }, aud: "jitsi", iss: "e2e", sub: "localhost", room }, secret, {
    algorithm: "HS256",
    expiresIn: "1h",
  });
}

/** Prosody options loading the test-only JWT identity module on the VirtualHost. */
export function withJwtIdentity(options: ProsodyOptions, secret = JWT_SECRET): ProsodyOptions {
  return {
    ...options,
    extraPluginDirs: [...(options.extraPluginDirs ?? []), testModulesDir()],
    virtualHostLua: [
      options.virtualHostLua ?? "",
      '    modules_enabled = { "test_jwt_identity" }',
      `    test_jwt_secret = ${JSON.stringify(secret)}`,
    ]
      .filter((l) => l !== "")
      .join("\n"),
  };
}

/** The occupant keys of a payload, sorted: shows exactly which identity fields were sent. */
export const keysOf = (value: object): string[] => Object.keys(value).sort();
/** What an occupant object of an event says about their place in the room (absent from all_occupants). */
export const TRAIT_KEYS = ["affiliation", "kind", "nick", "participant_id", "role"];
/** The keys of an occupant object other than TRAIT_KEYS: who they are and when they were there. */
export const personKeysOf = (occupant: object): string[] => keysOf(occupant).filter((key) => !TRAIT_KEYS.includes(key));
/** An occupant object of an event without its TRAIT_KEYS: what its all_occupants entry has. */
export const withoutTraits = (occupant: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(occupant).filter(([key]) => !TRAIT_KEYS.includes(key)));

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
