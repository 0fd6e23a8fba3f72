/**
 * Reads the API's HTTP/1.1 answers off a connection, for both transports. Only the status and a
 * few headers matter: bodies are read and thrown away (never held in memory), up to a bound.
 *
 * Why not Prosody's `net.http.parser`: it returns 1xx interim answers (100, 102, 103) as if
 * they were final, takes a 301 for bodiless (its body is then read as the next answer), fails
 * a 2xx whose body is over its size limit, and holds each body in memory. Pure.
 */

/**
 * A final answer's status line and the headers this module reads (names in any case; a
 * repeated header's values joined with ","). The others are checked for syntax and skipped.
 */
export interface ResponseHead {
  readonly code: number;
  /** "1.0" or "1.1". */
  readonly httpVersion: string;
  readonly contentLength?: string;
  readonly transferEncoding?: string;
  readonly connection?: string;
  readonly retryAfter?: string;
}

export interface ResponseEvents {
  /** A final answer was read to its end; `untilClose`: its body ran until the connection closed. */
  readonly complete: (this: void, head: ResponseHead, untilClose: boolean) => void;
  /**
   * Nothing more can be read from this connection. `head`: the answer being read when it
   * happened, when its status line and headers had arrived (its status still counts).
   */
  readonly fail: (this: void, reason: string, head: ResponseHead | undefined) => void;
}

export interface ResponseReader {
  /** Bytes received; undefined at the end of the stream. */
  feed(this: void, data: string | undefined): void;
  /** The final answer whose body is being read, if any. */
  current(this: void): ResponseHead | undefined;
}

/** Status line and headers at most. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Body bytes read (and thrown away) at most per answer; past it the connection is given up. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A chunk-size line or trailer line at most. */
const MAX_LINE_BYTES = 1024;

type State = "head" | "length" | "chunk-size" | "chunk-data" | "chunk-end" | "trailers" | "until-close" | "failed";

/**
 * One header line, matched where it starts (its LF) in the buffer: name (a token), colon,
 * value (blanks around it included: see `trimmed`), the line's CR, and the position after
 * that CR. Every pattern here runs in linear time: an API (or whoever sits between it and us)
 * must not be able to make one answer cost Prosody seconds of pattern backtracking.
 */
const HEADER_LINE = "^\n([!#$%%&'*+%-.^_`|~%w]+):([^\r\n]*)\r()";
const STATUS_LINE = "^HTTP/(1%.[01]) (%d%d%d)[^\r\n]*()";
const LF = 10;
const CR = 13;

/** `string.match` for the two patterns above: two captures, then a position capture. */
const matchLine = string.match as unknown as (
  this: void,
  text: string,
  pattern: string,
  init?: number,
) => LuaMultiReturn<[string | undefined, string | undefined, number | undefined]>;

type HeadDraft = { -readonly [K in keyof ResponseHead]: ResponseHead[K] };

/** The headers the module reads, by lower-case name. */
const READ_HEADERS = new LuaMap<string, "contentLength" | "transferEncoding" | "connection" | "retryAfter">();
READ_HEADERS.set("content-length", "contentLength");
READ_HEADERS.set("transfer-encoding", "transferEncoding");
READ_HEADERS.set("connection", "connection");
READ_HEADERS.set("retry-after", "retryAfter");

const joined = (before: string | undefined, value: string): string => (before === undefined ? value : `${before},${value}`);

/**
 * The head at the start of `buffer`, whose last line's CR is at `last` (the blank line follows).
 * Read in place, line by line: no copy of the head, no table of every header (an answer is
 * read for every webhook, and what it allocates the garbage collector pays for).
 */
function parseHead(buffer: string, last: number): ResponseHead | string {
  const [version, codeText, statusEnd] = matchLine(buffer, STATUS_LINE);
  if (version === undefined || codeText === undefined || statusEnd === undefined || statusEnd > last) return "invalid-status-line";
  const head: HeadDraft = { code: tonumber(codeText) ?? 0, httpVersion: version };
  // The LF that starts the next line, or past the head (a bare LF ending the status line is taken).
  let at = string.byte(buffer, statusEnd) === CR ? statusEnd + 1 : statusEnd;
  while (at <= last) {
    const [name, value, next] = matchLine(buffer, HEADER_LINE, at);
    // (With a name, the value and the position are there too.)
    if (name === undefined || next! > last + 1 || (next! <= last && string.byte(buffer, next!) !== LF)) return "invalid-header-line";
    const field = READ_HEADERS.get(string.lower(name));
    if (field !== undefined) head[field] = joined(head[field], trimmed(value!));
    at = next!;
  }
  return head;
}

/** The body's length from `Content-Length` (repeated equal values allowed), or a reason. */
function contentLength(value: string): number | string {
  const [single] = string.match(value, "^(%d+)$");
  if (single !== undefined && single.length <= 15) return tonumber(single) ?? "invalid-content-length";
  let length: number | undefined;
  for (const [item] of string.gmatch(value, "[^,]+")) {
    const [digits] = string.match(item, "^[ \t]*(%d+)[ \t]*$");
    const n = digits === undefined || digits.length > 15 ? undefined : tonumber(digits);
    if (n === undefined || (length !== undefined && n !== length)) return "invalid-content-length";
    length = n;
  }
  return length ?? "invalid-content-length";
}

const SPACE = 32;
const TAB = 9;
const COMMA = 44;

/** A header value without the blanks around it, in one pass from each end (no backtracking). */
function trimmed(value: string): string {
  const lastByte = string.byte(value, value.length);
  if (lastByte !== SPACE && lastByte !== TAB && string.byte(value, 1) === SPACE) {
    const second = string.byte(value, 2);
    if (second !== SPACE && second !== TAB) return string.sub(value, 2); // "Name: value", as usual
  }
  const [first] = string.find(value, "[^ \t]");
  if (first === undefined) return "";
  let last = value.length;
  for (let byte = string.byte(value, last); byte === SPACE || byte === TAB; byte = string.byte(value, last)) last -= 1;
  return string.sub(value, first, last);
}

const isSeparator = (byte: number): boolean => byte === COMMA || byte === SPACE || byte === TAB;

/** Whether the last coding of a Transfer-Encoding value is `chunked` (any case), read from the end. */
function isChunked(transferEncoding: string): boolean {
  if (transferEncoding === "chunked") return true; // as nearly every server writes it
  let last = transferEncoding.length;
  while (last > 0 && isSeparator(string.byte(transferEncoding, last))) last -= 1;
  let first = last;
  while (first > 1 && !isSeparator(string.byte(transferEncoding, first - 1))) first -= 1;
  return last > 0 && string.lower(string.sub(transferEncoding, first, last)) === "chunked";
}

export function createResponseReader(events: ResponseEvents, maxBody = MAX_BODY_BYTES): ResponseReader {
  let state: State = "head";
  let buffer = "";
  let head: ResponseHead | undefined;
  /** Body bytes still to read (Content-Length or current chunk). */
  let remaining = 0;
  let bodyRead = 0;

  const fail = (reason: string): void => {
    const known = head;
    state = "failed";
    buffer = "";
    head = undefined;
    events.fail(reason, known);
  };

  const complete = (untilClose: boolean): void => {
    const done = head;
    state = "head";
    head = undefined;
    if (done !== undefined) events.complete(done, untilClose);
  };

  /** Starts an answer once its head is in; false when the reader failed. */
  const begin = (parsed: ResponseHead): void => {
    if (parsed.code >= 100 && parsed.code < 200) {
      // Interim (100 Continue, 102 Processing, 103 Early Hints): the final answer follows.
      // 101 would switch protocols, which we never ask for.
      if (parsed.code === 101) fail("unexpected 101 Switching Protocols");
      return;
    }
    head = parsed;
    bodyRead = 0;
    const transferEncoding = parsed.transferEncoding;
    const length = parsed.contentLength;
    if (parsed.code === 204 || parsed.code === 304) complete(false);
    else if (transferEncoding !== undefined) state = isChunked(transferEncoding) ? "chunk-size" : "until-close";
    else if (length !== undefined) {
      const n = contentLength(length);
      if (typeof n === "string") fail(n);
      else if (n === 0) complete(false);
      else {
        remaining = n;
        state = "length";
      }
    } else state = "until-close";
  };

  /** Throws away up to `remaining` body bytes from the buffer; false when over the bound. */
  const discard = (upTo: number): boolean => {
    const take = math.min(upTo, buffer.length);
    buffer = string.sub(buffer, take + 1);
    remaining -= take;
    bodyRead += take;
    if (bodyRead > maxBody) {
      fail("body-too-large");
      return false;
    }
    return true;
  };

  /** Reads a CRLF-terminated line, or undefined when it has not all arrived (or is too long). */
  const line = (): string | undefined => {
    const [at] = string.find(buffer, "\r\n", 1, true);
    if (at === undefined) {
      if (buffer.length > MAX_LINE_BYTES) fail("line-too-long");
      return undefined;
    }
    const text = string.sub(buffer, 1, at - 1);
    buffer = string.sub(buffer, at + 2);
    return text;
  };

  /**
   * A whole small chunked body already here, as most APIs answer (`2\r\n{}\r\n0\r\n\r\n`):
   * one chunk without extension, then the last chunk without trailers, read in one step.
   */
  const wholeSmallBody = (): boolean => {
    const [, sizeEnd, hex] = string.find(buffer, "^(%x%x?%x?%x?)\r\n");
    if (hex === undefined || sizeEnd === undefined) return false;
    const size = tonumber(hex, 16) ?? 0;
    const dataEnd = sizeEnd + size;
    if (size === 0 || bodyRead + size > maxBody || string.sub(buffer, dataEnd + 1, dataEnd + 7) !== "\r\n0\r\n\r\n") return false;
    buffer = string.sub(buffer, dataEnd + 8);
    bodyRead += size;
    complete(false);
    return true;
  };

  /** Runs the state machine over the buffer; false when it needs more bytes (or failed). */
  const step = (): boolean => {
    if (state === "head") {
      const [at] = string.find(buffer, "\r\n\r\n", 1, true);
      if (at === undefined) {
        if (buffer.length > MAX_HEAD_BYTES) fail("header-too-large");
        return false;
      }
      if (at > MAX_HEAD_BYTES) {
        fail("header-too-large");
        return false;
      }
      const parsed = parseHead(buffer, at);
      buffer = string.sub(buffer, at + 4);
      if (typeof parsed === "string") fail(parsed);
      else begin(parsed);
    } else if (state === "length" || state === "chunk-data") {
      if (!discard(remaining)) return false;
      if (remaining > 0) return false;
      if (state === "length") complete(false);
      else state = "chunk-end";
    } else if (state === "chunk-size") {
      if (wholeSmallBody()) return true;
      const text = line();
      if (text === undefined) return false;
      const [hex, extension] = string.match(text, "^(%x+)[ \t]*(.*)$");
      if (hex === undefined || hex.length > 12 || (extension !== "" && string.sub(extension ?? "", 1, 1) !== ";")) fail("invalid-chunk-size");
      else {
        remaining = tonumber(hex, 16) ?? 0;
        state = remaining === 0 ? "trailers" : "chunk-data";
      }
    } else if (state === "chunk-end") {
      if (buffer.length < 2) return false;
      if (string.sub(buffer, 1, 2) !== "\r\n") fail("invalid-chunk-end");
      else {
        buffer = string.sub(buffer, 3);
        state = "chunk-size";
      }
    } else if (state === "trailers") {
      const text = line();
      if (text === undefined) return false;
      if (text === "") complete(false);
    } else if (state === "until-close") {
      discard(buffer.length);
      return false;
    } else return false;
    return (state as State) !== "failed"; // fail() may have run
  };

  return {
    feed(data) {
      if (state === "failed") return;
      if (data === undefined) {
        if (state === "until-close") complete(true);
        else if (state !== "head" || buffer !== "") fail("unexpected-eof");
        else fail("connection closed");
        return;
      }
      buffer += data;
      while (buffer !== "") {
        if (!step()) return;
      }
    },
    current: () => head,
  };
}
