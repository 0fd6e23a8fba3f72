-- What a JWT user context (jitsi_meet_context_user) becomes in payloads: numbers written
-- exactly on every Lua, lists kept lists, and everything bounded however big the token.
local E = require "spec.helpers.prosody_env"
local array = require "util.array"

local HAS_INTEGERS = math.type ~= nil

--- The joined payload (its decoded occupant and raw body) of one occupant with `user` as context.
local function joined_with(user, options)
	local p = E.new(options and { options = E.options(options) } or nil)
	local room = E.room("ctx")
	local alice = E.occupant(room, "a", "alice@example.com/r1")
	p:join(room, alice, E.session(alice.jid, user), true)
	p:deliver_all()
	return p:body(2).occupant, p:request(2).body, p
end

local function float(n)
	-- an integral number as a float, as cjson (Jitsi's JWT library) and Lua 5.1 decode it
	return n + 0.0
end

describe("numeric identity claims", function()
	it("writes a numeric id of 15 digits exactly (not 1.2345678901234e+14)", function()
		local occupant = joined_with({ id = float(123456789012345) })
		assert.are.equal("123456789012345", occupant.id)
	end)

	it("writes 1e15+1 as 1000000000000001 (not 1e+15)", function()
		local occupant = joined_with({ id = float(1e15 + 1) })
		assert.are.equal("1000000000000001", occupant.id)
	end)

	it("writes an integral float id 42 as 42 (not 42.0)", function()
		assert.are.equal("42", joined_with({ id = float(42) }).id)
		assert.are.equal("-7", joined_with({ id = float(-7) }).id)
	end)

	it("writes other numbers in the fewest digits that read back exactly", function()
		assert.are.equal("0.1", joined_with({ id = 0.1 }).id)
		assert.are.equal(0.1 + 0.2, tonumber(joined_with({ id = 0.1 + 0.2 }).id))
		assert.is_nil(joined_with({ id = math.huge }).id)
		assert.is_nil(joined_with({ id = 0 / 0 }).id)
	end)
end)

describe("include_user_info", function()
	local ON = { include_user_info = true }

	it("keeps an empty list a list, at any level, and null a null", function()
		local json = E.json
		local user = { name = "A", roles = array(), nested = { tags = array(), n = json.null } }
		local occupant, raw = joined_with(user, ON)
		assert.truthy(raw:find('"roles":[]', 1, true), raw)
		assert.truthy(raw:find('"tags":[]', 1, true), raw)
		if json.null then assert.truthy(raw:find('"n":null', 1, true), raw) end
		assert.are.same({}, occupant.roles)
	end)

	it("writes numbers of the context exactly and leaves out infinities and NaN (valid JSON)", function()
		local user = { score = float(42), big = float(123456789012345), ratio = 0.5, inf = math.huge, nan = 0 / 0 }
		local occupant, raw = joined_with(user, ON)
		assert.truthy(raw:find('"score":42[,}]'), raw)
		assert.truthy(raw:find('"ratio":0.5[,}]'), raw)
		assert.truthy(raw:find('123456789012345[",}]'), raw)
		if HAS_INTEGERS then
			assert.are.equal(123456789012345, occupant.big)
		else
			-- Prosody's encoder writes 14 digits here: the exact value goes as text
			assert.are.equal("123456789012345", occupant.big)
		end
		assert.is_nil(occupant.inf)
		assert.is_nil(occupant.nan)
		assert.is_nil(raw:find("inf", 1, true))
		assert.is_nil(raw:find("nan", 1, true))
	end)

	it("bounds a huge context: entries, depth, string and total sizes", function()
		local user = { name = string.rep("N", 100000), email = string.rep("e", 5000) .. "@x", id = string.rep("i", 3000) }
		for i = 1, 5000 do user["k" .. i] = string.rep("v", 2000) end
		user[string.rep("K", 1000)] = "long key"
		local deep = {}
		user.deep = deep
		for _ = 1, 200 do
			deep.down = {}
			deep = deep.down
		end
		local list = array()
		for i = 1, 10000 do list[i] = i end
		user.list = list
		local occupant, raw = joined_with(user, ON)
		assert.are.equal(512, #occupant.name)
		assert.are.equal(512, #occupant.email)
		assert.are.equal(512, #occupant.id)
		assert.truthy(#raw < 8 * 1024, "joined body of " .. #raw .. " bytes")
		local count = 0
		for _ in pairs(occupant) do count = count + 1 end
		assert.truthy(count <= 64 + 2, count .. " keys")
	end)

	it("keeps nesting up to 4 levels (the user object is level 1)", function()
		-- user = level 1, its l2 table level 2, ..., l5 would be level 5: left out
		local user = { l2 = { l3 = { l4 = { x = 1, l5 = { z = 1 } }, y = 2 } } }
		local occupant = joined_with(user, ON)
		assert.are.same({ l3 = { l4 = { x = 1 }, y = 2 } }, occupant.l2)
	end)

	it("cuts strings on a character boundary (no broken UTF-8)", function()
		local name = string.rep("é", 400) -- 2 bytes each: 800 bytes
		local occupant = joined_with({ name = name, motto = string.rep("€", 300) }, ON)
		assert.are.equal(string.rep("é", 256), occupant.name)
		assert.are.equal(string.rep("€", 170), occupant.motto) -- 510 bytes: a 171st would make 513
	end)
end)

describe("hostile user contexts", function()
	local ON = { include_user_info = true }

	it("copes with a cycle, a protected metatable, and a table of 100,000 unusable keys", function()
		local user = { name = "A" }
		user.self = user
		user.locked = setmetatable({ x = 1 }, { __metatable = "locked" })
		local occupant, raw, p = joined_with(user, ON)
		assert.are.equal("A", occupant.name)
		assert.are.same({ x = 1 }, occupant.locked)
		assert.are.equal("table", type(occupant.self))
		assert.truthy(#raw < 8 * 1024)
		assert.are.same({}, p:logs_at("error"))
		-- keys looked at are bounded too, copied or not (the copy's budget is shared by all levels)
		local junk = {}
		for i = 1, 100000 do junk[i * 2] = true; junk[string.rep("k", 70) .. i] = i end
		local started = os.clock()
		occupant, raw, p = joined_with({ name = "B", junk = junk }, ON)
		assert.truthy(os.clock() - started < 0.5, "took " .. (os.clock() - started) .. " s")
		assert.are.equal("B", occupant.name)
		assert.truthy(#raw < 8 * 1024)
		assert.are.same({}, p:logs_at("error"))
	end)

	it("speaker stats of inf or NaN do not break the body", function()
		local p = E.new({ options = E.options({ include_speaker_stats = true }) })
		local room = E.room("nanstats")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		room.speakerStats = { [alice.jid] = { totalDominantSpeakerTime = 0 / 0 } }
		p:join(room, alice, E.session(alice.jid), true)
		p:leave(room, alice, true)
		p:deliver_all()
		assert.are.equal(0, p:body(3).occupant.total_dominant_speaker_time)
		assert.are.equal(0, p:body(4).all_occupants[1].total_dominant_speaker_time)
	end)
end)

describe("without include_user_info", function()
	it("bounds name, email and id too", function()
		local occupant, raw = joined_with({ name = string.rep("x", 1e6), email = "a@b", id = 7 })
		assert.are.equal(512, #occupant.name)
		assert.are.equal("7", occupant.id)
		assert.truthy(#raw < 2048)
	end)
end)
