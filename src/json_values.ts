/**
 * Values from outside (JWT user contexts) made safe to send: numbers written exactly on every
 * Lua, strings cut at a byte bound without splitting a UTF-8 character, tables copied within
 * a budget. Pure.
 *
 * Prosody's util.json writes a number with `tostring`: 14 significant digits on Lua 5.1, 5.2
 * and LuaJIT (123456789012345 → 1.2345678901234e+14), `42.0` for an integral float on 5.3+,
 * and `inf`/`nan` (invalid JSON) for what `1e999` in a token decodes to.
 */

/** `math.type` and `math.tointeger` exist from Lua 5.3 on. */
const luaMath = math as unknown as {
  readonly type?: (this: void, x: number) => string | undefined;
  readonly tointeger?: (this: void, x: number) => number | undefined;
};

function isFiniteNumber(n: number): boolean {
  return n === n && n !== math.huge && n !== -math.huge;
}

/**
 * A number as exact decimal text: integers in full (`123456789012345`, `42` for a float 42),
 * other numbers in the fewest digits that read back as the same number. Undefined for
 * infinities and NaN.
 */
export function numberText(n: number): string | undefined {
  if (!isFiniteNumber(n)) return undefined;
  if (luaMath.type?.(n) === "integer") return string.format("%d", n);
  if (n === math.floor(n)) return string.format("%.0f", n); // every integral double, digit for digit
  for (const digits of [14, 15, 16]) {
    const text = string.format(`%.${digits}g`, n);
    if (tonumber(text) === n) return text;
  }
  return string.format("%.17g", n);
}

/**
 * A number as util.json will write it exactly: an integral float becomes an integer where Lua
 * has them (5.3+); a number `tostring` would not write exactly becomes its exact text (a
 * string); infinities and NaN become undefined (left out).
 */
export function jsonNumber(n: number): number | string | undefined {
  if (!isFiniteNumber(n)) return undefined;
  if (luaMath.type?.(n) === "integer") return n;
  if (n === math.floor(n) && luaMath.tointeger !== undefined) {
    const integer = luaMath.tointeger(n);
    if (integer !== undefined) return integer;
  }
  return tonumber(tostring(n)) === n ? n : numberText(n);
}

/** `text` cut to at most `maxBytes` bytes, never inside a UTF-8 sequence. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length <= maxBytes) return text;
  let start = maxBytes; // the first byte of the last character that starts within the bound
  while (start > 1) {
    const byte = string.byte(text, start);
    if (byte < 0x80 || byte >= 0xc0) break;
    start -= 1;
  }
  const lead = string.byte(text, start);
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return string.sub(text, 1, start + length - 1 > maxBytes ? start - 1 : maxBytes);
}

export interface CopyLimits {
  readonly maxEntries: number;
  readonly maxDepth: number;
  readonly maxBytes: number;
  readonly maxStringBytes: number;
  readonly maxKeyBytes: number;
}

/** A bounded copy and its estimated JSON size in bytes. */
export interface BoundedCopy {
  readonly value: LuaMap<string, unknown>;
  readonly bytes: number;
}

interface Budget {
  entries: number;
  bytes: number;
  /** Keys looked at, copied or not: a table of unusable keys costs bounded time too. */
  visits: number;
}

/**
 * A copy of the string-keyed entries of `source` (a JWT user context) and what they hold,
 * within `limits`: strings cut, numbers made exact (see `jsonNumber`), entries past a bound
 * left out. A table's metatable is kept, so lists util.json (or cjson) decoded stay lists,
 * `[]` included; an empty table with a metatable (util.json's `null`, an empty list) is
 * shared as it is.
 */
export function boundedCopy(source: object, limits: CopyLimits): BoundedCopy {
  const budget: Budget = { entries: limits.maxEntries, bytes: limits.maxBytes, visits: 4 * limits.maxEntries };
  const value = copyTable(source, 1, limits, budget, true) as LuaMap<string, unknown>;
  return { value, bytes: limits.maxBytes - budget.bytes };
}

function copyValue(value: unknown, depth: number, limits: CopyLimits, budget: Budget): unknown {
  if (typeof value === "string") {
    const text = truncateUtf8(value, limits.maxStringBytes);
    return spend(budget, text.length + 3) ? text : undefined;
  }
  if (typeof value === "number") {
    const exact = jsonNumber(value);
    return exact !== undefined && spend(budget, 8) ? exact : undefined;
  }
  if (typeof value === "boolean") return spend(budget, 6) ? value : undefined;
  if (typeof value === "object" && value !== null && depth < limits.maxDepth) {
    return copyTable(value, depth + 1, limits, budget, false);
  }
  return undefined; // functions, userdata, tables too deep
}

function spend(budget: Budget, bytes: number): boolean {
  if (budget.bytes < bytes) return false;
  budget.bytes -= bytes;
  return true;
}

function copyTable(source: object, depth: number, limits: CopyLimits, budget: Budget, stringKeysOnly: boolean): unknown {
  const table = source as LuaTable<AnyNotNil, unknown>;
  const meta = getmetatable(table);
  if (meta !== undefined && next(table)[0] === undefined) return spend(budget, 4) ? table : undefined;
  if (!spend(budget, 2)) return undefined;
  const copy = new LuaTable<AnyNotNil, unknown>();
  if (!stringKeysOnly) {
    for (let i = 1; budget.entries > 0 && table.get(i) !== undefined; i++) {
      budget.entries -= 1;
      const item = copyValue(table.get(i), depth, limits, budget);
      if (item === undefined) break; // a list keeps no holes
      copy.set(i, item);
    }
  }
  for (const [key, item] of pairs(table)) {
    budget.visits -= 1;
    if (budget.entries <= 0 || budget.visits < 0) break;
    if (typeof key === "string" && key.length <= limits.maxKeyBytes && spend(budget, key.length + 3)) {
      budget.entries -= 1;
      const copied = copyValue(item, depth, limits, budget);
      if (copied !== undefined) copy.set(key, copied);
    }
  }
  if (type(meta) === "table") setmetatable(copy, meta as LuaMetatable<object>); // a `__metatable` string is not copied
  return copy;
}
