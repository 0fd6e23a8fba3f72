/**
 * `make demo`: a real Prosody with the built component, a receiver printing every webhook as
 * it arrives, and a short scripted meeting. Reuses the end-to-end suite's harness.
 *
 *   make demo          run the meeting, print the webhooks, clean up, exit 0
 *   make demo KEEP=1   then keep Prosody and the receiver running for your own XMPP client
 *   make demo PROSODY=13   the same on Prosody 13 (default: Debian's 0.12)
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { xml } from "@xmpp/client";
import jwt from "jsonwebtoken";
import { COMPONENT_HOST, DOMAIN, MUC_HOST, ProsodyInstance, prosodyVersion, startProsody } from "../spec/e2e/helpers/prosody.js";
import { ReceivedPost, Receiver, startReceiver } from "../spec/e2e/helpers/receiver.js";
import { connectClient, TestClient } from "../spec/e2e/helpers/xmpp.js";

const ROOM = "standup";
const JWT_SECRET = "demo-secret-not-for-production";
const keep = process.env.KEEP === "1" || process.env.KEEP === "true";

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 23);

/** A token like Jitsi's: the user's identity in `context.user`. */
function token(id: string, name: string, email: string): string {
  return jwt.sign({ context: { user: { id, name, email } }, aud: "jitsi", iss: "demo", room: "*" }, JWT_SECRET, {
    algorithm: "HS256",
    expiresIn: "1h",
  });
}

/** One readable line per webhook: when, which path, what it says. */
function describePost(post: ReceivedPost): string {
  const body = post.body as Record<string, unknown> & { occupant?: Record<string, unknown>; all_occupants?: unknown[] };
  const who = body.occupant ? ` ${String(body.occupant.name ?? "(guest)")} <${String(body.occupant.occupant_jid)}>` : "";
  const everyone = Array.isArray(body.all_occupants) ? ` all_occupants=${body.all_occupants.length}` : "";
  const why = typeof body.disconnect_reason === "string" ? ` (${body.disconnect_reason})` : "";
  const role = typeof body.previous_role === "string" ? ` ${body.previous_role} → ${String(body.occupant?.role)}` : "";
  return `${clock(post.at)}  POST ${post.path.padEnd(32)} #${String(body.room_sequence)} ${String(body.room_name)}${who}${everyone}${role}${why}`;
}

/**
 * Prints webhooks as they arrive: a summary line each, and the whole JSON body of the first
 * webhook of each kind (path), so the payloads can be seen once without flooding the screen.
 */
class WebhookPrinter {
  private printed = 0;
  private readonly shownPaths = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly receiver: Receiver) {}

  start(): void {
    this.timer ??= setInterval(() => this.printNew(), 20);
  }

  /** Prints what is still unprinted and stops; `start()` goes on from there. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.printNew();
  }

  private printNew(): void {
    while (this.printed < this.receiver.posts.length) {
      const post = this.receiver.posts[this.printed++]!;
      console.log(describePost(post));
      if (!this.shownPaths.has(post.path)) {
        this.shownPaths.add(post.path);
        console.log(JSON.stringify(post.body, null, 2).replace(/^/gm, "      "));
      }
    }
  }
}

const DEMO_EVENTS = ["muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-occupant-role-changed", "muc-room-destroyed"];

async function meeting(prosody: ProsodyInstance, receiver: Receiver): Promise<void> {
  const say = (text: string): void => console.log(`${clock(Date.now())}  -- ${text}`);
  const people: TestClient[] = [];
  const join = async (who: string, nick: string, jwtToken?: string): Promise<TestClient> => {
    const client = await connectClient(prosody, { token: jwtToken });
    people.push(client);
    say(`${who} joins ${ROOM}`);
    await client.join(ROOM, nick);
    await pause(300);
    return client;
  };

  const alice = await join("Alice (JWT)", "alice", token("u-alice", "Alice Archer", "alice@example.com"));
  await join("Bob (JWT)", "bob", token("u-bob", "Bob Baker", "bob@example.com"));
  const guest = await join("a guest (no token)", "guest");
  say("the guest leaves");
  await guest.leave(ROOM, "guest");
  await pause(300);
  say("Alice makes Bob a moderator");
  const item = xml("item", { nick: "bob", role: "moderator" });
  await alice.xmpp.iqCaller.request(
    xml("iq", { type: "set", to: `${ROOM}@${MUC_HOST}` }, xml("query", { xmlns: "http://jabber.org/protocol/muc#admin" }, item)),
  );
  await pause(300);
  say("Alice, the room's owner, ends the meeting for everyone");
  await alice.destroy(ROOM, "meeting over");
  await receiver.waitFor((posts) => posts.some((p) => p.path.endsWith("/room/destroyed")), 10000);
  for (const person of people) await person.stop();
}

async function main(): Promise<void> {
  const receiver = await startReceiver("/api");
  const prosody = await startProsody({
    // The seed's four events and the role changes (the lobby and Jibri events need Jitsi's modules).
    component: { api_prefix: receiver.url, api_events: DEMO_EVENTS },
    extraPluginDirs: [resolve("spec/prosody_modules")],
    extraModules: ["test_jwt_identity"],
    globalLua: `test_jwt_secret = "${JWT_SECRET}"`,
    logLevel: "info",
  });
  const printer = new WebhookPrinter(receiver);
  printer.start();
  const shutdown = async (): Promise<void> => {
    printer.stop();
    await prosody.stop();
    await receiver.close();
  };

  try {
    console.log(`Prosody ${prosodyVersion()} (pid ${prosody.pid}) on 127.0.0.1 with ${COMPONENT_HOST} → webhooks to ${receiver.url}\n`);
    await meeting(prosody, receiver);
    await pause(200);
    printer.stop();
    console.log(`\n${receiver.posts.length} webhooks received.`);
  } catch (err) {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(`Prosody's log (${prosody.logPath}):\n${readFileSync(prosody.logPath, "utf8").split("\n").slice(-20).join("\n")}`);
    await shutdown();
    process.exit(1);
  }

  if (!keep) {
    await shutdown();
    return;
  }
  console.log(`
Still running (KEEP=1). Connect any XMPP client:
  server     127.0.0.1, port ${prosody.c2sPort} (plain, no TLS), or websocket ${prosody.websocketUrl}
  domain     ${DOMAIN} (anonymous login; add ?token=<JWT> to the websocket URL for an identity,
             HS256-signed with "${JWT_SECRET}", user in context.user)
  rooms      <name>@${MUC_HOST}
  config     ${prosody.configPath}
  log        ${prosody.logPath}
New webhooks are printed below. Ctrl-C stops everything.
`);
  printer.start();
  await new Promise<void>((done) => process.once("SIGINT", () => done()));
  await shutdown();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
