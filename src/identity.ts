import { boundedCopy, CopyLimits, numberText, truncateUtf8 } from "./json_values";
import {
  MAX_CLAIM_BYTES,
  MAX_CLAIM_KEY_BYTES,
  MAX_USER_INFO_BYTES,
  MAX_USER_INFO_DEPTH,
  MAX_USER_INFO_ENTRIES,
} from "./limits";

/** Who an occupant is, as far as the JWT told us (Jitsi's `jitsi_meet_context_user`). */
export interface Identity {
  readonly id?: string;
  readonly name?: string;
  readonly email?: string;
  /** The user context (`include_user_info = true`), copied within bounds; absent otherwise. */
  readonly userInfo?: LuaMap<string, unknown>;
  /** Estimated JSON bytes of the fields above. */
  readonly bytes: number;
}

const USER_INFO_LIMITS: CopyLimits = {
  maxEntries: MAX_USER_INFO_ENTRIES,
  maxDepth: MAX_USER_INFO_DEPTH,
  maxBytes: MAX_USER_INFO_BYTES,
  maxStringBytes: MAX_CLAIM_BYTES,
  maxKeyBytes: MAX_CLAIM_KEY_BYTES,
};

/**
 * A claim as a string, at most MAX_CLAIM_BYTES: strings as they are, numbers (numeric user
 * ids) as their exact decimal text on every Lua.
 */
function stringField(user: JitsiContextUser, key: "id" | "name" | "email"): string | undefined {
  const value: unknown = user[key];
  if (typeof value === "string") return truncateUtf8(value, MAX_CLAIM_BYTES);
  return typeof value === "number" ? numberText(value) : undefined;
}

const lengthOf = (text: string | undefined): number => (text === undefined ? 0 : text.length + 10);

/**
 * Copies the seed's three identity fields from a session (text only), and the user context
 * when `includeUserInfo` is on; both bounded (see limits.ts).
 */
export function identityOf(session: ProsodySession | undefined, includeUserInfo: boolean): Identity | undefined {
  const user = session?.jitsi_meet_context_user;
  if (user === undefined || typeof user !== "object") return undefined;
  const id = stringField(user, "id");
  const name = stringField(user, "name");
  const email = stringField(user, "email");
  // a copy, so later changes to the session don't leak in
  const userInfo = includeUserInfo ? boundedCopy(user, USER_INFO_LIMITS) : undefined;
  return { id, name, email, userInfo: userInfo?.value, bytes: lengthOf(id) + lengthOf(name) + lengthOf(email) + (userInfo?.bytes ?? 0) };
}

interface CachedIdentity {
  readonly user: JitsiContextUser | undefined;
  readonly identity: Identity | undefined;
}

/**
 * One identity per session: a session's joins and nick changes share one copy (made again
 * only when the session's user context is replaced). Sessions are weak keys: a closed session
 * is let go.
 */
export class IdentityCache {
  private readonly bySession = setmetatable(new LuaTable<ProsodySession, CachedIdentity>(), { __mode: "k" });

  constructor(private readonly includeUserInfo: boolean) {}

  of(session: ProsodySession | undefined): Identity | undefined {
    if (session === undefined) return undefined;
    const user = session.jitsi_meet_context_user;
    const cached = this.bySession.get(session);
    if (cached !== undefined && cached.user === user) return cached.identity;
    const identity = identityOf(session, this.includeUserInfo);
    this.bySession.set(session, { user, identity });
    return identity;
  }
}

/** An identity kept in storage (the seed's three fields only); undefined when it has none. */
export function storedIdentity(stored: { readonly id?: string; readonly name?: string; readonly email?: string }): Identity | undefined {
  // Text only: a damaged record must not put a number or table where a payload has text.
  const id = typeof stored.id === "string" ? stored.id : undefined;
  const name = typeof stored.name === "string" ? stored.name : undefined;
  const email = typeof stored.email === "string" ? stored.email : undefined;
  if (id === undefined && name === undefined && email === undefined) return undefined;
  return { id, name, email, bytes: 0 };
}
