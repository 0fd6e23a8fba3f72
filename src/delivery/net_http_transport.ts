/**
 * The transport on Prosody's own `net.http`: one TCP connection per request. It never logs
 * headers; Prosody's debug log shows only the host (`suppress_url`).
 */
import * as http from "net.http";
import { HttpTransport, PostRequest, PostResult } from "./types";

export function createNetHttpTransport(): HttpTransport {
  return {
    post(request: PostRequest, done: (this: void, result: PostResult) => void): () => void {
      const options: NetHttpRequestOptions = {
        method: "POST",
        body: request.body,
        headers: request.headers as unknown as LuaTable<string, string>,
        suppress_url: true,
      };
      const [ok, started] = pcall(http.request, request.url, options, (body: string, code: number) => {
        done(code === 0 ? { code, reason: body } : { code });
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
  };
}
