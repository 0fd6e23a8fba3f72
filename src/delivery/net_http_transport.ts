/**
 * The transport on Prosody's own `net.http`: one TCP connection per request. It never logs
 * headers; Prosody's debug log shows only the host (`suppress_url`).
 */
import * as http from "net.http";
import { retryAfterSeconds } from "./http1";
import { guarded } from "../safe";
import { HttpTransport, Log, PostRequest, PostResult, Scheduler } from "./types";

/** Prosody 0.12's net.http re-raises errors of its callback: ours never throw. */
export function createNetHttpTransport(scheduler: Scheduler, log: Log): HttpTransport {
  return {
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      let finished = false;
      let handle: NetHttpRequest | undefined;
      const timer = scheduler.after(request.timeout, () => {
        if (finished) return;
        finished = true;
        if (handle !== undefined) http.destroy_request(handle);
        done({ code: 0, reason: `timed out after ${request.timeout}s` });
      });
      const finish = guarded(log, "net.http callback", (result: PostResult): void => {
        if (finished) return;
        finished = true;
        timer.stop();
        done(result);
      });
      const options: NetHttpRequestOptions = {
        method: "POST",
        body: request.body,
        headers: request.headers as unknown as LuaTable<string, string>,
        suppress_url: true,
      };
      const [ok, started] = pcall(http.request, request.url, options, (body, code, response) => {
        finish(code === 0 ? { code, reason: body } : { code, retryAfter: retryAfterSeconds(response?.headers?.get("retry-after")) });
      });
      if (!ok) {
        // e.g. an https:// prefix on a Prosody without LuaSec.
        finish({ code: 0, reason: tostring(started) });
        return () => undefined;
      }
      handle = started;
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
