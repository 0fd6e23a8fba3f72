/**
 * A client-to-server session (`modules/mod_c2s.lua`), as far as event_sync reads it.
 */

/**
 * The user context Jitsi's token authentication (`mod_auth_token` / `token/util.lib.lua`)
 * copies from the JWT's `context.user` claim onto the session.
 */
interface JitsiContextUser {
  /** Whatever the token said: not checked by Prosody, so any JSON value. */
  readonly id?: unknown;
  readonly name?: unknown;
  readonly email?: unknown;
  readonly [key: string]: unknown;
}

interface ProsodySession {
  /** `"c2s"` for an authenticated client, `"c2s_unauthed"` before SASL, etc. */
  readonly type?: string;
  /** The session's full JID once resource binding is done. */
  readonly full_jid?: string;
  /** Set by Jitsi's token auth when the client logged in with a JWT; absent otherwise. */
  readonly jitsi_meet_context_user?: JitsiContextUser;
}
