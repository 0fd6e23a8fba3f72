-- TEST-ONLY Prosody module: the admin-shell recipe for a module loaded on a Component (as
-- event_sync is), one code path on Prosody 0.12 and 13. Never install it on a server.
-- Load it in the Component block: `modules_enabled = { "test_component_shell_command" }`.
--
-- Why not 13's `module:add_item("shell-command", …)` here: mod_admin_shell picks up a host
-- module's items only on hosts it is loaded on (its `module.add_host`), and a Component does not
-- inherit the global `modules_enabled`, so the command never appears — unless the component
-- also does `module:depends("admin_shell")` (which opens the admin socket even where the
-- operator did not enable the shell; 0.12 would still need the table below).
-- Instead: a section table in mod_admin_shell's shared environment (`def_env`, both versions),
-- with 13's help metadata in its metatable (`help event_sync_test_component` and
-- `prosodyctl shell event_sync_test_component status [host]` then work on 13; 0.12 ignores it).
-- Each host's instance registers itself in a shared table so one section serves them all.

local SECTION = "event_sync_test_component";
local env = module:shared("/*/admin_shell/env");
local instances = module:shared("/*/" .. SECTION .. "/instances");
instances[module.host] = module;

local function host_names()
	local names = {};
	for name in pairs(instances) do names[#names + 1] = name; end
	table.sort(names);
	return names;
end

-- The instance on `host`, or the only one when no host is named.
local function pick(host)
	if host ~= nil then return instances[host]; end
	local names = host_names();
	if #names == 1 then return instances[names[1]]; end
end

env[SECTION] = setmetatable({
	status = function (self, host)
		local instance = pick(host);
		if instance == nil then
			return nil, "name one of the hosts running this module: " .. table.concat(host_names(), ", ");
		end
		self.session.print("status of " .. instance.host);
		return true, "1 host";
	end;
}, { help = { desc = "event_sync test-only component commands", commands = {
	status = { desc = "Show the status of the module on a host", args = { { name = "host" } } };
} } });

function module.unload()
	instances[module.host] = nil;
	if next(instances) == nil then env[SECTION] = nil; end
end
