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
  export function encode(value: unknown): string;
  /** The value a JSON text describes; undefined (and an error) when it is not JSON. */
  export function decode(text: string): unknown;
  /** The value util.json writes as `null` (and decodes `null` to). */
  const null_: object;
  export { null_ as null };
}

declare module "util.random" {
  /** `count` bytes from the kernel's secure generator (`util/random.lua`, or util.crand). */
  function bytes(count: number): string;
}

declare module "util.uuid" {
  /** A random (version 4) UUID, e.g. `"0c4ba1c2-…"` (`util/uuid.lua`). */
  function generate(): string;
}

declare module "util.time" {
  /** Current Unix time in seconds with sub-second precision (C module `util/time.so`). */
  function now(): number;
  /** Seconds of a clock that never goes back (0.12 and later). */
  const monotonic: ((this: void) => number) | undefined;
}

declare module "util.hashes" {
  /** Raw (binary) HMAC-SHA256 of `message` under `key`; hex when `hex` is true (C module). */
  function hmac_sha256(key: string, message: string, hex?: boolean): string;
}

declare module "util.encodings" {
  /** Standard base64 with padding (C module `util/encodings.so`). */
  const base64: {
    encode(this: void, data: string): string;
    decode(this: void, data: string): string;
  };
}

declare module "util.async" {
  /** True when running inside a `util.async` runner, where `waiter` may pause (`util/async.lua` ready). */
  function ready(): boolean;
  /**
   * Returns `wait` and `done`: `wait()` pauses the current runner until `done()` has been called
   * `n` times (default 1); with `allow_many`, extra `done()` calls are not an error.
   */
  function waiter(n?: number, allow_many?: boolean): LuaMultiReturn<[wait: () => void, done: () => void]>;
}
