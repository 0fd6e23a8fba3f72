/** The small part of @xmpp/client 0.14 (untyped, ESM-only) the e2e helpers use. */
declare module "@xmpp/client" {
  import { EventEmitter } from "node:events";

  export interface Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    toString(): string;
  }

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }

  export interface ClientOptions {
    service: string;
    domain?: string;
    resource?: string;
    username?: string;
    password?: string;
    timeout?: number;
  }

  export interface Client extends EventEmitter {
    jid: JID | null;
    status: string;
    timeout: number;
    start(): Promise<JID>;
    stop(): Promise<unknown>;
    send(...elements: Element[]): Promise<void>;
    reconnect: { stop(): void };
    iqCaller: { request(element: Element, timeout?: number): Promise<Element> };
  }

  export function client(options: ClientOptions): Client;
  export function xml(name: string, attrs?: Record<string, string | undefined> | null, ...children: (Element | string)[]): Element;
  export function jid(value: string): JID;
}
