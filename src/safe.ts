/**
 * Runs our code where an error must never escape into Prosody: hook handlers, timer and
 * HTTP callbacks. An error is logged with its traceback and swallowed.
 */
import { Log } from "./delivery/types";

export function guarded<A extends unknown[]>(
  log: Log,
  what: string,
  fn: (this: void, ...args: A) => void,
): (this: void, ...args: A) => undefined {
  return (...args: A) => {
    const [ok, err] = xpcall(() => fn(...args), debug.traceback);
    if (!ok) log("error", "Error in %s: %s", what, tostring(err));
    return undefined;
  };
}
