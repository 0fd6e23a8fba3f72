/**
 * Reads the API's HTTP/1.1 answers off a connection, for both transports. Only the status and a
 * few headers matter: bodies are read and thrown away (never held in memory), up to a bound.
 *
 * Why not Prosody's `net.http.parser`: it returns 1xx interim answers (100, 102, 103) as if
 * they were final, takes a 301 for bodiless (its body is then read as the next answer), fails
 * a 2xx whose body is over its size limit, and holds each body in memory. Pure.
 */

import { contentLength, isChunked, parseHead, ResponseHead } from "./http_head";

export type { ResponseHead } from "./http_head";

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
