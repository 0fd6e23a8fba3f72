/**
 * API URLs: checking and normalising `api_prefix`, the URL of each event, what a transport
 * needs to connect, and the form that may be logged. Pure.
 */

export interface Origin {
  /** Lower case: `net.http` compares the scheme case-sensitively (`HTTPS` would go out in clear). */
  readonly scheme: "http" | "https";
  /** Host name (lower case) or IP (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The `Host` header: host (IPv6 in brackets), plus the port when it is not the scheme's default. */
  readonly hostHeader: string;
  /** `scheme://host:port`: connections are pooled per key. */
  readonly key: string;
}

export interface ParsedUrl {
  readonly origin: Origin;
  /** Path and query, at least `/`. */
  readonly target: string;
  /** `user:password` written before `@` in the URL, percent-decoded, if any (a secret: never log it). */
  readonly userinfo?: string;
  /** The request line and Host header of a POST to it, each ended by CRLF. */
  readonly postHead: string;
}

interface UrlParts {
  readonly scheme: "http" | "https";
  /** As written (still percent-encoded), without the `@`. */
  readonly userinfo?: string;
  readonly host: string;
  /** The port as written, "" when none. */
  readonly portText: string;
  readonly path: string;
  /** Without the `?`; undefined when there is none. */
  readonly query?: string;
}

function splitUrl(url: string): UrlParts | undefined {
  // Blanks and control characters would end up in the request line (or split it).
  if (string.find(url, "[%c ]")[0] !== undefined) return undefined;
  const [schemeRaw, rest] = string.match(url, "^([Hh][Tt][Tt][Pp][Ss]?)://(.*)$");
  if (schemeRaw === undefined || rest === undefined) return undefined;
  const scheme = string.lower(schemeRaw) === "https" ? "https" : "http";
  const [authority, afterAuthority] = string.match(rest, "^([^/?#]*)(.*)$");
  if (authority === undefined || afterAuthority === undefined) return undefined;
  const [userinfo, hostPort] = string.match(authority, "^(.*)@([^@]*)$");
  const hostAndPort = hostPort ?? authority;
  let host: string | undefined;
  let portText: string | undefined;
  if (string.sub(hostAndPort, 1, 1) === "[") {
    [host, portText] = string.match(hostAndPort, "^%[([%x:.]+)%]:?(%d*)$");
  } else {
    [host, portText] = string.match(hostAndPort, "^([%w%-._~%%!$&'()*+,;=]+):?(%d*)$");
  }
  if (host === undefined || portText === undefined) return undefined;
  if (portText !== "" && (tonumber(portText) ?? 0) > 65535) return undefined;
  const [withoutFragment] = string.gsub(afterAuthority, "#.*$", "");
  const [path, query] = string.match(withoutFragment, "^([^?]*)%??(.*)$");
  // A raw `@` in the path means credentials with an unencoded `/`, `?` or `#` (RFC 3986 wants
  // them percent-encoded): their tail would otherwise be taken for the path, and logged.
  if (userinfo === undefined && string.find(path ?? "", "@", 1, true)[0] !== undefined) return undefined;
  const hasQuery = string.find(withoutFragment, "?", 1, true)[0] !== undefined;
  return { scheme, userinfo, host: string.lower(host), portText, path: path ?? "", query: hasQuery ? query : undefined };
}

function bracketed(host: string): string {
  return string.find(host, ":", 1, true)[0] !== undefined ? `[${host}]` : host;
}

function percentDecode(text: string): string {
  const [decoded] = string.gsub(text, "%%(%x%x)", (hex: string) => string.char(tonumber(hex, 16) ?? 0));
  return decoded;
}

/**
 * `api_prefix` in a canonical form: scheme and host in lower case, no fragment, no trailing
 * `/` on the path (the query, if any, kept). Undefined when it is not an http(s) URL with a host.
 */
export function normaliseApiPrefix(prefix: string): string | undefined {
  const parts = splitUrl(prefix);
  if (parts === undefined) return undefined;
  const [path] = string.gsub(parts.path, "/+$", "");
  const userinfo = parts.userinfo === undefined ? "" : `${parts.userinfo}@`;
  const port = parts.portText === "" ? "" : `:${parts.portText}`;
  const query = parts.query === undefined ? "" : `?${parts.query}`;
  return `${parts.scheme}://${userinfo}${bracketed(parts.host)}${port}${path}${query}`;
}

/** The URL of an event: the prefix's path, then `path`, then the prefix's query (if any). */
export function eventUrl(prefix: string, path: string): string {
  const [start] = string.find(prefix, "?", 1, true);
  if (start === undefined) return prefix + path;
  return string.sub(prefix, 1, start - 1) + path + string.sub(prefix, start);
}

/** Event URLs remembered at most (paths are a handful; a crashed run's records may bring others). */
const MAX_EVENT_URLS = 64;

/** `eventUrl` for each path, made once: a URL is longer than the strings Lua keeps unique, so each new one is an allocation. */
export class EventUrls {
  private readonly urls = new LuaMap<string, string>();
  private count = 0;

  of(prefix: string, path: string): string {
    let url = this.urls.get(path);
    if (url === undefined) {
      url = eventUrl(prefix, path);
      if (this.count < MAX_EVENT_URLS) {
        this.urls.set(path, url);
        this.count += 1;
      }
    }
    return url;
  }
}

/** What may be logged of a URL: scheme, host, port and path (no credentials, no query). */
export function describeUrl(url: string): string {
  const parsed = splitUrl(url);
  if (parsed === undefined) return "(not a valid http(s) URL)";
  const port = parsed.portText === "" ? (parsed.scheme === "https" ? "443" : "80") : parsed.portText;
  return `${parsed.scheme}://${bracketed(parsed.host)}:${port}${parsed.path === "" ? "/" : parsed.path}`;
}

export function parseHttpUrl(url: string): ParsedUrl | undefined {
  const parts = splitUrl(url);
  if (parts === undefined) return undefined;
  const { scheme, host } = parts;
  const defaultPort = scheme === "https" ? 443 : 80;
  const port = parts.portText === "" ? defaultPort : (tonumber(parts.portText) ?? defaultPort);
  const path = parts.path === "" ? "/" : parts.path;
  const target = parts.query === undefined ? path : `${path}?${parts.query}`;
  const hostForHeader = bracketed(host);
  const hostHeader = port === defaultPort ? hostForHeader : `${hostForHeader}:${port}`;
  return {
    origin: {
      scheme,
      host,
      port,
      hostHeader,
      key: `${scheme}://${hostForHeader}:${port}`,
    },
    target,
    userinfo: parts.userinfo === undefined ? undefined : percentDecode(parts.userinfo),
    postHead: `POST ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\n`,
  };
}
