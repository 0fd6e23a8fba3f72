-- TEST-ONLY Prosody module: creates accounts on its VirtualHost when it loads, so the
-- end-to-end suite can log in as Jitsi's service accounts (Jicofo's `focus@auth.<domain>`,
-- Jibri's `recorder@recorder.<domain>`, ...). Never install it on a server.
--   test_accounts = { focus = "password", ... }
-- Load it on a VirtualHost with `authentication = "internal_plain"`.

local usermanager = require "core.usermanager";

for username, password in pairs(module:get_option("test_accounts", {})) do
	if not usermanager.user_exists(username, module.host) then
		local ok, err = usermanager.create_user(username, password, module.host);
		if not ok then module:log("error", "Could not create %s: %s", username, tostring(err)); end
	end
end
