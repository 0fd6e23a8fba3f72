/**
 * A raw TCP "HTTP server" for answers a real server library would not give: interim 1xx
 * answers, a 301 with a body, huge bodies, and strictly one request at a time per connection
 * (a pipelined request is read only after the previous one was answered). Also a plain
 * listener that only records what it receives (for the https-downgrade test).
 */
import { AddressInfo, createServer, Server, Socket } from "node:net";

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Header names lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Parsed JSON body (undefined when not JSON). */
  readonly json: any;
  /** The client's TCP port: requests sharing it came over one connection. */
  readonly remotePort: number;
  /** Date.now() when the request was read (its turn came). */
  readonly readAt: number;
}

/** Writes the answer to `request` on `socket`; resolves once written. */
export type RawHandler = (request: RawRequest, socket: Socket) => Promise<void> | void;

export interface RawServer {
  readonly port: number;
  readonly requests: RawRequest[];
  /** Every byte received, over all connections, as latin1. */
  received(): string;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Splits the first complete request off `buffer`, or undefined when it is not all there. */
function takeRequest(buffer: Buffer): { head: string; body: Buffer; rest: Buffer } | undefined {
  const end = buffer.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const head = buffer.subarray(0, end).toString("latin1");
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const length = match ? Number(match[1]) : 0;
  if (buffer.length < end + 4 + length) return undefined;
  return { head, body: buffer.subarray(end + 4, end + 4 + length), rest: buffer.subarray(end + 4 + length) };
}

function parse(head: string, body: Buffer, remotePort: number): RawRequest {
  const [requestLine, ...lines] = head.split("\r\n");
  const [method = "", path = ""] = (requestLine ?? "").split(" ");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  const text = body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { method, path, headers, body: text, json, remotePort, readAt: Date.now() };
}

/**
 * Listens on `host` (default 127.0.0.1). With a handler, reads requests one at a time per
 * connection and lets the handler answer each; without, only records bytes.
 */
export async function startRawServer(handler?: RawHandler, host = "127.0.0.1"): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffer: Buffer = Buffer.alloc(0);
    let busy = false;
    const next = async (): Promise<void> => {
      if (busy || handler === undefined) return;
      const taken = takeRequest(buffer);
      if (taken === undefined) return;
      busy = true;
      buffer = taken.rest;
      const request = parse(taken.head, taken.body, socket.remotePort ?? 0);
      requests.push(request);
      await handler(request, socket);
      busy = false;
      if (!socket.destroyed) void next();
    };
    socket.on("data", (data: Buffer) => {
      chunks.push(data);
      buffer = Buffer.concat([buffer, data]);
      void next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    received: () => Buffer.concat(chunks).toString("latin1"),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `data` and resolves once the socket took it (or died). */
export function send(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(data, () => resolve());
  });
}

/** An answer with a Content-Length body. */
export function answer(status: number, body = "", headers: Record<string, string> = {}): string {
  const lines = [`HTTP/1.1 ${status} Status`, `Content-Length: ${Buffer.byteLength(body)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}
