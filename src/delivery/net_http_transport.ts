/**
 * The transport on Prosody's own `net.http`: one TCP connection per request. It never logs
 * headers; Prosody's debug log shows only the host (`suppress_url`).
 *
 * net.http connects, verifies TLS and writes the request; the answer is read by our own
 * reader (http_response.ts), handed to net.http as the request's `parser` (net.http 0.12 and
 * 13 create theirs only when the request has none): net.http's parser would take a 1xx
 * interim answer for the final one and fail a 2xx whose body is over its size limit.
 */
import * as http from "net.http";
import { hasHeader, resultOf, retryAfterSeconds } from "./http1";
import { createResponseReader } from "./http_response";
import { guarded } from "../safe";
import { HttpTransport, Log, PostRequest, PostResult, Scheduler } from "./types";
import { ParsedUrl, parseHttpUrl } from "./url";

/** The fields of net.http's request object we hand our reader through. */
interface ReadableRequest {
  parser?: { feed(this: unknown, data: string | undefined): void };
}

/**
 * Our Host (IPv6 literals in brackets, which net.http leaves out) and Basic authentication from
 * the URL's credentials (percent-decoded), then the request's headers.
 */
function headersFor(parsed: ParsedUrl, headers: LuaMap<string, string>, base64Encode: (this: void, data: string) => string): LuaMap<string, string> {
  const out = new LuaMap<string, string>();
  out.set("Host", parsed.origin.hostHeader);
  if (parsed.userinfo !== undefined && !hasHeader(headers, "authorization")) {
    out.set("Authorization", `Basic ${base64Encode(parsed.userinfo)}`);
  }
  for (const [name, value] of headers) out.set(name, value);
  return out;
}

/** Prosody 0.12's net.http re-raises errors of its callback: ours never throw. */
export function createNetHttpTransport(scheduler: Scheduler, log: Log, base64Encode: (this: void, data: string) => string): HttpTransport {
  return {
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      let finished = false;
      let handle: NetHttpRequest | undefined;
      const timer = scheduler.after(request.timeout, () => {
        if (finished) return;
        finished = true;
        if (handle !== undefined) http.destroy_request(handle);
        const head = reader.current(); // the status arrived, the body is still coming: it counts
        done(head !== undefined ? resultOf(head) : { code: 0, reason: `timed out after ${request.timeout}s` });
      });
      /** `close`: the answer came through our reader, so net.http will not close the connection. */
      const finish = guarded(log, "net.http callback", (result: PostResult, close?: boolean): void => {
        if (finished) return;
        finished = true;
        timer.stop();
        if (close === true && handle !== undefined) http.destroy_request(handle);
        done(result);
      });
      const reader = createResponseReader({
        complete: (head) => finish(resultOf(head), true),
        fail: (reason, head) => finish(head !== undefined ? resultOf(head) : { code: 0, reason: `bad response: ${reason}` }, true),
      });
      const parsed = parseHttpUrl(request.url);
      if (parsed === undefined) {
        finish({ code: 0, reason: "invalid-url" });
        return () => undefined;
      }
      const { scheme, hostHeader } = parsed.origin;
      const options: NetHttpRequestOptions = {
        method: "POST",
        body: request.body,
        headers: headersFor(parsed, request.headers(), base64Encode) as unknown as LuaTable<string, string>,
        suppress_url: true,
      };
      // Scheme and host in lower case (net.http takes `HTTPS` for plain http), no credentials.
      const url = `${scheme}://${hostHeader}${parsed.target}`;
      const [ok, started] = pcall(http.request, url, options, (body, code, response) => {
        // Failures before an answer (connection, TLS) come here; answers go to our reader.
        finish(code === 0 ? { code, reason: body } : { code, retryAfter: retryAfterSeconds(response?.headers?.get("retry-after")) });
      });
      if (!ok) {
        // e.g. an https:// prefix on a Prosody without LuaSec.
        finish({ code: 0, reason: tostring(started) });
        return () => undefined;
      }
      handle = started;
      if (handle !== undefined) {
        (handle as unknown as ReadableRequest).parser = {
          feed(data: string | undefined): void {
            reader.feed(data);
          },
        };
      }
      return () => {
        if (finished) return;
        finished = true;
        timer.stop();
        if (handle !== undefined) http.destroy_request(handle);
      };
    },
    close(): void {
      // net.http keeps no connection open between requests.
    },
  };
}
