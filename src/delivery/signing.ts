/**
 * Standard Webhooks signatures (standardwebhooks.com, spec v1): each request carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature`,
 * a space-separated list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per
 * secret so a secret can be rotated without downtime. Pure: the HMAC and base64 functions
 * are given (Prosody's `util.hashes` and `util.encodings` in production).
 */

const SECRET_PREFIX = "whsec_";

/**
 * Checks a configured secret's form and returns its base64 part (without `whsec_`), or
 * undefined when it is not base64. Never include the secret itself in a message.
 */
export function secretBase64(secret: string): string | undefined {
  const body = string.sub(secret, 1, SECRET_PREFIX.length) === SECRET_PREFIX ? string.sub(secret, SECRET_PREFIX.length + 1) : secret;
  if (body.length === 0 || body.length % 4 !== 0) return undefined;
  if (string.match(body, "^[A-Za-z0-9+/]+=?=?$")[0] === undefined) return undefined;
  return body;
}

export interface SigningLibrary {
  /** Raw (binary) HMAC-SHA256 of `message` under `key`. */
  readonly hmacSha256: (this: void, key: string, message: string) => string;
  readonly base64Encode: (this: void, data: string) => string;
}

/** Signs with every key (raw, already base64-decoded), newest first as configured. */
export function createSigner(keys: string[], lib: SigningLibrary): (this: void, id: string, timestamp: number, body: string) => string {
  return (id, timestamp, body) => {
    const signed = `${id}.${string.format("%d", timestamp)}.${body}`;
    const signatures: string[] = [];
    for (const key of keys) signatures.push(`v1,${lib.base64Encode(lib.hmacSha256(key, signed))}`);
    return signatures.join(" ");
  };
}
