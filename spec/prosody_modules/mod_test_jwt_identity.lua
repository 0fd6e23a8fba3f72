-- TEST-ONLY Prosody module: does what Jitsi's token authentication does for identity, so the
-- end-to-end suite can check the name/email/id event_sync reports. Never install it on a server.
--
-- Jitsi (jitsi-meet resources/prosody-plugins/mod_auth_token.lua and token/util.lib.lua) takes
-- the `token` query parameter of the BOSH/websocket URL, verifies the JWT and copies the
-- token's `context.user` onto the session as `jitsi_meet_context_user`. Here:
--   * a websocket connection with a valid HS256 token (signed with `test_jwt_secret`) gets
--     `session.jitsi_meet_context_user = claims.context.user`;
--   * a connection with a bad token (wrong signature, malformed, expired) is refused at SASL
--     with <not-authorized/>, so identity cannot be forged;
--   * a connection without a token is an anonymous guest with no identity.
-- Load it on the VirtualHost next to `authentication = "anonymous"`.

local jwt = require "util.jwt";
local formdecode = require "util.http".formdecode;
local st = require "util.stanza";

local secret = module:get_option_string("test_jwt_secret");
if not secret then
	module:log_status("error", "option 'test_jwt_secret' is required");
	return;
end

local function token_from_query(query)
	if not query then return nil; end
	local params = formdecode(query);
	return type(params) == "table" and params.token or nil;
end

local function check(token)
	local ok, claims = jwt.verify(secret, token);
	if not ok then return nil, tostring(claims); end
	if type(claims) ~= "table" then return nil, "no claims"; end
	if type(claims.exp) == "number" and claims.exp < os.time() then return nil, "expired"; end
	local context = claims.context;
	local user = type(context) == "table" and context.user or nil;
	if type(user) ~= "table" then return nil, "no context.user"; end
	return user;
end

-- mod_websocket is a global module in Prosody 0.12 (module:set_global()): it fires
-- "websocket-session" on the global event bus, before the stream names a host. Jitsi's
-- mod_auth_token hooks it the same way (module:hook_global).
module:hook_global("websocket-session", function (event)
	local session, request = event.session, event.request;
	local token = token_from_query(request.url and request.url.query);
	if not token then return; end
	local user, err = check(token);
	if user then
		session.jitsi_meet_context_user = user;
	else
		session.test_jwt_rejected = err;
	end
end);

-- Runs before mod_saslauth's handler: a session with a rejected token never authenticates.
module:hook("stanza/urn:ietf:params:xml:ns:xmpp-sasl:auth", function (event)
	local session = event.origin;
	if session.test_jwt_rejected then
		session.log("info", "Refusing authentication: bad token (%s)", session.test_jwt_rejected);
		session.send(st.stanza("failure", { xmlns = "urn:ietf:params:xml:ns:xmpp-sasl" }):tag("not-authorized"));
		return true;
	end
end, 10);
