/** Small helpers for Lua tables that come from outside (sessions, rooms' `_data`). Pure. */

/** A shallow copy of a table's string-keyed entries; undefined when `value` is not a table. */
export function copyStringKeys(value: unknown): LuaMap<string, unknown> | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const copy = new LuaMap<string, unknown>();
  for (const [key, item] of pairs(value as LuaTable<AnyNotNil, unknown>)) {
    if (typeof key === "string") copy.set(key, item);
  }
  return copy;
}
