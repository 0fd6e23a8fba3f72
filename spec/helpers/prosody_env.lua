-- A fake Prosody 0.12 module environment for the busted specs.
--
-- It loads the BUILT file (dist/mod_event_sync_component.lua), exactly what operators install,
-- with Prosody's own loader (util.envload), inside a fresh environment whose `module` is a
-- fake of core/moduleapi.lua that records what the module does and lets a spec drive it:
--
--   local prosody_env = require "spec.helpers.prosody_env"
--   local p = prosody_env.new({ options = { ... }, hosts = { "conference.example.com" } })
--   p:fire("conference.example.com", "muc-occupant-joined", event)  -- handlers by priority
--   p.requests[1].url / .headers / .body / :json()                    -- fake net.http
--   p:respond(1, 200) ; p:fail(1, "connection refused")
--   p:advance(1)                                                       -- manual clock + timers
--   p:run_next_timer()                                                 -- clock to the next timer
--   p.random = function() return 0 end                                -- math.random() (jitter)
--   p.metrics["pending"].value / .history                              -- module:measure
--   p.logs / p.statuses ; p:unload() ; local p2 = p:reload()
--   p:hook_other(host, event, handler, priority)                       -- another module's hook
--   local scans = p:set_live_rooms(host, { room, ... })                -- mod_muc's live_rooms()
--
-- Faithful to Prosody where it matters: timer handles need `:stop()` (timer_methods:stop uses
-- self.id), a timer callback does not run once its module is unloaded (moduleapi.lua
-- timer_callback), `module:context(host)` is the same metatable trick as moduleapi.lua, a hook
-- placed on a host that is not active lands on the global events (as `api:hook` does), and
-- `module.save`/`restore`/`unload` are called without `self` (modulemanager.lua).

local PROSODY_LUA = "/usr/lib/prosody/?.lua"
local PROSODY_SO = "/usr/lib/prosody/?.so"
if not package.path:find(PROSODY_LUA, 1, true) then
	package.path = PROSODY_LUA .. ";" .. package.path
end
if not package.cpath:find(PROSODY_SO, 1, true) then
	package.cpath = package.cpath .. ";" .. PROSODY_SO
end

local M = {}

local function script_dir()
	local source = debug.getinfo(1, "S").source
	return (source:sub(2):match("^(.*)/spec/helpers/[^/]*$")) or "."
end

M.ROOT = script_dir()
-- EVENT_SYNC_DIST lets a mutation check point the specs at a modified copy of the built file.
M.DIST = os.getenv("EVENT_SYNC_DIST") or (M.ROOT .. "/dist/mod_event_sync_component.lua")
M.MUC = "conference.example.com"
M.COMPONENT = "event-sync.example.com"
M.BREAKOUT = "breakout.example.com"
M.PREFIX = "https://api.example.com/prosody"
M.START = 1700000000

---------------------------------------------------------------------------------------------
-- Prosody libraries. util.array and util.envload are pure Lua and load everywhere. util.json
-- needs util.iterators, which needs util.table (a C module). Debian's Prosody C modules are
-- built for Lua 5.4 only (on 5.2/5.3 the installed util.table still works; on 5.1 and LuaJIT
-- it fails with "undefined symbol: lua_rotate"). util.iterators only takes `pack` from it
-- (`table.pack or require "util.table".pack`; under busted, Penlight's compat already adds
-- table.pack on 5.1/LuaJIT), so if util.json does not load, a pure-Lua stand-in providing
-- `pack` is registered as util.table and the REAL util.json is loaded again: `[]` vs `{}` is
-- decided by Prosody's own encoder on every interpreter. Only if util.json still cannot load does a minimal stand-in encoder (below) take
-- over; M.JSON_IMPL says which one is in use.
---------------------------------------------------------------------------------------------
local array = require "util.array"

local json, json_impl
do
	local ok, real = pcall(require, "util.json")
	if ok then
		json, json_impl = real, "util.json"
	else
		-- Lua 5.1 leaves a "loop or previous error" sentinel behind a failed require.
		package.loaded["util.json"], package.loaded["util.iterators"] = nil, nil
		if not pcall(require, "util.table") then
			-- Stand-in for Prosody's C util.table on Lua 5.1/LuaJIT (see above).
			package.loaded["util.table"] = {
				pack = function(...) return { n = select("#", ...), ... } end,
				create = function() return {} end,
			}
		end
		ok, real = pcall(require, "util.json")
		if ok then
			json, json_impl = real, "util.json (with a pure-Lua util.table.pack stand-in)"
		end
	end
end

if not json then
	-- Last-resort stand-in: encodes like util.json for what the module sends (tables marked by
	-- util.array as arrays, other tables as objects, numbers, strings, booleans); decodes
	-- through dkjson (lua-dkjson), which is installed for every Lua version.
	local dkjson = require "dkjson"
	local array_mt = getmetatable(array())
	local function encode(v)
		local t = type(v)
		if t == "table" then
			local out = {}
			if getmetatable(v) == array_mt then
				for i = 1, #v do out[i] = encode(v[i]) end
				return "[" .. table.concat(out, ",") .. "]"
			end
			for k, x in pairs(v) do out[#out + 1] = string.format("%q", tostring(k)) .. ":" .. encode(x) end
			return "{" .. table.concat(out, ",") .. "}"
		elseif t == "string" then
			return (string.format("%q", v):gsub("\\\n", "\\n"))
		else
			return tostring(v)
		end
	end
	json = { encode = encode, decode = function(s) return dkjson.decode(s) end }
	json_impl = "stand-in encoder + dkjson"
end
M.JSON_IMPL = json_impl
M.json = json

-- Prosody formats log lines with util.format (tolerant of odd arguments). It needs
-- util.encodings (C), so it loads on Lua 5.4 only; elsewhere string.format with tostring'd
-- %s arguments is used, which is what util.format does for the arguments the module passes.
local log_format
do
	local ok, fmt = pcall(require, "util.format")
	if ok then
		log_format = fmt.format
	else
		log_format = function(message, ...)
			local args = table.pack and table.pack(...) or { n = select("#", ...), ... }
			local i = 0
			for spec in message:gmatch("%%[%-%+ #0]*%d*%.?%d*(%a)") do
				i = i + 1
				if spec == "s" then args[i] = tostring(args[i]) end
			end
			return string.format(message, (table.unpack or unpack)(args, 1, args.n))
		end
	end
end

local envload_ok, envload = pcall(require, "util.envload")

--- Loads a file with `env` as its environment: Prosody's util.envload, else loadfile+setfenv
-- (5.1/LuaJIT) or load(..., env) (5.2+).
local function load_in_env(path, env)
	if envload_ok then return envload.envloadfile(path, env) end
	if setfenv then -- luacheck: ignore 113
		local f, err = loadfile(path)
		if f then setfenv(f, env) end -- luacheck: ignore 113
		return f, err
	end
	local fh, err = io.open(path)
	if not fh then return nil, err end
	local code = fh:read("*a")
	fh:close()
	return load(code, "@" .. path, "t", env)
end
M.LOADER = envload_ok and "util.envload" or "loadfile+setfenv"

local unpack = table.unpack or unpack -- luacheck: ignore 113

---------------------------------------------------------------------------------------------
-- The world: one clock, one timer list, one `hosts` table, shared by every module instance
-- (a reload creates a new instance in the same world, as in one Prosody process).
---------------------------------------------------------------------------------------------
--- A host object as hostmanager.activate builds it (the parts specs need): `modules` holds
-- each loaded module's environment by name (see Instance:set_live_rooms).
local function host_object(host)
	return { host = host, type = "component", modules = {} }
end

local function deep_copy(value)
	if type(value) ~= "table" then return value end
	local out = {}
	for k, v in pairs(value) do out[k] = deep_copy(v) end
	return out
end
M.deep_copy = deep_copy

local function new_world(opts)
	local world = { now = opts.now or M.START, timers = {}, seq = 0, hosts = {}, all_logs = {}, stubs = {}, stub_seq = 0,
		storage = {}, storage_writes = 0, writes_by_store = {}, shared = {}, full_sessions = {} }
	for _, host in ipairs(opts.hosts or { M.MUC }) do
		world.hosts[host] = host_object(host)
		-- every active host of a spec is a MUC (the main one or Jitsi's breakout component)
		M.install_mod_muc_stub(world, host)
	end
	M.install_mod_muc_stub(world, M.MUC)
	world.hosts[opts.host or M.COMPONENT] = host_object(opts.host or M.COMPONENT)
	return world
end

local Instance = {}
Instance.__index = Instance

--- Builds a fresh instance and loads the built module into it.
-- opts.options: the component's options (raw values, as module:get_option returns them);
-- opts.hosts: active hosts (default: the MUC host); opts.now: clock start (Unix seconds);
-- opts.host_options: { [host] = { [name] = value } } other hosts' options ("*": global);
-- opts.http_error: make net.http.request throw this error (e.g. https without LuaSec);
-- opts.random: what the module's math.random() returns (a function; default: always 0.5, i.e.
-- no retry jitter, so exponential waits are exactly api_retry_delay * 2^(n-1)); it can be
-- changed later through inst.random;
-- opts.modules: { [name] = table } returned by the module's require(name) instead of the real
-- library (e.g. a fixed util.uuid), on top of the fake net.http and util.time.
function M.new(opts, world)
	opts = opts or {}
	world = world or new_world(opts)
	local inst = setmetatable({
		opts = opts,
		world = world,
		hosts = world.hosts,
		logs = {},
		statuses = {},
		hooks = {}, -- hooks[host][event] = { {handler=, priority=, seq=}... }; "*" = global
		requests = {},
		destroyed = {},
		-- metrics[name] = { type =, conf =, count = (rate calls), value = (last amount), samples = {} }
		metrics = {},
		-- every math.random() call the module made, with what it got
		random_calls = {},
		random = opts.random or function() return 0.5 end,
		-- every name the module passed to require(), in order
		required = {},
	}, Instance)
	inst.options = opts.options or M.options()

	local timer_mt = { __index = {} }
	function timer_mt.__index:stop() -- Prosody: timer_methods:stop() -> timer.stop(self.id)
		assert(getmetatable(self) == timer_mt, "timer:stop() called without the timer as self")
		self.stopped = true
	end
	timer_mt.__index.disarm = timer_mt.__index.stop

	local hook_seq = 0
	local function record_hook(host, event, handler, priority)
		assert(type(handler) == "function", "hook " .. tostring(event) .. ": handler is not a function")
		hook_seq = hook_seq + 1
		inst.hooks[host] = inst.hooks[host] or {}
		local list = inst.hooks[host][event] or {}
		inst.hooks[host][event] = list
		list[#list + 1] = { handler = handler, priority = priority or 0, seq = hook_seq }
	end

	-- luacheck: push ignore 212/self
	local api = {}
	api.__index = api
	function api:get_option(name, default)
		if self.host ~= inst.module.host then
			-- Another host's options (e.g. the MUC's `admins`, "*" for the global ones): only
			-- what opts.host_options[host] sets; our own options are never read from there.
			local other = (opts.host_options or {})[self.host] or {}
			assert(inst.options[name] == nil or other[name] ~= nil, "option " .. name .. " read from another host's context")
			local value = other[name]
			if value == nil then value = default end
			return value
		end
		local value = inst.options[name]
		if value == nil then value = default end
		return value
	end
	function api:log(level, message, ...)
		local ok, text = pcall(log_format, message, ...)
		if not ok then text = message .. " <FORMAT ERROR: " .. tostring(text) .. ">" end
		local entry = { level = level, message = text, host = self.host, format_error = not ok }
		inst.logs[#inst.logs + 1] = entry
		world.all_logs[#world.all_logs + 1] = entry
	end
	function api:set_status(level, message)
		self.status_type, self.status_message = level, message
	end
	function api:log_status(level, message, ...)
		local ok, text = pcall(log_format, message, ...)
		inst.statuses[#inst.statuses + 1] = { level = level, message = ok and text or message }
		self:set_status(level, text)
		return self:log(level, message, ...)
	end
	function api:hook(event, handler, priority)
		-- moduleapi.lua: (hosts[self.host] or prosody).events
		record_hook(world.hosts[self.host] and self.host or "*", event, handler, priority)
	end
	function api:hook_global(event, handler, priority)
		record_hook("*", event, handler, priority)
	end
	function api:context(host)
		return setmetatable({ host = host or "*", global = "*" == host }, { __index = self, __newindex = self })
	end
	function api:add_timer(delay, callback, ...)
		assert(type(delay) == "number", "add_timer: delay is not a number")
		world.seq = world.seq + 1
		local t = { n = select("#", ...), ... }
		t.module_env, t.callback, t.due, t.seq = self, callback, world.now + delay, world.seq
		setmetatable(t, timer_mt)
		world.timers[#world.timers + 1] = t
		return t
	end
	function api:measure(name, stat_type, conf)
		-- core/statsmanager.lua legacy wrappers: rate counts calls, amount sets a gauge,
		-- distribution samples a value.
		assert(stat_type == "rate" or stat_type == "amount" or stat_type == "distribution",
			"measure " .. tostring(name) .. ": unexpected type " .. tostring(stat_type))
		assert(inst.metrics[name] == nil, "measure " .. tostring(name) .. " created twice")
		-- history: every value an amount was set to, in order (e.g. the pending gauge's peak)
		local m = { type = stat_type, conf = conf, count = 0, samples = {}, history = {} }
		inst.metrics[name] = m
		return function(v)
			if stat_type == "rate" then
				m.count = m.count + 1
			elseif stat_type == "amount" then
				m.value = v
				m.history[#m.history + 1] = v
			else
				m.samples[#m.samples + 1] = v
			end
		end
	end
	function api:shared(path)
		-- moduleapi.lua shared: an absolute path ("/*/admin_shell/env") is one table for every
		-- module on every host; a relative one is this module's on this host.
		local key = path:sub(1, 1) == "/" and path or ("/" .. self.host .. "/" .. inst.module.name .. "/" .. path)
		world.shared[key] = world.shared[key] or {}
		return world.shared[key]
	end
	function api:open_store(name, typ)
		assert(typ == "keyval", "open_store " .. tostring(name) .. ": unexpected type " .. tostring(typ))
		return M.keyval_store(world, self.host, name)
	end
	function api:fire_event() error("the module is not expected to fire events") end
	-- luacheck: pop

	local module = setmetatable({
		host = opts.host or M.COMPONENT,
		name = "event_sync_component",
		global = false,
		loaded = true,
		-- modulemanager.lua: true while a reload loads the new instance
		reloading = opts.reloading,
	}, api)
	inst.module = module

	local http = {}
	function http.request(url, options, callback)
		if inst.opts.http_error then error(inst.opts.http_error) end
		local req = {
			index = #inst.requests + 1,
			url = url,
			options = options,
			headers = options and options.headers,
			body = options and options.body,
			callback = callback,
			sent_at = world.now,
			answered = false,
			destroyed = false,
		}
		inst.requests[req.index] = req
		return req
	end
	function http.destroy_request(req)
		req.destroyed = true
		inst.destroyed[#inst.destroyed + 1] = req
	end
	inst.http = http

	local real_os = os
	local fake_os = setmetatable({
		time = function(t)
			if t ~= nil then return real_os.time(t) end
			return math.floor(world.now)
		end,
	}, { __index = real_os })

	-- util.time is a C module (Lua 5.4 only here); the fake one follows the manual clock.
	local fake_time = { now = function() return world.now end }

	-- Prosody's networking (net.server needs a running Prosody): fakes for the keep-alive
	-- transport. net.connect records each connection attempt in inst.sockets; a spec plays
	-- the server with Instance:socket_connect / socket_send / socket_close / socket_fail.
	inst.sockets = {}
	inst.netfakes = {
		["net.connect"] = {
			connect = function(resolver, listeners, options, data)
				inst.sockets[#inst.sockets + 1] = {
					index = #inst.sockets + 1, resolver = resolver, listeners = listeners,
					options = options, data = data, written = {}, closed = false,
				}
			end,
		},
		["net.resolvers.basic"] = {
			new = function(host, port, conn_type, extra)
				return { host = host, port = port, conn_type = conn_type, extra = extra }
			end,
		},
		["net.http.parser"] = require "net.http.parser",
		["net.server"] = { get_backend = function() return inst.opts.net_backend or "epoll" end },
		["util.x509"] = { verify_identity = function(host, _, cert) return cert == "cert for " .. host end },
		["core.certmanager"] = {
			create_context = function(host, mode, overrides)
				return { fake_tls_context = true, host = host, mode = mode, overrides = overrides }
			end,
		},
	}

	local function env_require(name)
		inst.required[#inst.required + 1] = name
		if opts.modules and opts.modules[name] ~= nil then return opts.modules[name] end
		if name == "net.http" then return http end
		if name == "util.time" then return fake_time end
		-- configmanager.rawget: a host's own setting, without the global fallback
		if name == "core.configmanager" then
			return { rawget = function(host, key) return ((opts.host_options or {})[host] or {})[key] end }
		end
		if inst.netfakes[name] then return inst.netfakes[name] end
		return require(name)
	end

	-- The module's math.random() (retry jitter) is the instance's `random`, so that waits are
	-- deterministic; math.random(m[, n]) and everything else are the real math library.
	local real_math = math
	local fake_math = setmetatable({
		random = function(...)
			if select("#", ...) > 0 then return real_math.random(...) end
			local r = inst.random()
			inst.random_calls[#inst.random_calls + 1] = r
			return r
		end,
	}, { __index = real_math })

	local env = setmetatable({
		module = module,
		hosts = world.hosts,
		-- full_sessions: sessions by full JID (sessionmanager); a spec adds the ones it needs
		prosody = { hosts = world.hosts, full_sessions = world.full_sessions },
		require = env_require,
		os = fake_os,
		math = fake_math,
	}, { __index = _G })
	inst.env = env
	inst.env_keys = {}
	for k in pairs(env) do inst.env_keys[k] = true end

	world.instance = inst
	local chunk, err = load_in_env(M.DIST, env)
	assert(chunk, err)
	chunk()
	return inst
end

--- Default, valid options. The specs drive Prosody's net.http transport (the fake above);
-- the keep-alive transport (the default in production) has its own spec with fake sockets.
-- A keyval store as mod_storage_internal keeps it (core/storagemanager.lua API): values are
-- copied in and out (what a real backend serializes), an empty table or nil removes the key.
-- `world.storage_error = "disk full"` makes every call fail like a broken backend (nil, err);
-- `world.storage_raises = true` makes them raise instead (mod_storage_sql on a lost database);
-- `world.storage_refuses = function(store, key) return "error text" or nil end` fails some writes.
-- world.storage[host][store][key] is the stored value; world.storage_writes counts set() calls,
-- world.writes_by_store[store] those of one store.

function M.keyval_store(world, host, name)
	local function data()
		world.storage[host] = world.storage[host] or {}
		world.storage[host][name] = world.storage[host][name] or {}
		return world.storage[host][name]
	end
	local function broken(key)
		if world.storage_raises then error("database connection lost") end
		if world.storage_refuses then return world.storage_refuses(name, key) end
		return world.storage_error
	end
	local store = {}
	function store:get(key) -- luacheck: ignore 212/self
		local err = broken()
		if err then return nil, err end
		return deep_copy(data()[key])
	end
	function store:set(key, value) -- luacheck: ignore 212/self
		local err = broken(key)
		if err then return nil, err end
		world.storage_writes = world.storage_writes + 1
		world.writes_by_store[name] = (world.writes_by_store[name] or 0) + 1
		if value == nil or next(value) == nil then
			data()[key] = nil
		else
			data()[key] = deep_copy(value)
		end
		return true
	end
	function store:users() -- luacheck: ignore 212/self
		if world.storage_raises then error("database connection lost") end
		if world.storage_error then error(world.storage_error) end -- as mod_storage_sql's users() does
		local keys = {}
		for key in pairs(data()) do keys[#keys + 1] = key end
		local i = 0
		return function()
			i = i + 1
			return keys[i]
		end
	end
	return store
end

-- The specs' base options: net.http (the fake transport) and no durable outbox, whose write
-- timers would interleave with the delivery timers most specs step through; outbox_spec.lua
-- turns it on.
function M.options(extra)
	local o = { muc_component = M.MUC, api_prefix = M.PREFIX, api_keepalive = false, api_outbox = false }
	for k, v in pairs(extra or {}) do o[k] = v end
	return o
end

function Instance:now() return math.floor(self.world.now) end

--- The messages of the module's error statuses (module:log_status("error", ...)), in order.
function Instance:error_statuses()
	local out = {}
	for _, s in ipairs(self.statuses) do
		if s.level == "error" then out[#out + 1] = s.message end
	end
	return out
end

--- Moves the clock forward, running due timers in time order (a timer's callback may add
-- timers, which run too if due). A callback returning a number is rescheduled (util.timer).
function Instance:advance(seconds)
	return self:advance_to(self.world.now + (seconds or 0))
end

--- Like advance, to an absolute time (no floating-point drift from `target - now`).
function Instance:advance_to(target)
	local world = self.world
	while true do
		local best, best_i
		for i, t in ipairs(world.timers) do
			if t.due <= target and (not best or t.due < best.due or (t.due == best.due and t.seq < best.seq)) then
				best, best_i = t, i
			end
		end
		if not best then break end
		table.remove(world.timers, best_i)
		if best.due > world.now then world.now = best.due end
		if not best.stopped and best.module_env.loaded ~= false then
			local again = best.callback(world.now, unpack(best, 1, best.n))
			if type(again) == "number" then
				world.seq = world.seq + 1
				best.due, best.seq = world.now + again, world.seq
				world.timers[#world.timers + 1] = best
			end
		end
	end
	if target > world.now then world.now = target end
end

--- When the earliest armed timer is due (nil if none).
function Instance:next_due()
	local due
	for _, t in ipairs(self.world.timers) do
		if not t.stopped and t.module_env.loaded ~= false and (due == nil or t.due < due) then due = t.due end
	end
	return due
end

--- Moves the clock exactly to the earliest armed timer and runs it (and any due with it).
-- Returns how many seconds the clock moved.
function Instance:run_next_timer()
	local due = assert(self:next_due(), "run_next_timer: no armed timer")
	local before = self.world.now
	self:advance_to(due)
	return due - before
end

--- Timers still armed (not stopped, module still loaded).
function Instance:armed_timers()
	local n = 0
	for _, t in ipairs(self.world.timers) do
		if not t.stopped and t.module_env.loaded ~= false then n = n + 1 end
	end
	return n
end

function Instance:handlers(host, event)
	local list = {}
	for _, h in ipairs((self.hooks[host] or {})[event] or {}) do list[#list + 1] = h end
	for _, h in ipairs(((self.world.stubs[host] or {})[event]) or {}) do list[#list + 1] = h end
	table.sort(list, function(a, b)
		if a.priority ~= b.priority then return a.priority > b.priority end
		return a.seq < b.seq
	end)
	return list
end

--- Fires an event at `host` ("*" = global) like util.events: handlers by priority, higher
-- first. Errors if any handler returned a value (that would stop Prosody's own handlers).
-- Errors raised by a handler propagate, as they would into Prosody's event chain.
function Instance:fire(host, event, data)
	local list = self:handlers(host, event)
	for _, h in ipairs(list) do
		local ret = h.handler(data)
		if ret ~= nil then
			error(("handler for %s on %s returned %s; it must return nil"):format(event, host, tostring(ret)), 2)
		end
	end
	return #list
end

--- Activates a host as hostmanager does, firing the global host-activated event.
function Instance:activate_host(host)
	self.world.hosts[host] = host_object(host)
	M.install_mod_muc_stub(self.world, host)
	return self:fire("*", "host-activated", host)
end

function Instance:request(i)
	local req = self.requests[i]
	assert(req, "no request #" .. tostring(i) .. " (only " .. #self.requests .. ")")
	return req
end

--- Answers request i as net.http would: callback(body, code, response, request).
-- `headers` are response headers; net.http's parser lower-cases their names.
function Instance:respond(i, code, body, headers)
	local req = self:request(i)
	req.answered = true
	body = body or ""
	local lowered = {}
	for name, value in pairs(headers or {}) do lowered[name:lower()] = value end
	return req.callback(body, code, { code = code, body = body, headers = lowered }, req)
end

--- Fails request i as net.http does on a transport error: callback(reason, 0, request).
function Instance:fail(i, reason)
	local req = self:request(i)
	req.answered = true
	return req.callback(reason or "connection refused", 0, req)
end

--- Requests not yet answered nor destroyed.
function Instance:open_requests()
	local list = {}
	for _, req in ipairs(self.requests) do
		if not req.answered and not req.destroyed then list[#list + 1] = req end
	end
	return list
end

--- Answers every open request with `code` until none is left (following queues).
function Instance:deliver_all(code)
	for _ = 1, 1000 do
		local open = self:open_requests()
		if #open == 0 then return end
		for _, req in ipairs(open) do self:respond(req.index, code or 200) end
	end
	error("deliver_all: requests keep coming")
end

function Instance:body(i)
	return json.decode(self:request(i).body)
end

function Instance:path(i)
	local url = self:request(i).url
	assert(url:sub(1, #M.PREFIX) == M.PREFIX, "unexpected URL " .. url)
	return url:sub(#M.PREFIX + 1)
end

--- The event names of all requests so far, in order (optionally for one room).
function Instance:event_names(room_jid)
	local names = {}
	for i in ipairs(self.requests) do
		local b = self:body(i)
		if room_jid == nil or b.room_jid == room_jid then names[#names + 1] = b.event_name end
	end
	return names
end

function Instance:logs_at(level)
	local out = {}
	for _, entry in ipairs(self.logs) do
		if entry.level == level then out[#out + 1] = entry.message end
	end
	return out
end

function Instance:hook_count(host)
	local n = 0
	for _, list in pairs(self.hooks[host] or {}) do n = n + #list end
	return n
end

--- Unloads as modulemanager.do_unload_module does: unload(), hooks removed, loaded = false.
function Instance:unload()
	local unload = rawget(self.module, "unload")
	if type(unload) == "function" then unload() end
	self.hooks = {}
	self.module.loaded = false
end

--- Reloads as modulemanager.do_reload_module does: save(), unload, load a new instance in the
-- same world (same clock, hosts, timers), then restore(saved). Returns the new instance.
function Instance:reload(new_options)
	local save = rawget(self.module, "save")
	local saved = type(save) == "function" and save() or nil
	self.module.reloading = true
	self:unload()
	local opts = {}
	for k, v in pairs(self.opts) do opts[k] = v end
	opts.options = new_options or self.options
	opts.reloading = true
	local fresh = M.new(opts, self.world)
	fresh.module.reloading = nil
	local restore = rawget(fresh.module, "restore")
	if type(restore) == "function" then restore(saved or {}) end
	return fresh
end

---------------------------------------------------------------------------------------------
-- Fake sockets for the keep-alive transport. M.new's fake net.connect records each attempt in
-- inst.sockets[i] = { resolver =, listeners =, options =, data =, written =, closed = };
-- a spec plays net.server and the API server with these:
--
--   p:socket_connect(i[, { ssl = true, verified = false, cert = "..." }])  -- onattach+onconnect
--   p:socket_send(i, M.http_response(200, { headers = {...}, body = "..." }))  -- onincoming
--   p:socket_arrive(i, data); p:socket_read(i)   -- bytes in, read later by net.server (or the module)
--   p:socket_close(i[, reason])   -- the server closes: ondisconnect(conn, reason or "closed")
--   p:socket_fail(i[, reason])    -- no connection could be made: onfail(data, reason)
--   p:socket_text(i) / p:socket_requests(i)   -- what the module wrote, raw / parsed
--   s.send_limit = n; p:socket_drain(i)   -- the raw socket takes n bytes a send; net.server's buffer drained
--
-- conn:close() as server_epoll's interface:close(): with nothing left to write it calls
-- ondisconnect(conn) (reason nil) synchronously, then every method is a no-op. With
-- `p.close_async = true` ondisconnect comes from a 0 s timer instead (epoll's "close after
-- writing remaining buffered data"): reads stop at once, ondisconnect on the next advance.
---------------------------------------------------------------------------------------------
--- A new Prosody process on the same data directory after a crash (or a stop): a fresh world
-- whose storage is a copy of what this one had written, the clock going on. Nothing else
-- survives (memory, timers, hooks); this instance's timers never run again.
-- `prepare(world)`, when given, runs before the module loads (e.g. storage still down).
function Instance:restart(new_options, prepare)
	local opts = {}
	for k, v in pairs(self.opts) do opts[k] = v end
	opts.options = new_options or self.options
	opts.now = self.world.now
	local world = new_world(opts)
	world.storage = deep_copy(self.world.storage)
	self.module.loaded = false
	if prepare then prepare(world) end
	return M.new(opts, world)
end

function Instance:socket(i)
	local s = self.sockets[i]
	assert(s, "no socket #" .. tostring(i) .. " (only " .. #self.sockets .. ")")
	return s
end

--- Completes connection attempt i: builds the connection object, then onattach(conn, data)
-- and onconnect(conn) as net.connect does (conn:setlistener(listeners, data) fires attach).
-- opts.ssl: conn:ssl() is true; opts.verified (default true): getpeerverification();
-- opts.cert (default "cert for <host>", which the fake util.x509 accepts): the peer cert.
function Instance:socket_connect(i, opts)
	opts = opts or {}
	local s = self:socket(i)
	assert(not s.conn, "socket #" .. i .. " is already connected")
	assert(not s.failed, "socket #" .. i .. " failed")
	local inst = self
	local verified = opts.verified ~= false
	local cert = opts.cert
	if cert == nil then cert = "cert for " .. tostring(s.resolver.host) end
	local luasec = {}
	function luasec.getpeerverification() return verified, verified and nil or { { "certificate has expired" } } end
	function luasec.getpeercertificate() return cert ~= false and cert or nil end
	-- The raw socket: takes at most s.send_limit bytes per send when set (else everything).
	s.raw_sends, s.buffered_writes = 0, 0
	function luasec.send(sock, data)
		assert(sock == luasec, "socket:send called without the socket as self")
		if s.closed or s.closing then return nil, "closed", 0 end
		s.raw_sends = s.raw_sends + 1
		local limit = s.send_limit
		if limit and #data > limit then
			s.written[#s.written + 1] = data:sub(1, limit)
			return nil, "timeout", limit
		end
		s.written[#s.written + 1] = data
		return #data
	end
	local conn = {}
	-- net.server's buffered write: the fake puts the bytes on the wire at once, but calls
	-- ondrain only when the spec says the buffer drained (Instance:socket_drain).
	function conn.write(c, data)
		assert(c == conn, "conn.write called without the connection as self")
		assert(type(data) == "string", "conn:write: not a string")
		if s.closed or s.closing then return nil end
		s.buffered_writes = s.buffered_writes + 1
		s.written[#s.written + 1] = data
		return #data
	end
	function conn.close(c)
		assert(c == conn, "conn.close called without the connection as self")
		if s.closed or s.closing then return end
		s.close_calls = (s.close_calls or 0) + 1
		s.closed_by = "client"
		local function disconnect()
			s.closed = true
			s.listeners.ondisconnect(conn, nil)
		end
		if inst.close_async then
			s.closing = true
			inst.module:add_timer(0, function()
				s.closing = nil
				disconnect()
			end)
		else
			disconnect()
		end
	end
	-- server_epoll's read step: hands over what arrived (Instance:socket_arrive) and nothing else.
	s.arrived = {}
	function conn.onreadable(c)
		assert(c == conn, "conn.onreadable called without the connection as self")
		s.reads = (s.reads or 0) + 1
		if s.closed or s.closing or #s.arrived == 0 then return end
		local data = table.concat(s.arrived)
		s.arrived = {}
		s.listeners.onincoming(conn, data)
	end
	function conn.ssl(c) return c == conn and opts.ssl == true end
	function conn.socket(c) return c == conn and luasec or nil end
	s.conn = conn
	s.listeners.onattach(conn, s.data)
	s.listeners.onconnect(conn)
	return conn
end

--- The API server sends bytes on connection i. On a connection the module closed, net.server
-- reads nothing more: that is an error unless opts.force (bytes already read, for specs that
-- prove a late answer is ignored).
function Instance:socket_send(i, data, opts)
	local s = self:socket(i)
	assert(s.conn, "socket #" .. i .. " is not connected")
	if (s.closed or s.closing) and not (opts and opts.force) then error("socket #" .. i .. " is closed", 2) end
	return s.listeners.onincoming(s.conn, data)
end

--- Bytes from the API arrive on connection i but net.server's loop has not read them yet: the
-- module gets them from conn:onreadable() (its own read ahead) or Instance:socket_read(i).
function Instance:socket_arrive(i, data)
	local s = self:socket(i)
	assert(s.conn, "socket #" .. i .. " is not connected")
	s.arrived[#s.arrived + 1] = data
end

--- net.server's loop reaches connection i's readable event.
function Instance:socket_read(i)
	local s = self:socket(i)
	s.conn:onreadable()
end

--- net.server flushed connection i's write buffer: ondrain(conn).
function Instance:socket_drain(i)
	local s = self:socket(i)
	s.listeners.ondrain(s.conn)
end

--- Answers on connection i: socket_send(i, M.http_response(code, opts)).
function Instance:socket_respond(i, code, opts)
	return self:socket_send(i, M.http_response(code, opts))
end

--- The server closes connection i (or it breaks): ondisconnect(conn, reason).
function Instance:socket_close(i, reason)
	local s = self:socket(i)
	assert(s.conn, "socket #" .. i .. " is not connected")
	assert(not s.closed, "socket #" .. i .. " is already closed")
	s.closed, s.closed_by = true, "server"
	return s.listeners.ondisconnect(s.conn, reason or "closed")
end

--- Connection attempt i failed for every address: onfail(data, reason) (net/connect.lua).
function Instance:socket_fail(i, reason)
	local s = self:socket(i)
	assert(not s.conn and not s.failed, "socket #" .. i .. " cannot fail now")
	s.failed, s.closed = true, true
	return s.listeners.onfail(s.data, reason)
end

--- Everything the module wrote on connection i, as one string.
function Instance:socket_text(i)
	return table.concat(self:socket(i).written)
end

--- The HTTP requests written on connection i, parsed: { method, target, version, headers
-- (names lower-cased), header_lines (as written, in order), body }. Errors on a malformed or
-- truncated request.
function Instance:socket_requests(i)
	local text, out, pos = self:socket_text(i), {}, 1
	while pos <= #text do
		local head_end = text:find("\r\n\r\n", pos, true)
		assert(head_end, "socket #" .. i .. ": incomplete request head: " .. text:sub(pos))
		local head = text:sub(pos, head_end - 1)
		local req = { headers = {}, header_lines = {} }
		local first = true
		for line in (head .. "\r\n"):gmatch("(.-)\r\n") do
			if first then
				req.method, req.target, req.version = line:match("^(%u+) (%S+) HTTP/(1%.%d)$")
				assert(req.method, "socket #" .. i .. ": bad request line " .. line)
				first = false
			else
				local name, value = line:match("^([^:%s]+): (.*)$")
				assert(name, "socket #" .. i .. ": bad header line " .. line)
				req.header_lines[#req.header_lines + 1] = line
				assert(req.headers[name:lower()] == nil, "duplicate header " .. name)
				req.headers[name:lower()] = value
			end
		end
		local len = tonumber(req.headers["content-length"])
		assert(len, "socket #" .. i .. ": request without Content-Length")
		req.body = text:sub(head_end + 4, head_end + 3 + len)
		assert(#req.body == len, "socket #" .. i .. ": truncated body")
		out[#out + 1] = req
		pos = head_end + 4 + len
	end
	return out
end

--- Sockets not closed (connecting, idle or busy).
function Instance:open_sockets()
	local n = 0
	for _, s in ipairs(self.sockets) do
		if not s.closed and not s.closing then n = n + 1 end
	end
	return n
end

local REASONS = { [200] = "OK", [204] = "No Content", [400] = "Bad Request", [500] = "Internal Server Error",
	[503] = "Service Unavailable", [429] = "Too Many Requests" }

--- A raw HTTP response. opts.headers: a list of "Name: value" lines or a map; opts.body
-- (default ""); opts.version (default "1.1"); Content-Length is added unless opts.no_length
-- or opts.chunks (a list of strings sent with Transfer-Encoding: chunked).
function M.http_response(code, opts)
	opts = opts or {}
	local lines = { ("HTTP/%s %d %s"):format(opts.version or "1.1", code, REASONS[code] or "Status") }
	local body = opts.body or ""
	for k, v in pairs(opts.headers or {}) do
		lines[#lines + 1] = type(k) == "number" and v or (k .. ": " .. v)
	end
	if opts.chunks then
		lines[#lines + 1] = "Transfer-Encoding: chunked"
		local parts = {}
		for _, chunk in ipairs(opts.chunks) do parts[#parts + 1] = ("%x\r\n%s\r\n"):format(#chunk, chunk) end
		parts[#parts + 1] = "0\r\n\r\n"
		body = table.concat(parts)
	elseif not opts.no_length then
		lines[#lines + 1] = "Content-Length: " .. #body
	end
	return table.concat(lines, "\r\n") .. "\r\n\r\n" .. body
end

---------------------------------------------------------------------------------------------
-- MUC objects shaped like Prosody 0.12's (muc.lib.lua room_mt, occupant.lib.lua).
---------------------------------------------------------------------------------------------

--- Stanzas with the util.stanza methods the module reads (get_child, get_child_text,
-- childtags, get_text). M.stanza("presence", {type = "unavailable"}, { M.stanza("status", nil, "bye") }):
-- children are stanzas, or one string as the element's text.
local stanza_mt = {}
stanza_mt.__index = stanza_mt

function M.stanza(name, attr, children)
	local st = setmetatable({ name = name, attr = attr or {}, tags = {}, text = nil }, stanza_mt)
	if type(children) == "string" then
		st.text = children
	else
		for _, child in ipairs(children or {}) do st.tags[#st.tags + 1] = child end
	end
	return st
end

local function matches(parent, child, name, xmlns)
	return (not name or child.name == name)
		and ((not xmlns and parent.attr.xmlns == child.attr.xmlns) or child.attr.xmlns == xmlns)
end

function stanza_mt:get_child(name, xmlns)
	for _, child in ipairs(self.tags) do
		if matches(self, child, name, xmlns) then return child end
	end
end

function stanza_mt:get_child_text(name, xmlns)
	local child = self:get_child(name, xmlns)
	return child and child:get_text()
end

function stanza_mt:childtags(name, xmlns)
	local i = 0
	return function()
		while true do
			i = i + 1
			local child = self.tags[i]
			if child == nil or matches(self, child, name, xmlns) then return child end
		end
	end
end

function stanza_mt:get_text()
	return self.text or ""
end

local room_mt = {}
room_mt.__index = room_mt

--- muc.lib.lua get_affiliation: by bare JID; nil is none.
function room_mt:get_affiliation(jid)
	return self._affiliations[(jid:match("^[^/]*"))]
end

function M.room(name, muc)
	return setmetatable({ jid = name .. "@" .. (muc or M.MUC), _data = {}, _affiliations = {} }, room_mt)
end

local occupant_mt = {}
occupant_mt.__index = occupant_mt

--- occupant.lib.lua get_presence: the primary session's last presence.
function occupant_mt:get_presence()
	return self.presence
end

--- An occupant: nick is the in-room JID, jid the real full JID, bare_jid the real bare JID.
-- `presence` (optional) is its join presence (M.stanza).
function M.occupant(room, nick, real_full_jid, presence)
	return setmetatable({
		nick = room.jid .. "/" .. nick,
		jid = real_full_jid,
		bare_jid = (real_full_jid:match("^[^/]*")),
		role = "participant",
		presence = presence or M.stanza("presence", { from = real_full_jid }),
	}, occupant_mt)
end

--- `fields` plus what every occupant object of a payload carries for `occupant` (made by
-- M.occupant, no role change since): role, affiliation, participant_id and kind.
function M.with_traits(occupant, fields)
	local out = { role = "participant", affiliation = "none", kind = "participant",
		participant_id = occupant.nick:match("/(.*)$") }
	for k, v in pairs(fields) do out[k] = v end
	return out
end

--- A c2s session; `user` becomes its jitsi_meet_context_user when given.
function M.session(full_jid, user)
	return { full_jid = full_jid, type = "c2s", jitsi_meet_context_user = user }
end

--- Prosody's order for a join: muc-occupant-joined, then (first occupant only) muc-room-created.
function Instance:join(room, occupant, origin, first)
	local muc = room.jid:match("@(.*)$")
	self:fire(muc, "muc-occupant-joined", { room = room, nick = occupant.nick, occupant = occupant, origin = origin })
	if first then self:fire(muc, "muc-room-created", { room = room, creator = occupant, origin = origin }) end
end

--- mod_muc's own "destroy the empty room" handler (mod_muc.lua:192), at priority -1, so that
-- the order of our muc-occupant-left handler relative to it is exercised for real. It fires
-- muc-room-destroyed when the spec marks the room empty (room._empty).
function M.install_mod_muc_stub(world, muc)
	world.stubs[muc] = world.stubs[muc] or {}
	if world.stubs[muc].mod_muc_installed then return end
	world.stubs[muc].mod_muc_installed = true
	M.add_stub(world, muc, "muc-occupant-left", function(event)
		local room = event.room
		if room.destroying or not room._empty then return end
		assert(world.instance, "no instance to fire muc-room-destroyed on")
		world.instance:fire(muc, "muc-room-destroyed", { room = room })
	end, -1)
end

--- A hook of another Prosody module on `host` (it survives reloads of ours: it lives in the
-- world). Runs by priority among ours, before ours at equal priority (loaded earlier).
function M.add_stub(world, host, event, handler, priority)
	world.stubs[host] = world.stubs[host] or {}
	local list = world.stubs[host][event] or {}
	world.stubs[host][event] = list
	world.stub_seq = world.stub_seq - 1 -- negative: before every hook of ours
	list[#list + 1] = { handler = handler, priority = priority or 0, seq = world.stub_seq }
end

--- Another module's handler, e.g. Jitsi's mod_muc_meeting_id setting room._data.meetingId at
-- muc-room-created priority 0: hook_other(MUC, "muc-room-created", fn, 0).
function Instance:hook_other(host, event, handler, priority)
	M.add_stub(self.world, host, event, handler, priority)
end

--- Gives `host` a mod_muc whose live_rooms() (mod_muc.lua: `rooms:values()`) iterates `rooms`
-- (the same table: a spec may add rooms later). Returns a table whose `count` is how many
-- times live_rooms() was called and `visited` how many rooms its iterators yielded.
function Instance:set_live_rooms(host, rooms)
	local h = assert(self.world.hosts[host], "set_live_rooms: " .. tostring(host) .. " is not active")
	local scans = { count = 0, visited = 0 }
	h.modules.muc = {
		live_rooms = function()
			scans.count = scans.count + 1
			local i = 0
			return function()
				i = i + 1
				if rooms[i] ~= nil then scans.visited = scans.visited + 1 end
				return rooms[i]
			end
		end,
	}
	return scans
end

--- A session leaving with an unavailable presence (muc.lib.lua ~747). With `last`, the room is
-- then empty and mod_muc's stub (priority -1) destroys it inside the same event chain.
function Instance:leave(room, occupant, last)
	local muc = room.jid:match("@(.*)$")
	local stanza = M.stanza("presence", { to = occupant.nick, from = occupant.jid, type = "unavailable" })
	room._empty = last or nil
	self:fire(muc, "muc-occupant-left", {
		room = room, nick = occupant.nick, occupant = occupant, stanza = stanza,
		origin = M.session(occupant.jid),
	})
end

--- room:destroy() (muc.lib.lua:1019): a muc-occupant-left for everyone inside (room.destroying
-- set, no stanza), then muc-room-destroyed.
function Instance:destroy(room, inside)
	local muc = room.jid:match("@(.*)$")
	room.destroying = true
	for _, occupant in ipairs(inside or {}) do
		self:fire(muc, "muc-occupant-left", { room = room, nick = occupant.nick, occupant = occupant })
	end
	self:fire(muc, "muc-room-destroyed", { room = room })
end

---------------------------------------------------------------------------------------------
-- The bundle's own modules. TSTL's bundle is `local ____modules = {...}`, a local `require`
-- over them, and a last statement `local ____entry = require("src.main", ...)`. To test a
-- pure module of the BUILT code (e.g. "src.delivery.signing") without running src.main, the
-- same chunk is loaded with that one statement replaced by `return require`. If the bundle's
-- shape ever changes this fails loudly instead of testing something else.
---------------------------------------------------------------------------------------------
local ENTRY = 'local ____entry = require("src.main", ...)\nreturn ____entry'

function M.bundle_require()
	local fh = assert(io.open(M.DIST))
	local code = fh:read("*a")
	fh:close()
	local at = code:find(ENTRY, 1, true)
	assert(at, "the built bundle does not end with TSTL's entry statement")
	assert(code:find(ENTRY, at + 1, true) == nil, "TSTL's entry statement appears twice in the bundle")
	assert(code:sub(at + #ENTRY):match("^%s*$"), "the bundle has code after TSTL's entry statement")
	code = code:sub(1, at - 1) .. "return require\n"
	-- Prosody libraries the modules require at load that need Prosody itself (configmanager
	-- loads C modules built for Prosody's Lua): a stub; specs needing them use M.new.
	package.loaded["core.configmanager"] = package.loaded["core.configmanager"] or { rawget = function() return nil end }
	local env = setmetatable({}, { __index = _G })
	local name = "@" .. M.DIST .. " (modules only)"
	local chunk
	if setfenv then -- luacheck: ignore 113
		chunk = assert(loadstring(code, name)) -- luacheck: ignore 113
		setfenv(chunk, env) -- luacheck: ignore 113
	else
		chunk = assert(load(code, name, "t", env))
	end
	return chunk()
end

return M
