/**
 * Prosody's storage API (`core/storagemanager.lua`): what `module:open_store` returns. The
 * backend is the operator's `storage` setting: `internal` files (`mod_storage_internal`, one file
 * per key) or `sql` (`mod_storage_sql`, SQLite, PostgreSQL or MySQL through LuaDBI). Every call
 * is synchronous: an SQL query blocks Prosody's only thread while it runs.
 */

/** A keyval store: one table value per key (Prosody calls the key "user"). */
interface ProsodyKeyvalStore {
  /** The table under `key`; nil when there is none, nil and an error text when the backend failed. */
  get(key: string): LuaMultiReturn<[object | undefined, string | undefined]>;
  /**
   * Writes `value` under `key`; nil (or an empty table) removes the key. Returns true, or nil
   * and an error text. `mod_storage_sql` raises an error for a value it cannot serialize.
   */
  set(key: string, value: object | undefined): LuaMultiReturn<[true | undefined, string | undefined]>;
  /** Iterates the keys that hold a value; `mod_storage_sql` raises an error when the query fails. */
  users(): LuaIterable<string>;
}
