-- TEST-ONLY Prosody module: proves where a host's storage goes. On each load it reads a counter
-- from its keyval store `event_sync_probe` (key `boots`), adds one, writes it back and logs
-- `storage probe: boot <n> on <host> (<storage>)`, or the error. Never install it on a server.
-- Load it on a VirtualHost (startProsody's `extraModules: ["test_storage_probe"]`).

local store = module:open_store("event_sync_probe");
local storage = module:get_option("storage", "internal");
if type(storage) == "table" then storage = storage.event_sync_probe or "internal"; end

local record, read_err = store:get("boots");
if read_err then
	module:log("error", "storage probe: read failed on %s: %s", module.host, tostring(read_err));
else
	local boots = (type(record) == "table" and tonumber(record.count) or 0) + 1;
	local ok, write_err = store:set("boots", { count = boots });
	if ok then
		module:log("info", "storage probe: boot %d on %s (%s)", boots, module.host, tostring(storage));
	else
		module:log("error", "storage probe: write failed on %s: %s", module.host, tostring(write_err));
	end
end
