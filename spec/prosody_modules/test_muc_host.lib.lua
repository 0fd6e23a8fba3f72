-- TEST-ONLY library for the test modules here (`module:require "test_muc_host"` loads it into
-- the calling module's environment): calls `callback(muc_module, host_module)` once `host` is
-- active and its MUC is loaded, whichever comes first in the config.
return function (name, callback)
	local function with_muc(host)
		local host_module = module:context(host);
		local muc_module = prosody.hosts[host].modules.muc;
		if muc_module then
			callback(muc_module, host_module);
			return;
		end
		prosody.hosts[host].events.add_handler("module-loaded", function (event)
			if event.module == "muc" then callback(prosody.hosts[host].modules.muc, host_module); end
		end);
	end
	if prosody.hosts[name] == nil then
		prosody.events.add_handler("host-activated", function (host)
			if host == name then with_muc(host); end
		end);
	else
		with_muc(name);
	end
end
