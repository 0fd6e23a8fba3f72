/**
 * Prosody's networking layer as the keep-alive transport uses it (0.12): `net.connect`
 * (resolve + connect with fallbacks), `net.resolvers.basic`, the connection objects of
 * `net.server` (server_epoll), `net.http.parser` and `util.x509`.
 * @noSelfInFile
 */

/** A connection (`net/server_epoll.lua` interface). Methods take a colon. */
interface NetConnection {
  /** Queues bytes for sending. */
  write(this: NetConnection, data: string): number | undefined;
  /** Closes after pending writes are flushed; `ondisconnect` follows. */
  close(this: NetConnection): void;
  /** Truthy when the connection is TLS-wrapped. */
  ssl(this: NetConnection): boolean;
  /** The underlying LuaSocket (LuaSec when TLS) socket, non-blocking. */
  socket(this: NetConnection): LuaSecSocket;
  /**
   * server_epoll's read step, what its loop calls when the socket is readable: reads what has
   * arrived (nothing: no harm) and hands it to `onincoming`; handles EOF, TLS wants and timeouts.
   */
  onreadable?: (this: NetConnection) => void;
}

declare module "net.server" {
  /** "epoll", "select" or "event". */
  function get_backend(): string;
}

/** The underlying socket (LuaSocket, or LuaSec when TLS): sending, and verifying the peer. */
interface LuaSecSocket {
  /**
   * Sends without blocking: the index of the last byte sent, or nil, an error ("timeout" when
   * the socket buffer is full; LuaSec also "wantwrite"/"wantread") and how many bytes went.
   */
  send(this: LuaSecSocket, data: string): LuaMultiReturn<[number | undefined, string | undefined, number | undefined]>;
  getpeerverification?: (this: LuaSecSocket) => LuaMultiReturn<[boolean, unknown]>;
  getpeercertificate?: (this: LuaSecSocket) => unknown;
}

/**
 * Listener callbacks, called by net.server as `listener(conn, ...)` without a self.
 * `onattach` receives the `data` given to `net.connect`; `onfail` replaces everything when
 * no connection could be made (`net/connect.lua`).
 */
interface NetListeners {
  onattach?: (this: void, conn: NetConnection, data: unknown) => void;
  onconnect?: (this: void, conn: NetConnection) => void;
  onincoming?: (this: void, conn: NetConnection, data: string) => void;
  ondisconnect?: (this: void, conn: NetConnection, reason: string | undefined) => void;
  /** The connection's write buffer was flushed to the socket. */
  ondrain?: (this: void, conn: NetConnection) => void;
  onfail?: (this: void, data: unknown, reason: string | undefined) => void;
}

/** A target resolver (`net/resolvers/basic.lua`): A/AAAA lookups of one host and port. */
interface NetResolver {
  readonly __resolverBrand: never;
}

declare module "net.resolvers.basic" {
  /** `extra.servername` sets TLS SNI. */
  function new_(host: string, port: number, connType: "tcp", extra?: { servername?: string }): NetResolver;
  export { new_ as new };
}

declare module "net.connect" {
  /**
   * Resolves and connects, trying each address in turn. `options.sslctx` (a LuaSec context
   * table) makes it a TLS connection. Calls `listeners.onattach(conn, data)` then
   * `onconnect(conn)`, or `onfail(data, reason)` when every address failed.
   */
  function connect(target: NetResolver, listeners: NetListeners, options: { sslctx?: object }, data: unknown): void;
}

/** A parsed response (`net/http/parser.lua`); `partial` is set on the head-only first call. */
interface HttpParsedResponse {
  readonly code: number;
  readonly httpversion: string;
  /** Header names lower-cased. */
  readonly headers: LuaTable<string, string>;
  readonly body?: string | false;
  readonly partial?: boolean;
  /** The `Content-Length`, when the response had one. */
  readonly body_length?: number;
  /** True for `Transfer-Encoding: chunked`. */
  readonly chunked?: boolean;
}

interface HttpParser {
  /** Feeds received bytes; nil marks end of stream. */
  feed(this: HttpParser, data: string | undefined): void;
}

declare module "net.http.parser" {
  /** A response parser; `success` is called for each response (twice when streamed). */
  function new_(
    success: (this: void, response: HttpParsedResponse) => void,
    error: (this: void, reason: string) => void,
    parserType: "client",
    options: (this: void) => { method?: string },
  ): HttpParser;
  export { new_ as new };
}

declare module "util.x509" {
  /** True when `cert` is valid for `host` (RFC 6125 checks, as net.http does). */
  function verify_identity(host: string, service: string | false, cert: unknown): boolean;
}

declare module "core.certmanager" {
  /**
   * Builds a LuaSec context from Prosody's TLS defaults (CA path `/etc/ssl/certs`, the global
   * `ssl` option, e.g. `cafile`) plus the given settings (later ones win). A real host name
   * makes it look up that host's certificate; `"<service> port 0"` skips the lookup, as
   * Prosody's own HTTP client does. Returns nil and an error on failure.
   */
  function create_context(
    host: string,
    mode: "client",
    ...settings: object[]
  ): LuaMultiReturn<[object | undefined, string | undefined]>;
}

declare module "core.configmanager" {
  /**
   * The value `key` has in `host`'s own section of the config file, without falling back to
   * the global section as `module:get_option` does (`configmanager.lua` rawget, 0.12 and 13).
   */
  function rawget(host: string, key: string): unknown;
}
