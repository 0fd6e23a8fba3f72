-- The `event_sync` section of the admin shell, as mod_admin_shell calls it: a table in the
-- shared `/*/admin_shell/env`, whose functions get a `self` with `session.print`.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

local function shell_env(p)
	return p.world.shared["/*/admin_shell/env"]
end

--- Calls `event_sync:<command>(...)` like a shell session; returns ok, message and the printed lines.
local function run(p, command, ...)
	local printed = {}
	local section = shell_env(p).event_sync
	local self = setmetatable({ session = { print = function(line) printed[#printed + 1] = line end } }, { __index = section })
	local ok, message = section[command](self, ...)
	return ok, message, printed
end

local function new(extra)
	local o = E.options({ api_outbox = true, retry_count = 0 })
	for k, v in pairs(extra or {}) do o[k] = v end
	return E.new({ options = o })
end

describe("admin shell", function()
	it("registers an event_sync section with help for Prosody 13's `help`", function()
		local p = new()
		local section = shell_env(p).event_sync
		assert.is_table(section)
		local help = getmetatable(section).help
		assert.is_table(help.commands.status)
		assert.is_table(help.commands.replay)
	end)

	it("status shows what waits per room, the outbox, dead letters and the last failure", function()
		local p = new()
		p:fire(MUC, "muc-room-created", { room = E.room("waiting") })
		p:respond(1, 503)
		local ok, message, printed = run(p, "status")
		assert.is_true(ok)
		assert.are.equal("status shown", message)
		local text = table.concat(printed, "\n")
		assert.matches("dead letters: 1", text, 1, true)
		assert.matches("last failure: .* muc%-room%-created for waiting@" .. MUC:gsub("%.", "%%.") .. ": HTTP 503", text)
	end)

	it("replays a dead letter with its event id and body, and it leaves the dead letters", function()
		local p = new()
		p:fire(MUC, "muc-room-created", { room = E.room("again") })
		p:respond(1, 400)
		p:advance(0.1)
		local id = p:body(1).event_id
		local ok, message, printed = run(p, "dead_letters")
		assert.is_true(ok)
		assert.are.equal("1 dead letters", message)
		assert.matches(id, printed[1], 1, true)
		ok, message = run(p, "replay", id)
		assert.is_true(ok)
		assert.matches("^1 dead letters queued", message)
		assert.are.equal(2, #p.requests)
		assert.are.equal(p:request(1).body, p:request(2).body)
		p:respond(2, 200)
		ok, message = run(p, "dead_letters", "all")
		assert.is_true(ok)
		assert.are.equal("0 dead letters", message)
	end)

	it("replays even when another store of the round fails (the rooms' state)", function()
		local p = new()
		p:fire(MUC, "muc-room-created", { room = E.room("other") })
		p:respond(1, 400)
		p:advance(0.1)
		p.world.storage_refuses = function(store) return store:find("_rooms$") and "disk full" or nil end
		local ok, message = run(p, "replay", "all")
		assert.is_true(ok)
		assert.matches("^1 dead letters queued", message)
		assert.are.equal(0, p.metrics["dead_letters"].value)
	end)

	it("keeps the dead letters when the outbox itself cannot be written", function()
		local p = new()
		p:fire(MUC, "muc-room-created", { room = E.room("stuck") })
		p:respond(1, 400)
		p:advance(0.1)
		p.world.storage_refuses = function(store) return store == "event_sync_outbox" and "disk full" or nil end
		local ok, message = run(p, "replay", "all")
		assert.is_nil(ok)
		assert.matches("stay dead letters too", message, 1, true)
		assert.are.equal(1, p.metrics["dead_letters"].value)
	end)

	it("discards by room JID and refuses a replay without a selector", function()
		local p = new()
		p:fire(MUC, "muc-room-created", { room = E.room("gone") })
		p:respond(1, 400)
		local ok, message = run(p, "replay")
		assert.is_nil(ok)
		assert.matches("say which", message, 1, true)
		ok, message = run(p, "discard", "gone@" .. MUC)
		assert.is_true(ok)
		assert.are.equal("1 dead letters discarded", message)
	end)

	it("lists at most 50 dead letters, counting the rest, and finds one by event id", function()
		local p = new()
		for i = 1, 60 do
			p:fire(MUC, "muc-room-created", { room = E.room("many" .. i) })
			p:respond(i, 400)
		end
		p:advance(0.1)
		local ok, message, printed = run(p, "dead_letters")
		assert.is_true(ok)
		assert.are.equal("60 dead letters", message)
		assert.are.equal(51, #printed)
		assert.are.equal("… and 10 more", printed[51])
		local id = p:body(55).event_id
		ok, message, printed = run(p, "dead_letters", id)
		assert.is_true(ok)
		assert.are.equal("1 dead letters", message)
		assert.matches("many55@", printed[1], 1, true)
	end)

	it("says there are no dead letters with api_outbox = false", function()
		local p = E.new({ options = E.options({ api_outbox = false }) })
		local ok, message = run(p, "dead_letters")
		assert.is_nil(ok)
		assert.matches("api_outbox = false", message, 1, true)
	end)

	it("is removed when the module unloads", function()
		local p = new()
		p:unload()
		assert.is_nil(shell_env(p).event_sync)
	end)
end)
