/**
 * Prosody utility libraries (`util/*.lua`, 0.12).
 * @noSelfInFile
 */

declare module "util.array" {
  /**
   * Gives `items` the `util.array` metatable (in place) and returns it, so that `util.json`
   * encodes it as a JSON array even when it is empty (`util/array.lua` new_array).
   */
  function array<T>(this: void, items?: T[]): T[];
  export = array;
}

declare module "util.json" {
  /**
   * Encodes a Lua value as JSON. Tables with only string keys become objects, sequences and
   * `util.array` objects become arrays; an EMPTY plain table encodes as `{}`.
   */
  function encode(value: unknown): string;
  /** Decodes JSON; returns nil and an error message on bad input. */
  function decode(json: string): LuaMultiReturn<[unknown, undefined] | [undefined, string]>;
}

declare module "util.jid" {
  /** Splits `node@host/resource` into its three parts; absent parts are nil. */
  function split(jid: string): LuaMultiReturn<[string | undefined, string | undefined, string | undefined]>;
  /** The `node` part of a JID, or nil. */
  function node(jid: string): string | undefined;
  /** The `resource` part of a JID, or nil. */
  function resource(jid: string): string | undefined;
}
