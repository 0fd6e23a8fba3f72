-- TEST-ONLY Prosody module: adds `event_sync_test:hello()` and `event_sync_test:host_hello(host)` to
-- Prosody's admin shell (`prosodyctl shell`), the way a third-party module does it on each
-- version, so the end-to-end suite can prove spec/e2e/helpers/shell.ts reaches such commands.
-- Never install it on a server. Load it globally: `modules_enabled = { "test_shell_command" }`
-- (with mod_admin_shell: startProsody's `adminShell: true`).
--
-- Prosody 13: `module:add_item("shell-command", { section, section_desc, name, desc, args,
--   host_selector?, handler })`, picked up by mod_admin_shell (its `handle_items`); from a
--   global module the command takes no host; from a host module (`module.add_host` here) it
--   needs `host_selector` naming the arg that carries the host, and mod_admin_shell calls the
--   handler of the module loaded on that host, on hosts mod_admin_shell itself is loaded on
--   (not a Component: see mod_test_component_shell_command.lua). Items go away when the module
--   unloads. `prosodyctl shell event_sync_test hello` also works (help metadata).
-- Prosody 0.12: no items. mod_admin_shell (a global module) evaluates each line as Lua in an
--   environment whose globals come from its shared table `module:shared("env")`, reachable from
--   any module as `module:shared("/*/admin_shell/env")`: a table put there as
--   `env.event_sync_test` is a section, its functions are commands. Remove it on unload.
-- Both: a line `event_sync_test:hello()` calls `hello(self)` where `self.session.print(...)`
--   sends an output line, and returning `true, "text"` ends with `OK: text` (`nil, "text"`:
--   `Error: text`, an error exit of prosodyctl shell).

module:set_global();

local version_major = tonumber(tostring(prosody.version):match("^(%d+)%."));
local has_shell_items = (version_major ~= nil and version_major >= 13) or package.loaded["prosody.core.moduleapi"] ~= nil;

local SECTION = "event_sync_test";
local SECTION_DESC = "event_sync test-only commands";

local function hello(self)
	self.session.print("hello from event_sync_test on Prosody " .. tostring(prosody.version));
	return true, "said hello";
end

local function host_hello(self, host)
	self.session.print("hello from " .. tostring(host));
	return true, "said hello on " .. tostring(host);
end

if has_shell_items then
	module:add_item("shell-command", {
		section = SECTION;
		section_desc = SECTION_DESC;
		name = "hello";
		desc = "Say hello (proves third-party shell commands work)";
		args = {};
		handler = hello;
	});
	function module.add_host(host_module)
		host_module:add_item("shell-command", {
			section = SECTION;
			section_desc = SECTION_DESC;
			name = "host_hello";
			desc = "Say hello from the module loaded on a host";
			args = { { name = "host", type = "string" } };
			host_selector = "host";
			handler = host_hello;
		});
	end
else
	local env = module:shared("/*/admin_shell/env");
	local loaded_on = {};
	env[SECTION] = {
		hello = hello;
		host_hello = function (self, host)
			if not loaded_on[host] then
				return nil, "This command is not available on " .. tostring(host);
			end
			return host_hello(self, host);
		end;
	};
	function module.add_host(host_module)
		loaded_on[host_module.host] = true;
	end
	function module.remove_host(host_module)
		loaded_on[host_module.host] = nil;
	end
	function module.unload()
		env[SECTION] = nil;
	end
end
