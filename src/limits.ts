/**
 * Bounds on what participants (and their tokens) can make the module keep and send. Each is
 * documented in README (Security, and the payload sections); change them together.
 */

/** Bytes of one string copied from a JWT user context (name, email, id and every context value). */
export const MAX_CLAIM_BYTES = 512;
/** Bytes of a key of the user context; longer keys are left out (cutting them could merge two). */
export const MAX_CLAIM_KEY_BYTES = 64;
/** Entries (keys and list items, at every level) copied from one user context. */
export const MAX_USER_INFO_ENTRIES = 64;
/** Levels of the user context copied: the user object is level 1; deeper tables are left out. */
export const MAX_USER_INFO_DEPTH = 4;
/** Bytes (keys and strings, ~8 per other value) copied from one user context; the rest is left out. */
export const MAX_USER_INFO_BYTES = 4096;

/** People listed in a room's `all_occupants`; later ones are only counted (`all_occupants_omitted`). */
export const MAX_ALL_OCCUPANTS = 1000;
/** Estimated JSON bytes of a room's `all_occupants`; past it people are only counted, as above. */
export const MAX_ALL_OCCUPANTS_BYTES = 256 * 1024;

/** Bytes of request bodies waiting for the API, in all; past it the oldest events are dropped. */
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;
