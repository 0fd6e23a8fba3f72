-- The durable outbox (api_outbox, on by default): undelivered events are written to Prosody's
-- storage in batched write rounds (every 0.1 s at most), read back in their original order after
-- a restart, and moved to bounded dead letters when given up. The fake storage is a keyval
-- store like mod_storage_internal's (spec/helpers/prosody_env.lua M.keyval_store).
local E = require "spec.helpers.prosody_env"

local O = require "spec.helpers.outbox"

local MUC = E.MUC
local STORE = O.STORE
local new, records, stored_ids, outbox_writes, created = O.new, O.records, O.stored_ids, O.outbox_writes, O.created

--- created + joined of a new room with one occupant.
local function room_with_alice(p, name)
	local room = E.room(name or "outbox")
	local alice = E.occupant(room, "a", "alice@example.com/r")
	p:join(room, alice, E.session(alice.jid), true)
	return room, alice
end

describe("the durable outbox", function()
	it("writes a burst of undelivered events in one write round, never one write per event", function()
		local p = new()
		for i = 1, 50 do created(p, "burst" .. i) end
		assert.are.equal(0, outbox_writes(p)) -- nothing written synchronously in the hook
		p:advance(0.1)
		assert.are.equal(1, outbox_writes(p))
		assert.are.equal(50, #stored_ids(p))
		assert.are.equal(50, p.metrics["outbox_size"].value)
	end)

	it("splits a large burst into records of at most 100 events", function()
		local p = new()
		for i = 1, 250 do created(p, "big" .. i) end
		p:advance(0.1)
		local recs = records(p)
		assert.are.equal(3, #recs)
		assert.are.equal(100, #O.deliveries(recs[1]))
		assert.are.equal(50, #O.deliveries(recs[3]))
	end)

	it("never writes an event delivered before the next write round", function()
		local p = new()
		room_with_alice(p)
		p:deliver_all(200)
		p:advance(1)
		assert.are.equal(0, outbox_writes(p))
		assert.are.same({}, records(p))
		assert.are.equal(0, p.metrics["outbox_size"].value)
	end)

	it("removes what is delivered later, rewriting only the batch that changed", function()
		local p = new()
		created(p, "one")
		p:advance(0.1)
		created(p, "two")
		p:advance(0.1)
		assert.are.equal(2, #records(p))
		assert.are.equal(2, outbox_writes(p))
		p:respond(1, 200) -- "one" delivered: its batch becomes empty and is removed
		p:advance(0.1)
		assert.are.equal(3, outbox_writes(p))
		local left = records(p)
		assert.are.equal(1, #left)
		assert.are.equal("two@" .. MUC, O.deliveries(left[1])[1].room_jid)
	end)

	it("delivers after a crash what was written before it, with the original ids, bodies and order", function()
		local p = new()
		room_with_alice(p, "crash")
		p:respond(1, 503)
		p:advance(0.1) -- the write round
		local before = p:body(1)
		local p2 = p:restart()
		assert.are.equal(1, #p2.requests) -- created first; joined waits behind it
		local created_body = p2:body(1)
		assert.are.equal(before.event_id, created_body.event_id)
		assert.are.equal(before.event_timestamp_ms, created_body.event_timestamp_ms)
		assert.are.equal(1, created_body.room_sequence)
		assert.are.equal(p:request(1).body, p2:request(1).body)
		p2:respond(1, 200)
		assert.are.equal("muc-occupant-joined", p2:body(2).event_name)
		assert.are.equal(2, p2:body(2).room_sequence)
		p2:respond(2, 200)
		assert.are.equal(2, p2.metrics["replayed"].count)
		-- Then the crash's end of the meeting: Alice leaves, the room is destroyed, stamped now,
		-- numbered after a gap (what the last write round missed may have been delivered).
		local left = p2:body(3)
		assert.are.equal("muc-occupant-left", left.event_name)
		assert.are.equal("server_crash", left.disconnect_reason)
		assert.are.equal("alice@example.com/r", left.occupant.occupant_jid)
		assert.are.equal(p2:now(), left.occupant.left_at)
		assert.are.equal(2 + 100 + 1, left.room_sequence)
		p2:respond(3, 200)
		local destroyed = p2:body(4)
		assert.are.equal("muc-room-destroyed", destroyed.event_name)
		assert.are.equal(104, destroyed.room_sequence)
		assert.are.equal(1, #destroyed.all_occupants)
		p2:respond(4, 200)
		p2:advance(0.1)
		assert.are.same({}, records(p2))
		assert.are.same({}, records(p2, STORE .. "_rooms"))
	end)

	it("writes a batch as one JSON text (format 2) whose entries give back the exact bodies after a crash", function()
		local p = new()
		room_with_alice(p, "text")
		p:respond(1, 503)
		p:advance(0.1)
		local record = records(p)[1].value
		assert.are.equal(2, record.format)
		assert.are.equal("string", type(record.deliveries_json))
		assert.is_nil(record.deliveries)
		local stored = O.deliveries(records(p)[1])
		assert.are.equal(2, #stored)
		assert.are.equal(p:request(1).body, stored[1].body)
		assert.are.equal(p:body(1).event_id, stored[1].event_id)
		assert.are.equal("muc-occupant-joined", stored[2].event_name)
		assert.are.equal(1, stored[1].attempts)
		local p2 = p:restart()
		assert.are.equal(p:request(1).body, p2:request(1).body)
	end)

	it("still delivers a batch an older version wrote (format 1: a list of tables) after a crash", function()
		local p = new()
		room_with_alice(p, "old")
		p:respond(1, 503)
		p:advance(0.1)
		local store = p.world.storage[E.COMPONENT][STORE]
		local key = records(p)[1].key
		store[key] = { format = 1, deliveries = O.deliveries(records(p)[1]) }
		local p2 = p:restart()
		assert.are.equal(p:request(1).body, p2:request(1).body)
		p2:respond(1, 200)
		assert.are.equal("muc-occupant-joined", p2:body(2).event_name)
		assert.are.equal(0, #p2:logs_at("warn"))
	end)

	it("closes after a crash a room whose state a previous version wrote (format 2: a list of tables)", function()
		local p = new()
		room_with_alice(p, "old")
		p:respond(1, 200)
		p:respond(2, 200)
		p:advance(0.1)
		local rooms = records(p, STORE .. "_rooms")
		assert.are.equal(1, #rooms)
		local record = rooms[1].value
		assert.are.equal(3, record.format)
		local inside = E.json.decode(record.occupants_json)
		assert.are.equal("alice@example.com/r", inside[1].occupant_jid)
		-- What the previous version would have written for the same room.
		record.format, record.occupants, record.occupants_json = 2, inside, nil
		p.world.storage[E.COMPONENT][STORE .. "_rooms"][rooms[1].key] = record
		local p2 = p:restart()
		local left = p2:body(1)
		assert.are.equal("muc-occupant-left", left.event_name)
		assert.are.equal("server_crash", left.disconnect_reason)
		assert.are.equal("alice@example.com/r", left.occupant.occupant_jid)
		p2:respond(1, 200)
		assert.are.equal("muc-room-destroyed", p2:body(2).event_name)
	end)

	it("keeps a room's restored events ahead of its new ones after a restart", function()
		local p = new()
		created(p, "keep")
		p:respond(1, 503)
		p:advance(0.1)
		local old_id = p:body(1).event_id
		local p2 = p:restart()
		-- Prosody's rooms did not survive the restart: the same name is a new room.
		local room = E.room("keep")
		local bob = E.occupant(room, "b", "bob@example.com/r")
		p2:join(room, bob, E.session(bob.jid), true)
		p2:advance(0)
		assert.are.equal(1, #p2.requests)
		assert.are.equal(old_id, p2:body(1).event_id)
		p2:respond(1, 200)
		assert.are.equal("muc-room-destroyed", p2:body(2).event_name) -- the crash ended its first life
		p2:respond(2, 200)
		assert.are.equal("muc-room-created", p2:body(3).event_name) -- the new life's created
		assert.are_not.equal(old_id, p2:body(3).event_id)
		assert.are.equal(1, p2:body(3).room_sequence)
		p2:respond(3, 200)
		assert.are.equal("muc-occupant-joined", p2:body(4).event_name)
	end)

	it("hands a non-empty outbox over on module:reload without sending anything twice", function()
		local p = new()
		room_with_alice(p, "reload")
		p:respond(1, 503)
		local p2 = p:reload()
		local ids = {}
		for i in ipairs(p2.requests) do ids[#ids + 1] = p2:body(i).event_id end
		assert.are.equal(1, #ids) -- created again (its attempt was cancelled by the unload), nothing else yet
		p2:respond(1, 200)
		p2:respond(2, 200)
		assert.are.equal(2, #p2.requests)
		assert.are_not.equal(p2:body(1).event_id, p2:body(2).event_id)
		p2:advance(1)
		assert.are.equal(2, #p2.requests)
		assert.are.same({}, records(p2))
	end)

	it("skips and logs a record it did not write, and delivers the rest", function()
		local p = new()
		created(p, "good")
		p:respond(1, 503)
		p:advance(0.1)
		local store = p.world.storage[E.COMPONENT][STORE]
		store["000000000000001-000000001"] = { format = 99, deliveries = "?" }
		store["notes"] = { hello = "world" }
		local p2 = p:restart()
		assert.are.equal(1, #p2.requests)
		assert.are.equal("good@" .. MUC, p2:body(1).room_jid)
		assert.are.equal(2, #p2:logs_at("warn"))
	end)
end)

describe("storage failures", function()
	it("are logged once per burst, counted, never stop deliveries, and the outbox catches up", function()
		local p = new()
		p.world.storage_error = "No space left on device"
		created(p, "full1")
		p:advance(0.1)
		created(p, "full2")
		p:advance(2)
		assert.are.equal(2, #p.requests) -- both sent from memory
		local errors = p:logs_at("error")
		assert.are.equal(1, #errors)
		assert.matches("No space left on device", errors[1], 1, true)
		assert.is_true(p.metrics["storage_errors"].count >= 2)
		p.world.storage_error = nil
		p:advance(1)
		assert.are.equal(2, #stored_ids(p))
		local recovered = 0
		for _, message in ipairs(p:logs_at("info")) do
			if message:find("outbox can be written again", 1, true) then recovered = recovered + 1 end
		end
		assert.are.equal(1, recovered)
	end)

	it("a backend that raises (an SQL server gone) never throws into the hook", function()
		local p = new()
		p.world.storage_raises = true
		created(p, "raise")
		p:advance(1)
		assert.are.equal(1, #p.requests)
		assert.are.equal(1, #p:logs_at("error"))
		p.world.storage_raises = nil
		p:advance(1)
		assert.are.equal(1, #stored_ids(p))
	end)
end)

describe("dead letters", function()
	it("keep an event given up, with its status and attempts; the room's next events go on", function()
		local p = new({ retry_count = 0 })
		room_with_alice(p, "dead")
		p:respond(1, 404)
		assert.are.equal("muc-occupant-joined", p:body(2).event_name)
		p:respond(2, 200)
		p:advance(0.1)
		local dead = records(p, STORE .. "_dead")
		assert.are.equal(1, #dead)
		assert.are.equal(404, dead[1].value.status)
		assert.are.equal(1, dead[1].value.attempts)
		assert.are.equal(p:body(1).event_id, dead[1].value.delivery.event_id)
		assert.matches("404", dead[1].value.error, 1, true)
		assert.are.same({}, records(p)) -- no longer in the outbox
		assert.are.equal(1, p.metrics["dead_letters"].value)
	end)

	it("are capped by api_dead_letter_max: the oldest go, with one warning per burst", function()
		local p = new({ retry_count = 0, api_dead_letter_max = 3 })
		for i = 1, 5 do
			created(p, "cap" .. i)
			p:respond(i, 400)
		end
		p:advance(0.1)
		local dead = records(p, STORE .. "_dead")
		assert.are.equal(3, #dead)
		assert.are.equal("cap3@" .. MUC, dead[1].value.delivery.room_jid)
		local warnings = 0
		for _, message in ipairs(p:logs_at("warn")) do
			if message:find("api_dead_letter_max", 1, true) then warnings = warnings + 1 end
		end
		assert.are.equal(1, warnings)
		assert.are.equal(2, p.metrics["dead_letters_dropped"].count)
	end)

	it("include events dropped by api_max_pending: nothing is lost silently", function()
		local p = new({ api_max_pending = 2 })
		created(p, "d1")
		created(p, "d2")
		created(p, "d3") -- drops d1
		p:advance(0.1)
		local dead = records(p, STORE .. "_dead")
		assert.are.equal(1, #dead)
		assert.are.equal("d1@" .. MUC, dead[1].value.delivery.room_jid)
		assert.matches("api_max_pending", dead[1].value.error, 1, true)
	end)
end)

describe("api_outbox = false", function()
	it("keeps today's in-memory behaviour: nothing is written", function()
		local p = E.new({ options = E.options({ api_outbox = false }) })
		created(p, "mem")
		p:respond(1, 503)
		p:advance(1)
		assert.are.equal(0, outbox_writes(p))
	end)
end)

describe("review findings", function()
	it("a reload while storage fails loses nothing: what the outbox could not keep is handed over", function()
		local p = new()
		p.world.storage_error = "connection refused"
		room_with_alice(p, "reloadfail")
		p:respond(1, 503)
		local p2 = p:reload()
		p2.world.storage_error = nil
		p2:advance(1)
		local names = {}
		for i in ipairs(p2.requests) do names[#names + 1] = p2:body(i).event_name end
		assert.are.same("muc-room-created", names[1])
		p2:deliver_all(200)
		p2:advance(1)
		p2:deliver_all(200)
		local delivered = {}
		for i in ipairs(p2.requests) do delivered[p2:body(i).event_name] = true end
		assert.is_true(delivered["muc-occupant-joined"])
		assert.are.equal(0, p2.metrics["outbox_size"].value)
	end)

	it("a record the backend refuses does not stop the others from being written", function()
		local p = new({ retry_count = 0 })
		p.world.storage_refuses = function(store) return store == STORE .. "_dead" and "refused" or nil end
		created(p, "refused")
		p:respond(1, 400) -- a dead letter that cannot be written
		room_with_alice(p, "later")
		p:advance(0.1)
		-- The later room's events are in the outbox, and so is the given-up event while its
		-- dead letter cannot be written (never in neither store).
		assert.are.equal(3, #stored_ids(p))
		assert.is_true(#records(p, STORE .. "_rooms") >= 1) -- and the room's state
		p.world.storage_refuses = nil
		p:advance(1)
		assert.are.equal(1, #records(p, STORE .. "_dead"))
		assert.are.equal(2, p.metrics["outbox_size"].value) -- its dead letter written, it left the outbox
	end)

	it("keeps the outbox in order across a restart whose clock went back", function()
		local p = new()
		created(p, "clock")
		p:respond(1, 503)
		p:advance(0.1)
		local old_key = records(p)[1].key
		local p2 = p:restart(nil, function(world) world.now = world.now - 3600 end) -- its clock an hour behind
		p2:fire(MUC, "muc-room-created", { room = E.room("clock2") })
		p2:advance(0.1)
		local found = false
		for _, record in ipairs(records(p2)) do
			for _, delivery in ipairs(O.deliveries(record)) do
				if delivery.room_jid == "clock2@" .. MUC then
					found = true
					assert.is_true(record.key > old_key, record.key .. " sorts before " .. old_key)
				end
			end
		end
		assert.is_true(found)
	end)

	it("rewrites a batch only once half of it is settled, and removes it when all is", function()
		local p = new()
		for i = 1, 10 do created(p, "half" .. i) end
		p:advance(0.1)
		local writes = outbox_writes(p)
		for i = 1, 4 do p:respond(i, 200) end
		p:advance(0.1)
		assert.are.equal(writes, outbox_writes(p)) -- 4 of 10 settled: no rewrite
		p:respond(5, 200)
		p:advance(0.1)
		assert.are.equal(writes + 1, outbox_writes(p))
		assert.are.equal(5, #stored_ids(p))
		for i = 6, 10 do p:respond(i, 200) end
		p:advance(0.1)
		assert.are.same({}, records(p))
	end)

	it("writes a room's state once per round however many join in it", function()
		local p = new()
		local room = E.room("busy")
		for i = 1, 20 do
			local o = E.occupant(room, "n" .. i, "u" .. i .. "@example.com/r")
			p:join(room, o, E.session(o.jid), i == 1)
		end
		p:deliver_all(200)
		p:advance(0.1)
		assert.are.equal(1, p.world.writes_by_store[STORE .. "_rooms"])
		local rooms = records(p, STORE .. "_rooms")
		assert.are.equal(20, #E.json.decode(rooms[1].value.occupants_json))
		assert.matches("^room %d+%-%d+%-%d+ busy", rooms[1].key) -- a hash: long room names make no long file names
	end)

	it("reads the outbox once storage works when it failed at start", function()
		local p = new()
		created(p, "late")
		p:respond(1, 503)
		p:advance(0.1)
		local p2 = p:restart(nil, function(world) world.storage_error = "the database is starting" end)
		assert.are.equal(0, #p2.requests)
		p2.world.storage_error = nil
		p2:advance(1)
		assert.are.equal(1, #p2.requests)
		assert.are.equal("late@" .. MUC, p2:body(1).room_jid)
	end)
end)
