-- The events waiting for the API are bounded in bytes too, not only in number
-- (api_max_pending): past 16 MB of bodies the oldest are dropped, as past the count.
local E = require "spec.helpers.prosody_env"

local MAX_BYTES = 16 * 1024 * 1024

local function pending_bytes(p)
	local total, count = 0, 0
	for _, delivery in ipairs(p.module.save().pending) do
		total, count = total + #delivery.body, count + 1
	end
	return total, count
end

describe("bytes of events waiting for the API", function()
	it("stay under 16 MB while the API hangs, whatever participants send (oldest dropped, one warning)", function()
		local p = E.new({ options = E.options({ include_user_info = true, api_timeout = 100000 }) })
		local room = E.room("heavy")
		local user = { name = string.rep("n", 600) }
		for k = 1, 60 do user["key" .. k] = string.rep("v", 60) end
		local occupants = {}
		for i = 1, 1800 do
			local o = E.occupant(room, "o" .. i, "o" .. i .. "@guest.example.com/" .. string.rep("r", 1023))
			occupants[i] = o
			p:join(room, o, E.session(o.jid, user), i == 1)
		end
		for i = 2, 1800 do p:leave(room, occupants[i]) end
		local bytes, count = pending_bytes(p)
		assert.truthy(bytes <= MAX_BYTES, ("%d bytes pending"):format(bytes))
		assert.truthy(count < 3600 and count > 2000, count .. " pending")
		local dropped = p.metrics.dropped_occupant_joined.count + p.metrics.dropped_room_created.count
		assert.truthy(dropped > 0)
		local warnings = 0
		for _, m in ipairs(p:logs_at("warn")) do
			if m:find("More than 16384 KB of events are waiting for the API", 1, true) then warnings = warnings + 1 end
		end
		assert.are.equal(1, warnings)
	end)
end)
