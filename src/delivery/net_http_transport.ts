/**
 * The transport on Prosody's own `net.http`: one TCP connection per request. It never logs
 * headers; Prosody's debug log shows only the host (`suppress_url`).
 */
import * as http from "net.http";
import { HttpTransport, PostRequest, PostResult } from "./types";

/** `Retry-After` as seconds; the HTTP-date form is not used by receivers we know, so ignored. */
function retryAfterSeconds(response: NetHttpResponse | undefined): number | undefined {
  const value = response?.headers?.get("retry-after");
  if (value === undefined || string.match(value, "^%s*%d+%s*$")[0] === undefined) return undefined;
  return tonumber(value);
}

export function createNetHttpTransport(): HttpTransport {
  return {
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      const options: NetHttpRequestOptions = {
        method: "POST",
        body: request.body,
        headers: request.headers as unknown as LuaTable<string, string>,
        suppress_url: true,
      };
      const [ok, started] = pcall(http.request, request.url, options, (body, code, response) => {
        done(code === 0 ? { code, reason: body } : { code, retryAfter: retryAfterSeconds(response) });
      });
      if (!ok) {
        // e.g. an https:// prefix on a Prosody without LuaSec.
        done({ code: 0, reason: tostring(started) });
        return () => undefined;
      }
      const handle = started;
      return () => {
        if (handle !== undefined) http.destroy_request(handle);
      };
    },
    close(): void {
      // net.http keeps no connection open between requests.
    },
  };
}
