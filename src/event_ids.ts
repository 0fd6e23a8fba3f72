/**
 * Event ids: random (version 4) UUIDs from the same secure source as Prosody's util.uuid
 * (util.random: the kernel's generator), read 16 ids' worth at a time and written with one
 * `string.format`, where util.uuid makes six reads and six hex encodings per id. Pure: the
 * random source is given.
 */

/** Ids' worth of random bytes read at once. */
const IDS_PER_READ = 16;

export function createIdSource(randomBytes: (this: void, count: number) => string): (this: void) => string {
  let bytes = "";
  let at = 1;
  return () => {
    if (at + 15 > bytes.length) {
      bytes = randomBytes(16 * IDS_PER_READ);
      at = 1;
    }
    const [b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16] = string.byte(bytes, at, at + 15);
    at += 16;
    // Version 4 in the high nibble of byte 7, the RFC 4122 variant (10xx) in byte 9.
    return string.format(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b1, b2, b3, b4, b5, b6, (b7 % 16) + 0x40, b8, (b9 % 64) + 0x80, b10, b11, b12, b13, b14, b15, b16,
    );
  };
}
