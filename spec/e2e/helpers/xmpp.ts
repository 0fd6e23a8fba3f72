/**
 * An anonymous XMPP client for the e2e tests: joins and leaves MUC rooms, waiting for the
 * server's own-presence answers (status 110) so every step is complete before the next one.
 */
import { client, Client, Element, xml } from "@xmpp/client";
import { DOMAIN, MUC_HOST, ProsodyInstance } from "./prosody.js";

const MUC = "http://jabber.org/protocol/muc";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const MUC_OWNER = "http://jabber.org/protocol/muc#owner";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
const DATA_FORMS = "jabber:x:data";

export interface TestClient {
  /** The full JID the server bound this client to, e.g. `abc@localhost/xyz`. */
  readonly jid: string;
  readonly xmpp: Client;
  /** Joins `room@conference.localhost/nick`; resolves on the self-presence (status 110). */
  join(room: string, nick: string, timeoutMs?: number): Promise<Element>;
  /** Leaves; resolves on the self-presence of type unavailable. */
  leave(room: string, nick: string, timeoutMs?: number): Promise<Element>;
  /** Destroys the room (owner only); resolves on the iq result. */
  destroy(room: string, reason?: string, timeoutMs?: number): Promise<Element>;
  /**
   * Changes nick the way clients do: an available presence to `room/newNick` WITHOUT the MUC
   * `<x/>`; resolves on the self-presence from the new nick.
   */
  changeNick(room: string, newNick: string, timeoutMs?: number): Promise<Element>;
  /** Kicks (muc#admin role='none') the occupant with this nick; resolves on the iq result. */
  kick(room: string, nick: string, reason?: string, timeoutMs?: number): Promise<Element>;
  /** Submits the room configuration form (owner) with these fields; resolves on the iq result. */
  configure(room: string, fields: Record<string, string>, timeoutMs?: number): Promise<Element>;
  /** Resolves with the first stanza matching, arriving from now on. */
  waitForStanza(match: (stanza: Element) => boolean, timeoutMs?: number, what?: string): Promise<Element>;
  stop(): Promise<void>;
}

export const roomJid = (room: string): string => (room.includes("@") ? room : `${room}@${MUC_HOST}`);

/** A room name unique to this run (Prosody room nodes are lower-case). */
export function uniqueRoom(prefix = "room"): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
}

function isSelfPresence(stanza: Element): boolean {
  const x = stanza.getChild("x", MUC_USER);
  return x !== undefined && x.getChildren("status").some((s) => s.attrs.code === "110");
}

export interface ConnectOptions {
  /** "websocket" (default, needs node --experimental-websocket) or plain "tcp" c2s. */
  transport?: "websocket" | "tcp";
  timeoutMs?: number;
  /**
   * A JWT passed as `?token=` on the websocket URL, as Jitsi Meet does (read by the test-only
   * spec/prosody_modules/mod_test_jwt_identity.lua). Websocket only.
   */
  token?: string;
  /**
   * Log in to this account instead of anonymously, e.g. `{ domain: "auth.localhost", username:
   * "focus", password }` (accounts made by spec/prosody_modules/mod_test_accounts.lua).
   */
  account?: { readonly domain: string; readonly username: string; readonly password: string };
}

export async function connectClient(prosody: ProsodyInstance, options: ConnectOptions = {}): Promise<TestClient> {
  const transport = options.transport ?? (process.env.E2E_XMPP_TRANSPORT === "tcp" ? "tcp" : "websocket");
  if (transport === "websocket" && typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "function") {
    throw new Error("No global WebSocket: run node with --experimental-websocket (see jest.config.mjs)");
  }
  if (options.token !== undefined && transport !== "websocket") throw new Error("token needs the websocket transport");
  const service =
    transport === "tcp"
      ? `xmpp://127.0.0.1:${prosody.c2sPort}`
      : options.token !== undefined
        ? `${prosody.websocketUrl}?token=${encodeURIComponent(options.token)}`
        : prosody.websocketUrl;
  const login = options.account ?? { domain: DOMAIN };
  const xmpp = client({ service, ...login, timeout: options.timeoutMs ?? 5000 });
  xmpp.reconnect.stop(); // a test that kills Prosody must not leave reconnect timers behind
  const waiters = new Set<(stanza: Element) => void>();
  xmpp.on("stanza", (stanza: Element) => {
    for (const waiter of [...waiters]) waiter(stanza);
  });
  const errors: unknown[] = [];
  xmpp.on("error", (err: unknown) => errors.push(err));

  let bound;
  try {
    bound = await xmpp.start();
  } catch (err) {
    // E.g. SASL refused: close the socket so no connection outlives the failed start.
    await xmpp.stop().catch(() => undefined);
    throw err;
  }
  const jid = bound.toString();

  const waitForStanza = (match: (stanza: Element) => boolean, timeoutMs = 5000, what = "stanza"): Promise<Element> =>
    new Promise((resolve, reject) => {
      const waiter = (stanza: Element): void => {
        if (!match(stanza)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(stanza);
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`${jid}: timed out after ${timeoutMs}ms waiting for ${what}; errors: ${errors.map(String).join("; ")}`));
      }, timeoutMs);
      waiters.add(waiter);
    });

  const presenceFrom = (occupant: string, type: "available" | "unavailable") => (stanza: Element) => {
    if (!stanza.is("presence") || stanza.attrs.from !== occupant) return false;
    if (stanza.attrs.type === "error") return true; // resolve, then fail below with the error
    const isUnavailable = stanza.attrs.type === "unavailable";
    return (type === "unavailable") === isUnavailable && isSelfPresence(stanza);
  };

  const failOnError = (stanza: Element, what: string): Element => {
    if (stanza.attrs.type === "error") throw new Error(`${what} failed: ${stanza.toString()}`);
    return stanza;
  };

  return {
    jid,
    xmpp,
    waitForStanza,
    async join(room, nick, timeoutMs = 5000) {
      const occupant = `${roomJid(room)}/${nick}`;
      const answer = waitForStanza(presenceFrom(occupant, "available"), timeoutMs, `self-presence from ${occupant}`);
      await xmpp.send(xml("presence", { to: occupant }, xml("x", { xmlns: MUC })));
      return failOnError(await answer, `join ${occupant}`);
    },
    async leave(room, nick, timeoutMs = 5000) {
      const occupant = `${roomJid(room)}/${nick}`;
      const answer = waitForStanza(presenceFrom(occupant, "unavailable"), timeoutMs, `unavailable self-presence from ${occupant}`);
      await xmpp.send(xml("presence", { to: occupant, type: "unavailable" }));
      return failOnError(await answer, `leave ${occupant}`);
    },
    async changeNick(room, newNick, timeoutMs = 5000) {
      const occupant = `${roomJid(room)}/${newNick}`;
      const answer = waitForStanza(presenceFrom(occupant, "available"), timeoutMs, `self-presence from ${occupant}`);
      await xmpp.send(xml("presence", { to: occupant }));
      return failOnError(await answer, `nick change to ${occupant}`);
    },
    async kick(room, nick, reason, timeoutMs = 5000) {
      const item = xml("item", { nick, role: "none" }, ...(reason !== undefined ? [xml("reason", {}, reason)] : []));
      return xmpp.iqCaller.request(xml("iq", { type: "set", to: roomJid(room) }, xml("query", { xmlns: MUC_ADMIN }, item)), timeoutMs);
    },
    async configure(room, fields, timeoutMs = 5000) {
      const form = xml(
        "x",
        { xmlns: DATA_FORMS, type: "submit" },
        xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
        ...Object.entries(fields).map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
      );
      return xmpp.iqCaller.request(xml("iq", { type: "set", to: roomJid(room) }, xml("query", { xmlns: MUC_OWNER }, form)), timeoutMs);
    },
    async destroy(room, reason, timeoutMs = 5000) {
      const destroy = xml("destroy", {}, ...(reason !== undefined ? [xml("reason", {}, reason)] : []));
      return xmpp.iqCaller.request(xml("iq", { type: "set", to: roomJid(room) }, xml("query", { xmlns: MUC_OWNER }, destroy)), timeoutMs);
    },
    async stop() {
      waiters.clear();
      if (xmpp.status === "offline") return;
      try {
        await xmpp.stop();
      } catch {
        // The server may already be gone; the socket is closed either way.
      }
    },
  };
}
