import { copyStringKeys } from "./lua_tables";

/** Who an occupant is, as far as the JWT told us (Jitsi's `jitsi_meet_context_user`). */
export interface Identity {
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
  /** Every key of the user context (`include_user_info = true`); absent otherwise. */
  readonly userInfo?: LuaMap<string, unknown>;
}

/** A claim as a string: strings as they are, numbers (numeric user ids) as text. */
function stringField(user: JitsiContextUser, key: "id" | "name" | "email"): string | undefined {
  const value: unknown = user[key];
  if (typeof value === "string") return value;
  return typeof value === "number" ? tostring(value) : undefined;
}

/**
 * Copies the seed's three identity fields from a session (text only),
 * and the whole user context when `includeUserInfo` is on.
 */
export function identityOf(session: ProsodySession | undefined, includeUserInfo: boolean): Identity | undefined {
  const user = session?.jitsi_meet_context_user;
  if (user === undefined || typeof user !== "object") return undefined;
  return {
    id: stringField(user, "id"),
    name: stringField(user, "name"),
    email: stringField(user, "email"),
    // a copy, so later changes to the session don't leak in
    userInfo: includeUserInfo ? copyStringKeys(user) : undefined,
  };
}
