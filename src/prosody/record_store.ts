/**
 * `RecordStore` on Prosody's keyval storage (`module:open_store(name, "keyval")`), whichever
 * backend the operator configured. Every call is guarded: a backend that fails or raises
 * (a full disk, a read-only data directory, the SQL server down) comes back as an error text.
 */
import { RecordStore } from "../delivery/outbox_records";

function errorText(err: unknown): string {
  return tostring(err ?? "unknown storage error");
}

export function openRecordStore<R extends object>(name: string): RecordStore<R> | string {
  let store: ProsodyKeyvalStore | undefined;
  let openError: string | undefined;
  const [opened, raised] = pcall(() => {
    [store, openError] = module.open_store(name, "keyval");
  });
  if (!opened) return errorText(raised);
  if (store === undefined) return errorText(openError);
  const keyval = store;
  return {
    set(key, record) {
      const [ok, result] = pcall(() => {
        const [written, err] = keyval.set(key, record);
        return written === true ? undefined : errorText(err);
      });
      return ok ? result : errorText(result);
    },
    keys() {
      const [ok, result] = pcall(() => {
        const keys: string[] = [];
        for (const key of keyval.users()) keys.push(key);
        return keys;
      });
      return ok ? { keys: result } : { error: errorText(result) };
    },
    get(key) {
      const [ok, result] = pcall(() => {
        const [value, err] = keyval.get(key);
        return value === undefined && err !== undefined ? { error: errorText(err) } : { record: value as R | undefined };
      });
      return ok ? result : { error: errorText(result) };
    },
  };
}
