/**
 * JSON text of a payload in a fraction of the Lua instructions of Prosody's util.json, and the
 * same text apart from the order of object keys (which JSON leaves free): strings with the same
 * escapes (`\"`, `\\`, `\b` `\f` `\n` `\r` `\t`, `\u00XX` for other control bytes; other bytes
 * as they are), numbers with `tostring` (the exact forms of json_values.ts survive), booleans,
 * util.json's `null`, util.array lists (util.json's list marker) as `[...]`. A table util.json
 * writes in its own way (number keys, mixed list and keys, `__array`/`__hash` keys, a marked
 * list with holes) is handed to util.json as it is. Pure: util.json's pieces are given.
 *
 * util.json builds a list of small strings with a `table.insert` per piece, copies each table
 * to sort its keys from its list items first, and escapes every string with a `gsub` over each
 * byte; here each key and value is one string in the output list, and a string is scanned once
 * for anything to escape.
 */

export interface JsonLibrary {
  /** util.json's encode, for what this encoder leaves to it. */
  readonly encode: (this: void, value: unknown) => string;
  /** util.json's `null`. */
  readonly null: object;
  /** The metatable util.json writes as a list (util.array's). */
  readonly arrayMeta: object | undefined;
}

const ESCAPES = new LuaMap<string, string>();
for (let byte = 0; byte < 32; byte++) ESCAPES.set(string.char(byte), string.format("\\u%04X", byte));
ESCAPES.set('"', '\\"');
ESCAPES.set("\\", "\\\\");
ESCAPES.set("\b", "\\b");
ESCAPES.set("\f", "\\f");
ESCAPES.set("\n", "\\n");
ESCAPES.set("\r", "\\r");
ESCAPES.set("\t", "\\t");
/** Bytes to escape (and DEL, which %c takes too: ESCAPES has no entry for it, so it stays). */
export const TO_ESCAPE = '[%c"\\]';

/** The inside of a JSON string for `text`: its escapes, without the quotes. */
export function escapedJson(text: string): string {
  const [escaped] = string.gsub(text, TO_ESCAPE, ESCAPES as unknown as Record<string, string>);
  return escaped;
}

/** A string as a JSON string. */
export function jsonString(text: string): string {
  if (string.find(text, TO_ESCAPE)[0] === undefined) return `"${text}"`;
  return `"${escapedJson(text)}"`;
}

/** Object keys as `"key":`, remembered for the keys payloads use again and again (bounded). */
const MAX_KEYS = 256;

export function createJsonEncoder(lib: JsonLibrary): (this: void, value: unknown) => string {
  const keys = new LuaMap<string, string>();
  let keyCount = 0;
  const keyText = (key: string): string => {
    let text = keys.get(key);
    if (text === undefined) {
      text = `${jsonString(key)}:`;
      if (keyCount < MAX_KEYS) {
        keys.set(key, text);
        keyCount += 1;
      }
    }
    return text;
  };

  /** A value's text, or undefined for what util.json leaves out of an object (functions…). */
  const valueText = (value: unknown): string | undefined => {
    const kind = type(value);
    if (kind === "string") return jsonString(value as string);
    if (kind === "number") return tostring(value);
    if (kind === "boolean") return value === true ? "true" : "false";
    if (kind !== "table") return undefined;
    if (value === lib.null) return "null";
    const table = value as LuaTable<AnyNotNil, unknown>;
    if (lib.arrayMeta !== undefined && getmetatable(table) === lib.arrayMeta) return listText(table);
    return objectText(table);
  };

  const listText = (list: LuaTable<AnyNotNil, unknown>): string => {
    if (list.get(1) === undefined) return next(list)[0] === undefined ? "[]" : lib.encode(list);
    const parts: string[] = [];
    for (const [, item] of ipairs(list as unknown as unknown[])) parts.push(valueText(item) ?? "null");
    return `[${parts.join(",")}]`;
  };

  const objectText = (object: LuaTable<AnyNotNil, unknown>): string => {
    const parts = new LuaTable<number, string>();
    let n = 0;
    for (const [key, item] of pairs(object)) {
      let prefix = keys.get(key as string); // only string keys of ours are there
      if (prefix === undefined) {
        if (typeof key !== "string" || key === "__array" || key === "__hash") return lib.encode(object);
        prefix = keyText(key);
      }
      // Strings and numbers, most of a payload, without a call to valueText.
      let text: string | undefined;
      if (typeof item === "string") text = string.find(item, TO_ESCAPE)[0] === undefined ? `"${item}"` : jsonString(item);
      else if (typeof item === "number") text = tostring(item);
      else text = valueText(item);
      if (text !== undefined) {
        n += 1;
        parts.set(n, prefix + text);
      }
    }
    return `{${table.concat(parts as unknown as string[], ",")}}`;
  };

  return (value) => valueText(value) ?? "null";
}
