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

/**
 * The request head: our Host and Content-Length, then the caller's headers. Credentials in the
 * URL (`https://user:pw@host/…`) become Basic authentication, as with `net.http`, unless the
 * caller set an Authorization header.
 */
export function requestHead(
  parsed: ParsedUrl,
  request: PostRequest,
  headers: LuaMap<string, string>,
  base64Encode: (this: void, data: string) => string,
): string {
  const parts = [
    `POST ${parsed.target} HTTP/1.1\r\nHost: ${parsed.origin.hostHeader}\r\nContent-Length: ${request.body.length}\r\nConnection: keep-alive\r\n`,
  ];
  if (parsed.userinfo !== undefined && !hasHeader(headers, "authorization")) {
    parts.push(`Authorization: Basic ${base64Encode(parsed.userinfo)}\r\n`);
  }
  for (const [name, value] of headers) parts.push(`${name}: ${value}\r\n`);
  parts.push("\r\n");
  return parts.join("");
}
