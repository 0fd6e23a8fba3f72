-- src/event_ids.ts: version 4 UUIDs from util.random, 16 ids' worth of bytes per read.
local E = require "spec.helpers.prosody_env"

local ids = E.bundle_require()("src.event_ids")
local UUID4 = "^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$"

describe("event ids", function()
	it("are version 4 UUIDs, lower case, from the secure source, 16 per read", function()
		local reads = {}
		local next_id = ids.createIdSource(function(n)
			reads[#reads + 1] = n
			return require("util.random").bytes(n)
		end)
		local seen = {}
		for _ = 1, 40 do
			local id = next_id()
			assert.is_truthy(id:match(UUID4), id)
			assert.is_nil(seen[id])
			seen[id] = true
		end
		assert.are.same({ 256, 256, 256 }, reads)
	end)

	it("write every byte as it came, but the version and variant bits", function()
		local next_id = ids.createIdSource(function(n) return ("\255"):rep(n) end)
		assert.are.equal("ffffffff-ffff-4fff-bfff-ffffffffffff", next_id())
		next_id = ids.createIdSource(function(n) return ("\0"):rep(n) end)
		assert.are.equal("00000000-0000-4000-8000-000000000000", next_id())
	end)
end)
