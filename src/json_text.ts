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
import { jsonString } from "./json_encode";

/** Bytes a JSON string must escape (json_encode.ts's set). */
const TO_ESCAPE = '[%c"\\]';

const parts = new LuaTable<number, string>();
let count = 0;
/** A piece of this text is large (a request body in an outbox batch): let go of all at the end. */
let holdsLarge = false;
/** Pieces longer than this are not kept once their text is made. */
const LARGE_PIECE = 1024;

/** Lets go of the pieces of the last text when one of them was large. */
function release(): void {
  if (!holdsLarge) return;
  for (let i = 1; i <= count; i++) parts.set(i, "");
  holdsLarge = false;
}

export function beginText(): void {
  release(); // a text given up half-way (an error) may have left its pieces
  count = 0;
}

/** A piece of JSON written as it is (punctuation, a key prefix such as `,"role":`, a number's text). */
export function put(piece: string): void {
  if (piece.length > LARGE_PIECE) holdsLarge = true;
  count += 1;
  parts.set(count, piece);
}

/** A JSON string value. */
export function putString(value: string): void {
  if (value.length > LARGE_PIECE) holdsLarge = true;
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

/** `prefix` (e.g. `,"role":`) and a string value; nothing when the value is absent. */
export function putStringField(prefix: string, value: string | undefined): void {
  if (value === undefined) return;
  if (value.length > LARGE_PIECE) holdsLarge = true;
  // putString inlined: this runs for most fields of every webhook.
  if (string.find(value, TO_ESCAPE)[0] === undefined) {
    parts.set(count + 1, prefix);
    parts.set(count + 2, '"');
    parts.set(count + 3, value);
    parts.set(count + 4, '"');
    count += 4;
  } else {
    parts.set(count + 1, prefix);
    parts.set(count + 2, jsonString(value));
    count += 2;
  }
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
  parts.set(count + 1, prefix);
  parts.set(count + 2, tostring(value));
  count += 2;
}

/**
 * The text written since `beginText`. Small pieces stay in the table until overwritten (cheaper
 * than clearing them); a text with a large piece (a request body) is cleared, so that bodies
 * are not held after their events are delivered.
 */
export function endText(): string {
  const text = table.concat(parts as unknown as string[], "", 1, count);
  release();
  count = 0;
  return text;
}
