/** Splits an http(s) URL into what a connection pool needs. Pure. */

export interface Origin {
  readonly scheme: "http" | "https";
  /** Host name or IP (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The `Host` header: host, plus the port when it is not the scheme's default. */
  readonly hostHeader: string;
  /** `scheme://host:port`: connections are pooled per key. */
  readonly key: string;
}

export interface ParsedUrl {
  readonly origin: Origin;
  /** Path and query, at least `/`. */
  readonly target: string;
  /** `user:password` written before `@` in the URL, if any (a secret: never log it). */
  readonly userinfo?: string;
}

export function parseHttpUrl(url: string): ParsedUrl | undefined {
  const [schemeRaw, rest] = string.match(url, "^([Hh][Tt][Tt][Pp][Ss]?)://(.*)$");
  if (schemeRaw === undefined || rest === undefined) return undefined;
  const scheme = string.lower(schemeRaw) === "https" ? "https" : "http";
  const [authorityPart, pathPart] = string.match(rest, "^([^/?#]*)(.*)$");
  if (authorityPart === undefined) return undefined;
  const [userinfo, hostPart] = string.match(authorityPart, "^(.*)@([^@]*)$");
  const authority = hostPart ?? authorityPart;
  if (authority === "") return undefined;
  let host: string | undefined;
  let portText: string | undefined;
  if (string.sub(authority, 1, 1) === "[") {
    [host, portText] = string.match(authority, "^%[([^%]]+)%]:?(%d*)$");
  } else {
    [host, portText] = string.match(authority, "^([^:]+):?(%d*)$");
  }
  if (host === undefined) return undefined;
  const defaultPort = scheme === "https" ? 443 : 80;
  const port = portText === undefined || portText === "" ? defaultPort : (tonumber(portText) ?? defaultPort);
  const [withoutFragment] = string.gsub(pathPart ?? "", "#.*$", "");
  const target = withoutFragment === "" ? "/" : string.sub(withoutFragment, 1, 1) === "?" ? `/${withoutFragment}` : withoutFragment;
  const hostForHeader = string.find(host, ":", 1, true)[0] !== undefined ? `[${host}]` : host;
  return {
    origin: {
      scheme,
      host,
      port,
      hostHeader: port === defaultPort ? hostForHeader : `${hostForHeader}:${port}`,
      key: `${scheme}://${hostForHeader}:${port}`,
    },
    target,
    userinfo,
  };
}

/** The URL with any `user:password@` replaced by `***@`, for logs. */
export function redactUrl(url: string): string {
  const [redacted] = string.gsub(url, "^(%a+://)[^/?#]*@", "%1***@");
  return redacted;
}
