/** Who an occupant is, as far as the JWT told us (Jitsi's `jitsi_meet_context_user`). */
export interface Identity {
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
}

function stringField(user: JitsiContextUser, key: "id" | "name" | "email"): string | undefined {
  const value = user[key];
  return typeof value === "string" ? value : undefined;
}

/** Copies the seed's three identity fields from a session, ignoring anything not a string. */
export function identityOf(session: ProsodySession | undefined): Identity | undefined {
  const user = session?.jitsi_meet_context_user;
  if (user === undefined || typeof user !== "object") return undefined;
  return { id: stringField(user, "id"), name: stringField(user, "name"), email: stringField(user, "email") };
}
