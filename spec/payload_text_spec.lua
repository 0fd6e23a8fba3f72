-- src/payload_text.ts: the joined and left bodies written as text must be the very JSON the
-- general path (buildPayload, then the payload encoder) makes, field for field, whatever is
-- present or absent: both are decoded and compared, over hand-picked and generated events.
local E = require "spec.helpers.prosody_env"

local json = require "util.json"
local array = require "util.array"
local modules = E.bundle_require()
local payloads = modules("src.payloads")
local text = modules("src.payload_text")
local encode = modules("src.json_encode").createJsonEncoder({
	encode = function(v) return json.encode(v) end,
	null = json.null,
	arrayMeta = getmetatable(array()),
})

--- A seeded coin and `maybe(value)` (the value or nil, by the coin) for generated cases.
local function generator(seed)
	local function coin()
		seed = (seed * 1103515245 + 12345) % 2147483648
		return seed % 2 == 0
	end
	return coin, function(value) if coin() then return value end end
end

local NAMES = { ["occupant-joined"] = "muc-occupant-joined", ["occupant-left"] = "muc-occupant-left" }

local function both(event, meta)
	local name = NAMES[event.kind]
	local general = json.decode(encode(payloads.buildPayload(event, meta, array).payload))
	local direct = json.decode(text.occupantEventJson(event, name, meta, encode))
	return general, direct
end

local function room(fields)
	local r = { roomJid = "room@conference.example.com", roomName = "room", attendance = { listed = {}, omitted = 0 } }
	for k, v in pairs(fields or {}) do r[k] = v end
	return r
end

local META = { eventId = "9b2f0c36-5c4e-4c8e-9a55-0d1e2f3a4b5c", timestampMs = 1764536400123, sequence = 7 }

describe("the joined and left bodies written as text", function()
	it("are the general path's JSON for a bare join (no identity, no traits)", function()
		local event = {
			kind = "occupant-joined", room = room(), activeCount = 1, standing = {},
			occupant = { occupantJid = "a@example.com/r", joinedAt = 1764536400, seq = 1 },
		}
		local general, direct = both(event, META)
		assert.are.same(general, direct)
		assert.are.equal("muc-occupant-joined", direct.event_name)
		assert.are.equal(false, direct.is_breakout)
		assert.are.equal(1, direct.active_occupants_count)
	end)

	it("carry a left's reason, speaker time, identity and the token's own fields (not ours, not functions)", function()
		local event = {
			kind = "occupant-left", reason = "connection_lost", activeCount = 0,
			standing = { role = "moderator", affiliation = "owner" },
			room = room({ meetingId = "m-1", extraPayload = { tenant = "acme", role = "spoofed", tags = array({ "a", "b" }), nested = { n = 1 } } }),
			occupant = {
				occupantJid = "bob@example.com/res \"quoted\"\n", joinedAt = 1764536400, leftAt = 1764536460, speakerTimeMs = 4200, seq = 2,
				identity = { id = "u1", name = "Bob \"B\" Ünïcode 😀", email = "bob@example.com", bytes = 0,
					userInfo = { avatar = "https://x/a.png", moderator = true, email = "other@example.com", hidden = function() end } },
				traits = { displayNick = "Bob\tTab", participantId = "abcd1234", kind = "participant" },
			},
		}
		local general, direct = both(event, META)
		assert.are.same(general, direct)
		assert.are.equal("connection_lost", direct.disconnect_reason)
		assert.are.equal("acme", direct.tenant)
		assert.are.equal("m-1", direct.meeting_id)
		assert.are.equal("bob@example.com", direct.occupant.email) -- the token's user context cannot replace ours
		assert.are.equal(true, direct.occupant.moderator)
		assert.is_nil(direct.occupant.hidden)
		assert.are.equal(4200, direct.occupant.total_dominant_speaker_time)
	end)

	it("name the main room for a breakout room's events", function()
		local event = {
			kind = "occupant-joined", activeCount = 3, standing = { role = "participant", affiliation = "none" },
			room = room({ roomJid = "b1@breakout.example.com", roomName = "b1", breakoutName = "Team \\ A",
				breakout = { mainRoomJid = "main@conference.example.com", mainRoomName = "main", breakoutRoomId = "b1" } }),
			occupant = { occupantJid = "c@example.com/r", joinedAt = 1764536400, seq = 3, traits = { participantId = "c1", kind = "sip" } },
		}
		local general, direct = both(event, META)
		assert.are.same(general, direct)
		assert.are.equal("main@conference.example.com", direct.room_jid)
		assert.are.equal("Team \\ A", direct.breakout_room_name)
		assert.are.equal("main@conference.example.com", payloads.queueJidOf(event.room))
	end)

	it("match the general path on 500 generated events, each field present or absent", function()
		local coin, maybe = generator(12345)
		for i = 1, 500 do
			local breakout = maybe({ mainRoomJid = "m@c.example.com", mainRoomName = "m", breakoutRoomId = maybe("b" .. i) })
			local event = {
				kind = coin() and "occupant-joined" or "occupant-left",
				reason = maybe("kicked"),
				activeCount = i % 7,
				standing = { role = maybe("visitor"), affiliation = maybe("member") },
				room = room({ meetingId = maybe("mid" .. i), breakout = breakout, breakoutName = maybe("n\"" .. i),
					extraPayload = maybe({ x = maybe(i), y = maybe("y"), id = "ours" }) }),
				occupant = {
					occupantJid = "p" .. i .. "@example.com/r", joinedAt = 1764536400 + i, leftAt = maybe(1764536500 + i),
					speakerTimeMs = maybe(i * 10), seq = i,
					identity = maybe({ id = maybe("id" .. i), name = maybe("N" .. i), email = maybe("e" .. i), bytes = 0,
						userInfo = maybe({ lang = "fr" }) }),
					traits = maybe({ displayNick = maybe("nick" .. i), participantId = "p" .. i, kind = "participant" }),
				},
			}
			local general, direct = both(event, { eventId = "id-" .. i, timestampMs = 1764536400000 + i, sequence = i })
			assert.are.same(general, direct)
		end
	end)
end)

describe("the rooms' state entries written as text", function()
	local records = modules("src.room_records")

	it("are what the encoder makes of journaledOccupant, each field present or absent", function()
		local _, maybe = generator(777)
		for i = 1, 300 do
			local occupant = {
				nick = "room@conference.example.com/n\"ick\n" .. i, occupantJid = "p" .. i .. "@example.com/r\\", joinedAt = 1764536400 + i, seq = i,
				identity = maybe({ id = maybe("id" .. i), name = maybe("Zoë \"Z\" " .. i), email = maybe("z@example.com"), bytes = 0 }),
				role = maybe("moderator"), affiliation = maybe("owner"),
				traits = maybe({ role = maybe("participant"), affiliation = maybe("none"), displayNick = maybe("Zoë\t" .. i),
					participantId = "abcd" .. i, kind = "recorder" }), -- both always there (OccupantTraits)
			}
			local general = json.decode(encode(records.journaledOccupant(occupant)))
			local direct = json.decode(records.journaledOccupantJson(occupant))
			assert.are.same(general, direct)
		end
	end)
end)

describe("the text writer's reused table (json_text.ts)", function()
	local outbox_records = modules("src.delivery.outbox_records")

	it("lets go of an outbox batch's bodies once the batch's text is made", function()
		local function deliveries(n, size)
			local out = {}
			for i = 1, n do
				local body = '{"event_name":"muc-room-destroyed","pad":"' .. string.rep(string.char(65 + i % 26), size) .. '"}'
				out[i] = { eventName = "muc-room-destroyed", eventId = "id" .. i, createdAtMs = 1, roomJid = "r" .. i .. "@x",
					path = "/p", body = body, attempts = 0 }
			end
			return out
		end
		collectgarbage()
		collectgarbage()
		local base = collectgarbage("count")
		local function big_batch() -- in a function of its own: nothing of it stays on the stack
			return #outbox_records.batchRecord(deliveries(100, 100 * 1024), {}, encode).deliveries_json
		end
		local function small_texts()
			for _ = 1, 10 do outbox_records.batchRecord(deliveries(1, 100), {}, encode) end
		end
		assert.is_true(big_batch() > 10 * 1000 * 1000)
		small_texts() -- later, small texts
		-- LuaJIT keeps its own string buffer at the largest text's size and halves it at each
		-- full collection: several, so that only what is still referenced counts.
		for _ = 1, 8 do collectgarbage() end
		local held_kb = collectgarbage("count") - base
		assert.is_true(held_kb < 1024, ("%.0f KB still held"):format(held_kb)) -- the escaped bodies were ~10 MB
	end)
end)
