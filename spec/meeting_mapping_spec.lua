-- The pure mapping from what Prosody shows to the payload's words: leave reasons
-- (src/leave_reasons.ts), roles, affiliations, participant ids and display names
-- (src/occupant_traits.ts), and role changes on the tracker (src/role_changes.ts).
local E = require "spec.helpers.prosody_env"

local require_bundled = E.bundle_require()
local reasons = require_bundled("src.leave_reasons")
local traits = require_bundled("src.occupant_traits")
local role_changes = require_bundled("src.role_changes")
local rooms = require_bundled("src.rooms")

local function codes(...)
	local set = {}
	for _, code in ipairs({ ... }) do set[code] = true end
	return set
end

local function reason(clues)
	clues.roomDestroying = clues.roomDestroying or false
	clues.serverStopping = clues.serverStopping or false
	clues.nickChange = clues.nickChange or false
	return reasons.leaveReason(clues)
end

describe("leave reasons", function()
	it("an unavailable presence from the client, with or without a status of its own, is 'left'", function()
		assert.are.equal("left", reason({}))
		assert.are.equal("left", reason({ statusText = "Gone to lunch" }))
	end)

	it("Jitsi's 'switch_room' status is a move between main and breakout room", function()
		assert.are.equal("switch_room", reason({ statusText = "switch_room" }))
	end)

	it("maps the broadcast's status codes: 307 kicked, 301 banned, 321/322 removed, 333 connection lost", function()
		assert.are.equal("kicked", reason({ statusCodes = codes("307") }))
		assert.are.equal("banned", reason({ statusCodes = codes("301") }))
		assert.are.equal("removed", reason({ statusCodes = codes("321") }))
		assert.are.equal("removed", reason({ statusCodes = codes("322") }))
		assert.are.equal("connection_lost", reason({ statusCodes = codes("333"), statusText = "Kicked: service unavailable" }))
		-- 110 (self-presence) and other codes say nothing about why
		assert.are.equal("left", reason({ statusCodes = codes("110", "170") }))
		-- a ban that also carries 307 is a ban
		assert.are.equal("banned", reason({ statusCodes = codes("307", "301") }))
	end)

	it("mod_presence's 'Disconnected: <error>' is a lost connection, unless the server is stopping", function()
		assert.are.equal("connection_lost", reason({ statusText = "Disconnected: Connection reset by peer" }))
		assert.are.equal("connection_lost", reason({ statusText = "Disconnected: connection-timeout" }))
		assert.are.equal("server_shutdown", reason({ statusText = "Disconnected: Received SIGTERM", serverStopping = true }))
		assert.are.equal("server_shutdown", reason({ serverStopping = true }))
		-- from a client of this server the text is its own words: only resource-unbind tells
		assert.are.equal("left", reason({ statusText = "Disconnected: spoofed", localClient = true }))
		assert.are.equal("connection_lost", reason({ statusText = "Disconnected: x", localClient = true, connectionLost = true }))
		-- a text that merely contains the words is the client's own
		assert.are.equal("left", reason({ statusText = "Not Disconnected: really" }))
		-- the session ended without closing its stream (resource-unbind without error, or with one)
		assert.are.equal("connection_lost", reason({ connectionLost = true }))
		assert.are.equal("server_shutdown", reason({ connectionLost = true, serverStopping = true }))
		assert.are.equal("kicked", reason({ connectionLost = true, statusCodes = codes("307") }))
	end)

	it("a destroyed room and a nick change win over everything else", function()
		assert.are.equal("room_destroyed", reason({ roomDestroying = true, statusCodes = codes("307") }))
		assert.are.equal("room_destroyed", reason({ roomDestroying = true, serverStopping = true }))
		assert.are.equal("nick_change", reason({ nickChange = true, statusText = "switch_room" }))
	end)
end)

describe("occupant traits", function()
	it("roles and affiliations in XEP-0045's words; none, outcast and junk are not a role", function()
		assert.are.equal("moderator", traits.roleOf("moderator"))
		assert.are.equal("participant", traits.roleOf("participant"))
		assert.are.equal("visitor", traits.roleOf("visitor"))
		assert.is_nil(traits.roleOf(nil))
		assert.is_nil(traits.roleOf("none"))
		assert.is_nil(traits.roleOf(42))
		assert.are.equal("owner", traits.affiliationOf("owner"))
		assert.are.equal("admin", traits.affiliationOf("admin"))
		assert.are.equal("member", traits.affiliationOf("member"))
		assert.are.equal("none", traits.affiliationOf(nil))
		assert.is_nil(traits.affiliationOf("outcast"))
		assert.is_nil(traits.affiliationOf({}))
	end)

	it("the participant id is the in-room resource, slashes and all", function()
		assert.are.equal("a1b2c3d4", traits.participantIdOf("room@conference.example.com/a1b2c3d4"))
		assert.are.equal("x/y", traits.participantIdOf("room@conference.example.com/x/y"))
		assert.are.equal("room@conference.example.com", traits.participantIdOf("room@conference.example.com"))
	end)

	it("a display name is bounded to 512 bytes on a character boundary; empty is none", function()
		assert.is_nil(traits.displayNickOf(nil))
		assert.is_nil(traits.displayNickOf(""))
		assert.are.equal("Alice", traits.displayNickOf("Alice"))
		local long = traits.displayNickOf(string.rep("é", 400))
		assert.is_true(#long <= 512)
		assert.are.equal(0, #long % 2)
	end)
end)

describe("role changes", function()
	local tracker, facts = nil, {}
	local ROOM = "r@" .. E.MUC
	before_each(function()
		-- what TSTL's `new RoomTracker()` does (__TS__New)
		tracker = setmetatable({}, rooms.RoomTracker.prototype)
		tracker:____constructor()
		tracker:occupantJoined(ROOM, facts, {
			nick = ROOM .. "/a", occupantJid = "alice@example.com/r",
			traits = { role = "participant", affiliation = "none", participantId = "a", kind = "participant" },
		}, 100)
	end)

	it("reports a change of role or affiliation once, with what it was and who did it", function()
		local actor = { jid = "mod@example.com/x" }
		local events = role_changes.roleChange(tracker, ROOM, facts, ROOM .. "/a", { role = "moderator", affiliation = "owner" }, actor, 110)
		assert.are.equal(1, #events)
		assert.are.equal("role-changed", events[1].kind)
		assert.are.equal("participant", events[1].previousRole)
		assert.are.equal("none", events[1].previousAffiliation)
		assert.are.equal("moderator", events[1].occupant.role)
		assert.are.equal(actor, events[1].actor)
		-- the same again (a presence update) is no change
		assert.are.same({}, role_changes.roleChange(tracker, ROOM, facts, ROOM .. "/a", { role = "moderator", affiliation = "owner" }, nil, 111))
		-- an affiliation change alone is one
		local member = role_changes.roleChange(tracker, ROOM, facts, ROOM .. "/a", { role = "moderator", affiliation = "member" }, nil, 112)
		assert.are.equal("owner", member[1].previousAffiliation)
	end)

	it("nothing for someone not tracked, or leaving (no role)", function()
		assert.are.same({}, role_changes.roleChange(tracker, ROOM, facts, ROOM .. "/b", { role = "moderator", affiliation = "none" }, nil, 110))
		assert.are.same({}, role_changes.roleChange(tracker, ROOM, facts, ROOM .. "/a", { role = nil, affiliation = "none" }, nil, 110))
	end)
end)
