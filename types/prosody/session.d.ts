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

/**
 * `resource-bind` (fired on the session's VirtualHost by `sessionmanager.bind_resource`, 0.12
 * and 13) once a client session has bound its resource: it is logged in and can now send
 * stanzas (a Jitsi Meet client joins its conference right after).
 */
interface ResourceBindEvent {
  readonly session: ProsodySession;
}

/**
 * `resource-unbind` (fired on the session's VirtualHost by `sessionmanager.destroy_session`,
 * 0.12 and 13) just before mod_presence sends the unavailable presence of a session that
 * ended. `error` is `false` when the client closed its stream, a string when the session ended
 * with an error (then that presence says `Disconnected: <error>`), nil when the connection
 * just went away (or the server closed it without a reason).
 */
interface ResourceUnbindEvent {
  readonly session: ProsodySession;
  readonly error?: string | false;
}
