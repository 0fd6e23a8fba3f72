/**
 * Writes a JSON text piece by piece into one reused table and makes the string once, with a
 * single `table.concat`. The generated Lua of `a + b + c` makes a new string at every `+`
 * (`(a .. b) .. c`), so a text built that way is copied once per piece, and every copy is
 * work for the garbage collector, which Prosody runs almost continuously (its default pause is
 * 105%): what the module allocates per webhook costs the server more than what it executes.
 * Values that need no escaping go in as they are, between quote pieces: no string is made for
 * them at all. Pure.
 *
 * One text at a time: `beginText`, then the pieces, then `endText`, with nothing in between
 * that writes another text (the writers here are small and synchronous).
 */
import { escapedJson, jsonString, TO_ESCAPE } from "./json_encode";


let parts = new LuaTable<number, string>();
let count = 0;
/** This text holds large pieces (request bodies, in an outbox batch): let go of all at the end. */
let holdsLarge = false;

/** Lets go of the pieces of the last text when it held large ones (a fresh table: no clearing loop). */
function release(): void {
  if (!holdsLarge) return;
  parts = new LuaTable();
  holdsLarge = false;
}

/** Starts a text; `large`: it will hold large pieces (bodies), not to be kept once it is made. */
export function beginText(large = false): void {
  release(); // a text given up half-way (an error) may have left its pieces
  count = 0;
  holdsLarge = large;
}

/** A piece of JSON written as it is (punctuation, a key prefix such as `,"role":`, a number's text). */
export function put(piece: string): void {
  const n = count + 1;
  parts.set(n, piece);
  count = n;
}

/** A JSON string value. */
export function putString(value: string): void {
  if (string.find(value, TO_ESCAPE)[0] === undefined) {
    parts.set(count + 1, '"');
    parts.set(count + 2, value);
    parts.set(count + 3, '"');
    count += 3;
  } else {
    count += 1;
    parts.set(count, jsonString(value));
  }
}

/**
 * `opening` (a key prefix with the value's opening quote, e.g. `,"role":"`), a string value and
 * its closing quote; nothing when the value is absent. (This runs for most fields of every
 * webhook: putString inlined, the counter kept in a local.)
 */
export function putStringField(opening: string, value: string | undefined): void {
  if (value === undefined) return;
  const n = count;
  parts.set(n + 1, opening);
  parts.set(n + 2, string.find(value, TO_ESCAPE)[0] === undefined ? value : escapedJson(value));
  parts.set(n + 3, '"');
  count = n + 3;
}

/**
 * `opening` (a prefix ending in `"`, e.g. `,"event_id":"`), a value known to need no escaping
 * (one this module made: an event name, an event id), and the closing quote.
 */
export function putPlainStringField(opening: string, value: string): void {
  parts.set(count + 1, opening);
  parts.set(count + 2, value);
  parts.set(count + 3, '"');
  count += 3;
}

/** `prefix` and a number (written as `tostring` writes it, like the encoder); nothing when absent. */
export function putNumberField(prefix: string, value: number | undefined): void {
  if (value === undefined) return;
  const n = count;
  parts.set(n + 1, prefix);
  parts.set(n + 2, tostring(value));
  count = n + 2;
}

/**
 * The text written since `beginText`. Small pieces stay in the table until overwritten (cheaper
 * than clearing them); a text begun as `large` is cleared, so that bodies are not held after
 * their events are delivered.
 */
export function endText(): string {
  const text = table.concat(parts as unknown as string[], "", 1, count);
  release();
  count = 0;
  return text;
}
