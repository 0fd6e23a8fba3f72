/**
 * An HTTP/1.1 answer's head (status line and headers), read in place in the reader's buffer.
 * Every pattern here runs in time linear in the bytes: an API (or whoever sits between it and
 * us) must not be able to make one answer cost Prosody's only thread seconds of pattern
 * backtracking. Pure.
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

/**
 * One header line, matched where it starts (its LF) in the buffer: name (a token), colon,
 * value (blanks around it included: see `trimmed`), the line's CR, and the position after
 * that CR.
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
export function parseHead(buffer: string, last: number): ResponseHead | string {
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
export function contentLength(value: string): number | string {
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
export function isChunked(transferEncoding: string): boolean {
  if (transferEncoding === "chunked") return true; // as nearly every server writes it
  let last = transferEncoding.length;
  while (last > 0 && isSeparator(string.byte(transferEncoding, last))) last -= 1;
  let first = last;
  while (first > 1 && !isSeparator(string.byte(transferEncoding, first - 1))) first -= 1;
  return last > 0 && string.lower(string.sub(transferEncoding, first, last)) === "chunked";
}

