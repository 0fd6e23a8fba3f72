/** Small helpers for Lua tables that come from outside (sessions, rooms' `_data`). Pure. */
import { jsonNumber } from "./json_values";

/**
 * A shallow copy of a table's string-keyed entries; undefined when `value` is not a table.
 * Numbers are made exact for util.json (see `jsonNumber`; infinities and NaN, which would make
 * the body invalid JSON, are left out).
 */
export function copyStringKeys(value: unknown): LuaMap<string, unknown> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const copy = new LuaMap<string, unknown>();
  for (const [key, item] of pairs(value as LuaTable<AnyNotNil, unknown>)) {
    if (typeof key === "string") copy.set(key, typeof item === "number" ? jsonNumber(item) : item);
  }
  return copy;
}
