-- Bench-only: counts the Lua VM instructions Prosody executes, and how many of them run while
-- mod_event_sync_component is on the stack (its hooks, timers and socket callbacks, with every
-- library they call: util.json, net.server writes, ...). A count hook fires every `period`
-- instructions on the main thread and in every coroutine created after load (util.async
-- runners, where Prosody 0.12 and 13 process client stanzas and so run MUC hooks); each firing
-- adds `period` to the total and, when a frame of the module is found on that thread's stack,
-- to the module's share. Instructions are what the code does, not how long the machine took:
-- the figure does not move with the host's load. Never load this on a real server: the hook
-- slows all of Prosody down.
--
--   GET /bench_lua_cost  ->  {"total":…,"ours":…,"period":…}   (counts since load)
local json = require "util.json";

local period = module:get_option_number("bench_lua_cost_period", 1000);
local target = module:get_option_string("bench_lua_cost_source", "mod_event_sync_component.lua");
-- The per-function profile walks the whole stack at each sample: it slows Prosody further, and a
-- slower Prosody has more events waiting at each outbox write round (so more of them written).
local profiling = module:get_option_boolean("bench_lua_cost_profile", false);
-- With bench_lua_cost_alloc the counts are bytes allocated instead (bench/run.ts --alloc): the
-- GC is stopped, and at each firing the heap's growth since the previous one is added to the
-- total, and to the module's share when its frame is on the stack. Attribution is per window
-- of `period` instructions, so allocation just before the module was entered can count as its
-- own: an estimate, biased upwards, for comparing versions of the module.
local allocating = module:get_option_boolean("bench_lua_cost_alloc", false);

local shared = module:shared("counts");
shared.total = shared.total or 0;
shared.ours = shared.ours or 0;

local getinfo, sethook, find = debug.getinfo, debug.sethook, string.find;
local cache = {}; -- source -> is it the module's file

local function is_ours(source)
	local known = cache[source];
	if known == nil then
		known = find(source, target, 1, true) ~= nil;
		cache[source] = known;
	end
	return known;
end

-- The profile (GET /bench_lua_cost/profile): for the samples counted as ours, `self` per function
-- running when the hook fired (`file:line` where it is defined, C functions by name), and per
-- innermost function of the module on the stack (`ours`, what it ran, callees included), and the
-- pairs `module function > running function`. Lua counts the hook's own instructions towards
-- the next firing, so the hook stays short: the profile adds a few percent, walking the whole
-- stack at each sample would more than double the figures.
shared.profile = shared.profile or {};
local profile = shared.profile;

local function key_of(info)
	if info.what == "C" then return "[C] " .. tostring(info.name or "?") end
	return info.short_src .. ":" .. info.linedefined;
end

local weight = period; -- what one firing counts: `period` instructions, or the bytes allocated since the last
local last_kb = 0;
if allocating then
	collectgarbage("stop");
	last_kb = collectgarbage("count");
end

local function add(key, field)
	local entry = profile[key];
	if entry == nil then
		entry = { self = 0, ours = 0 };
		profile[key] = entry;
	end
	entry[field] = entry[field] + weight;
end

-- `level` is the module's innermost frame, as seen from count().
local function record(ours_info)
	local running = key_of(getinfo(3, "Sn"));
	local ours = key_of(ours_info);
	add(running, "self");
	add(ours, "ours");
	add(ours .. " > " .. running, "ours");
end

local function count()
	if allocating then
		local kb = collectgarbage("count");
		weight = (kb - last_kb) * 1024;
	end
	shared.total = shared.total + weight;
	local level = 2;
	while true do
		local info = getinfo(level, profiling and "Sn" or "S");
		if info == nil then break end
		if is_ours(info.source) then
			shared.ours = shared.ours + weight;
			if profiling then record(info) end
			break;
		end
		level = level + 1;
	end
	if allocating then last_kb = collectgarbage("count") end -- the hook's own allocation left out
end

if not shared.installed then
	shared.installed = true;
	-- Modules may be loaded from inside a coroutine (Prosody's startup runs in one): the server
	-- loop runs on the main thread, which Lua 5.2+ keeps at index 1 of the registry.
	local main = debug.getregistry()[1];
	if type(main) == "thread" then
		sethook(main, count, "", period);
	end
	sethook(count, "", period);
	local create = coroutine.create;
	coroutine.create = function (f) -- luacheck: ignore 122
		local co = create(f);
		sethook(co, count, "", period);
		return co;
	end;
	local resume = coroutine.resume;
	local function pass(ok, ...)
		if not ok then error((...), 0) end
		return ...;
	end
	coroutine.wrap = function (f) -- luacheck: ignore 122
		local co = create(f);
		sethook(co, count, "", period);
		return function (...)
			return pass(resume(co, ...));
		end;
	end;
end

module:depends("http");
module:provides("http", {
	default_path = "/bench_lua_cost";
	route = {
		GET = function (event)
			event.response.headers.content_type = "application/json";
			return json.encode({ total = shared.total, ours = shared.ours, period = period });
		end;
		["GET /profile"] = function (event)
			event.response.headers.content_type = "application/json";
			local rows = {};
			for key, entry in pairs(profile) do
				rows[#rows + 1] = { fn = key, self = entry.self, total = entry.ours };
			end
			table.sort(rows, function (a, b) return a.total > b.total end);
			return json.encode(rows);
		end;
	};
});
