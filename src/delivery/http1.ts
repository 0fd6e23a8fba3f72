/**
 * Small HTTP/1.1 pieces shared by the transports: the request head, and what a response's
 * headers say about retrying and about the connection. Pure.
 */
import { ResponseHead } from "./http_response";
import { PostRequest, PostResult } from "./types";
import { ParsedUrl } from "./url";

/** `Retry-After` in seconds; the HTTP-date form is not used by receivers we know, so ignored. */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined || string.match(value, "^%s*%d+%s*$")[0] === undefined) return undefined;
  return tonumber(value);
}

/** What an answer means for its request: only its status (and Retry-After) matter. */
export function resultOf(head: ResponseHead): PostResult {
  return { code: head.code, retryAfter: retryAfterSeconds(head.retryAfter) };
}

/** True when a `Connection` header lists the `close` token (any case, any position). */
export function wantsClose(connection: string | undefined): boolean {
  if (connection === undefined || connection === "keep-alive") return false;
  for (const [token] of string.gmatch(string.lower(connection), "[^,%s]+")) {
    if (token === "close") return true;
  }
  return false;
}

export function hasHeader(headers: LuaMap<string, string>, wanted: string): boolean {
  for (const [name] of headers) {
    if (string.lower(name) === wanted) return true;
  }
  return false;
}

/** The pieces of the request being made, reused: requestText runs to its end before the next. */
const scratch = new LuaTable<number, string>();

/**
 * The whole request, head and body: our Host and Content-Length, then the caller's headers.
 * Credentials in the URL (`https://user:pw@host/…`) become Basic authentication, as with
 * `net.http`, unless the caller set an Authorization header. One `table.concat` of the pieces
 * as they are: no string per header line, no head copied again to add the body (a request is
 * made for every webhook, and what it allocates the garbage collector pays for).
 */
export function requestText(
  parsed: ParsedUrl,
  request: PostRequest,
  headers: LuaMap<string, string>,
  base64Encode: (this: void, data: string) => string,
): string {
  const body = request.body;
  const parts = scratch;
  parts.set(1, parsed.postHead);
  parts.set(2, "Content-Length: ");
  parts.set(3, tostring(body.length));
  parts.set(4, "\r\nConnection: keep-alive\r\n");
  let n = 4;
  if (parsed.userinfo !== undefined && !hasHeader(headers, "authorization")) {
    parts.set(n + 1, "Authorization: Basic ");
    parts.set(n + 2, base64Encode(parsed.userinfo));
    parts.set(n + 3, "\r\n");
    n += 3;
  }
  for (const [name, value] of headers) {
    parts.set(n + 1, name);
    parts.set(n + 2, ": ");
    parts.set(n + 3, value);
    parts.set(n + 4, "\r\n");
    n += 4;
  }
  parts.set(n + 1, "\r\n");
  parts.set(n + 2, body);
  const text = table.concat(parts as unknown as string[], "", 1, n + 2);
  parts.set(n + 2, ""); // the body is not kept until the next request
  return text;
}
