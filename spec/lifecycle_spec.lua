-- Unload, reload (save/restore), and handlers that must never throw into Prosody.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

describe("unload", function()
	it("destroys the request in flight and ignores its late answer", function()
		local p = E.new()
		local room = E.room("bye")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true)
		p:unload()
		assert.are.equal(1, #p.destroyed)
		assert.are.equal(p.requests[1], p.destroyed[1])
		p:respond(1, 200)
		p:advance(60)
		assert.are.equal(1, #p.requests)
		assert.are.same({}, p:logs_at("error"))
	end)

	it("lets no pending retry go out (module's own stop, even if Prosody still ran its timers)", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("retrying") })
		p:respond(1, 500) -- a retry is now scheduled
		p.module.unload() -- only the module's unload(): module.loaded stays true, timers still run
		p:advance(60)
		assert.are.equal(1, #p.requests)
		assert.are.same({}, p:logs_at("warn"))
	end)

	it("lets no timeout fire after unload (module's own stop)", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("inflight") })
		p.module.unload()
		p:advance(60)
		assert.are.equal(1, #p.requests)
		assert.are.equal(1, #p.destroyed)
		assert.are.same({}, p:logs_at("warn"))
	end)

	it("leaves no hooks behind (Prosody removes them) and no error", function()
		local p = E.new()
		p:unload()
		assert.are.equal(0, p:hook_count(MUC))
		assert.are.same({}, p:logs_at("error"))
	end)
end)

describe("reload (module.save / module.restore)", function()
	it("starts afresh, with one warning, from a handed-over state it does not understand", function()
		local p = E.new()
		local restore = rawget(p.module, "restore")
		restore({ rooms = 5, pending = { { eventId = 7 } } })
		assert.are.equal(1, #p:logs_at("warn"))
		assert.truthy(p:logs_at("warn")[1]:find("does not understand", 1, true))
		local room = E.room("afresh")
		p:fire(E.MUC, "muc-room-created", { room = room })
		assert.are.equal(1, #p.requests)
	end)

	it("hands the tracked rooms over: no second created, all_occupants complete", function()
		local p = E.new()
		local room = E.room("kept")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		local bob = E.occupant(room, "b", "bob@example.com/r")
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:deliver_all()
		local p2 = p:reload()
		assert.are.equal(5, p2:hook_count(MUC))
		p2:join(room, bob, E.session(bob.jid))
		p2:leave(room, alice)
		p2:leave(room, bob, true)
		p2:deliver_all()
		assert.are.same({ "muc-occupant-joined", "muc-occupant-left", "muc-occupant-left", "muc-room-destroyed" },
			p2:event_names())
		local all = p2:body(4).all_occupants
		assert.are.equal(2, #all)
		assert.are.same({ alice.jid, bob.jid }, { all[1].occupant_jid, all[2].occupant_jid })
		assert.are.equal("Alice", all[1].name)
		assert.are.equal(E.START, p2:body(4).created_at)
	end)

	it("hands undelivered events over, in order, and the old instance sends nothing more", function()
		local p = E.new()
		local room = E.room("pending")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true) -- created in flight, joined queued
		p:fire(MUC, "muc-room-created", { room = E.room("retrying") })
		p:respond(2, 500) -- retrying's created waits for its retry timer
		local p2 = p:reload()
		assert.are.equal(1, #p.destroyed) -- the in-flight request of the old instance
		p:respond(1, 200) -- late answer to the old instance: ignored
		-- the new instance re-sends both rooms' created (at-least-once), then joined
		p2:deliver_all()
		local sent = #p2.requests
		p2:advance(60) -- the old instance's timers (retry, timeout) must not send anything
		assert.are.equal(2, #p.requests)
		assert.are.equal(sent, #p2.requests)
		local names = p2:event_names("pending@" .. MUC)
		assert.are.same({ "muc-room-created", "muc-occupant-joined" }, names)
		assert.are.same({ "muc-room-created" }, p2:event_names("retrying@" .. MUC))
		-- and a later join does not announce the room again
		local bob = E.occupant(room, "b", "bob@example.com/r")
		p2:join(room, bob, nil)
		p2:deliver_all()
		assert.are.same({ "muc-room-created", "muc-occupant-joined", "muc-occupant-joined" },
			p2:event_names("pending@" .. MUC))
	end)

	it("restores from an empty state (Prosody passes {} when save failed)", function()
		local p = E.new()
		local fresh = E.new(nil, p.world)
		assert.has_no.errors(function() fresh.module.restore({}) end)
		fresh:fire(MUC, "muc-room-created", { room = E.room("r") })
		assert.are.equal(1, #fresh.requests)
	end)
end)

describe("handlers never throw into Prosody's event chain", function()
	local malformed = {
		{ "muc-occupant-joined", "occupant without fields", function(room) return { room = room, occupant = {} } end },
		{ "muc-occupant-joined", "no occupant", function(room) return { room = room } end },
		{ "muc-occupant-left", "occupant without fields", function(room) return { room = room, occupant = {} } end },
		{ "muc-room-created", "no room", function() return {} end },
		{ "muc-room-destroyed", "room without jid", function() return { room = {} } end },
	}
	for _, case in ipairs(malformed) do
		local event, what, make = case[1], case[2], case[3]
		it(event .. " with " .. what .. ": an error is logged, nothing thrown, later events still work", function()
			local p = E.new()
			local room = E.room("bad")
			assert.has_no.errors(function() p:fire(MUC, event, make(room)) end)
			local errors = p:logs_at("error")
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find(event, 1, true), errors[1])
			local alice = E.occupant(room, "a", "alice@example.com/r")
			p:join(room, alice, nil, true)
			p:deliver_all()
			assert.are.same({ "muc-room-created", "muc-occupant-joined" }, p:event_names())
		end)
	end

	it("host-activated with an odd argument does not throw", function()
		local p = E.new({ hosts = {} })
		assert.has_no.errors(function() p:fire("*", "host-activated", nil) end)
		assert.are.equal(0, p:hook_count(MUC))
	end)

	it("an HTTP callback with an unexpected code does not throw", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("odd") })
		assert.has_no.errors(function() p:respond(1, 999) end)
	end)
end)
