-- src/json_encode.ts: the payloads' JSON, the same text as Prosody's util.json apart from the
-- order of object keys (checked by decoding, and byte for byte where there is one key).
local E = require "spec.helpers.prosody_env"

local json = require "util.json"
local array = require "util.array"
local encoder = E.bundle_require()("src.json_encode")
local encode = encoder.createJsonEncoder({
	encode = function(v) return json.encode(v) end,
	null = json.null,
	arrayMeta = getmetatable(array()),
})

local function same_as_util_json(value)
	local ours, theirs = encode(value), json.encode(value)
	assert.are.equal(#theirs, #ours)
	assert.are.equal(json.encode_ordered(json.decode(theirs)), json.encode_ordered(json.decode(ours)))
	return ours
end

describe("the payload JSON encoder", function()
	it("writes strings with util.json's escapes, every control byte included, other bytes as they are", function()
		local all = {}
		for byte = 0, 255 do all[#all + 1] = string.char(byte) end
		local text = table.concat(all) .. "\"quoted\" back\\slash é 😀"
		assert.are.equal(json.encode({ k = text }), encode({ k = text }))
		assert.are.equal(json.encode({ ["key \"odd\"\n"] = 1 }), encode({ ["key \"odd\"\n"] = 1 }))
		assert.are.equal('"plain"', encoder.jsonString("plain"))
	end)

	it("writes numbers as util.json does (tostring), booleans, null and util.array lists", function()
		for _, n in ipairs({ 0, -1, 42, 1712345678901, 0.1, 1 / 3, 2 ^ 53, -1e300 }) do
			assert.are.equal(json.encode({ n = n }), encode({ n = n }))
		end
		assert.are.equal(json.encode({ t = true }), encode({ t = true }))
		assert.are.equal(json.encode({ f = false }), encode({ f = false }))
		assert.are.equal(json.encode({ z = json.null }), encode({ z = json.null }))
		assert.are.equal(json.encode({ l = array({ 1, "two", { three = 3 } }) }), encode({ l = array({ 1, "two", { three = 3 } }) }))
		assert.are.equal("[]", encode(array({})))
		assert.are.equal("{}", encode({}))
		assert.are.equal(json.encode({ l = array({ print }) }), encode({ l = array({ print }) }))
	end)

	it("writes a whole payload as util.json does, keys in any order", function()
		local payload = {
			event_name = "muc-room-destroyed", event_id = "0b8a7c1e-2d3f-4a5b-9c6d-7e8f9a0b1c2d",
			event_timestamp_ms = 1712345678901, room_sequence = 5, room_name = "Café \"quoted\"",
			room_jid = "cafe@conference.example.com", is_breakout = false, created_at = 1712345000,
			all_occupants = array({
				{ occupant_jid = "a@example.com/r", joined_at = 1, left_at = 2, name = "Ä\n", sessions = 2 },
				{ occupant_jid = "b@example.com/r", joined_at = 3, left_at = 4, total_dominant_speaker_time = 1500 },
			}),
			group = { nested = { deeper = array({}) }, list = array({ "x", json.null }) },
		}
		same_as_util_json(payload)
	end)

	it("leaves out what util.json leaves out of an object, and hands it tables it writes its own way", function()
		assert.are.equal("{}", encode({ f = print, c = coroutine.create(function() end) }))
		for _, odd in ipairs({ { 1, 2, 3 }, { 1, 2, x = "y" }, { [5] = "gap" }, { __array = 1 }, { [true] = 1 } }) do
			assert.are.equal(json.encode({ odd = odd }), encode({ odd = odd }))
		end
		local holes = array({})
		holes.x = 1
		assert.are.equal(json.encode({ h = holes }), encode({ h = holes }))
	end)
end)
