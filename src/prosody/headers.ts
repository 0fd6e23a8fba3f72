/**
 * The headers of every attempt: the configured ones, Content-Type, User-Agent, the event id, and
 * Standard Webhooks signatures when a secret is configured (Prosody's C hashing and base64).
 */
import { Config } from "../config";
import { createSigner } from "../delivery/signing";
import { Delivery } from "../delivery/types";
import { USER_AGENT } from "../version";

export function createHeaderBuilder(config: Config): (this: void, delivery: Delivery) => LuaMap<string, string> {
  const fixed = new LuaMap<string, string>();
  for (const [name, value] of config.apiHeaders) fixed.set(name, value);
  fixed.set("Content-Type", "application/json");
  fixed.set("User-Agent", USER_AGENT);

  let sign: ((this: void, id: string, timestamp: number, body: string) => string) | undefined;
  if (config.signingSecrets.length > 0) {
    // Loaded only when signing is on: C libraries every Prosody ships.
    const hashes = require("util.hashes") as typeof import("util.hashes");
    const base64 = (require("util.encodings") as typeof import("util.encodings")).base64;
    const keys = config.signingSecrets.map((secret) => base64.decode(secret));
    sign = createSigner(keys, { hmacSha256: (key, message) => hashes.hmac_sha256(key, message), base64Encode: base64.encode });
  }

  // One map, filled anew for each attempt: both transports read it at once, when they write
  // the request (net.http's copies it), and keep nothing of it.
  const headers = fixed;
  return (delivery) => {
    headers.set("webhook-id", delivery.eventId);
    if (sign !== undefined) {
      const timestamp = os.time();
      headers.set("webhook-timestamp", string.format("%d", timestamp));
      headers.set("webhook-signature", sign(delivery.eventId, timestamp, delivery.body));
    }
    return headers;
  };
}
