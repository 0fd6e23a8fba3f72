/**
 * Prosody's HTTP client (`net/http.lua`, 0.12). One TCP connection per request, no
 * keep-alive, no timeout of its own; HTTPS verifies the peer by default.
 * @noSelfInFile
 */

/** The response object handed to a request callback. */
interface NetHttpResponse {
  readonly code: number;
  /** `false` until a streamed body has been read. */
  readonly body?: string | false;
  /** Response headers with lower-cased names. */
  readonly headers?: LuaTable<string, string>;
}

/** The request object `request` returns; pass it to `destroy_request` to cancel. */
interface NetHttpRequest {
  readonly id: string;
}

interface NetHttpRequestOptions {
  /** Request body; its presence makes the method POST. */
  body?: string;
  method?: string;
  /** Extra headers, merged over Prosody's defaults (Host, User-Agent). */
  headers?: LuaTable<string, string>;
  /** Do not log the full URL, only the host, in Prosody's debug log. */
  suppress_url?: boolean;
}

/**
 * Called once per request. On a transport failure `code` is 0 and `body` is the reason
 * (`"connection failed"`, `"invalid-url"`, ...).
 */
type NetHttpCallback = (this: void, body: string, code: number, response: NetHttpResponse | undefined) => void;

declare module "net.http" {
  /**
   * Starts a request and returns at once; `callback` runs on the main loop when it completes.
   * Returns nil for an invalid URL (after calling back with code 0). Throws when an https URL
   * is used without LuaSec.
   */
  function request(url: string, options: NetHttpRequestOptions, callback: NetHttpCallback): NetHttpRequest | undefined;
  /**
   * Closes the request's connection so its callback is not called. Before the connection is
   * attached (still resolving or connecting) it does nothing: the request may still go out.
   */
  function destroy_request(request: NetHttpRequest): void;
}
