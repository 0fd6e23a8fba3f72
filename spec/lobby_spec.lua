-- Jitsi's lobby: the pure mapping (src/lobby.ts: who is waiting, why they stopped, their
-- events on the main room's state) and the `lobby_component` option.
local E = require "spec.helpers.prosody_env"

local require_bundled = E.bundle_require()
local lobby = require_bundled("src.lobby")
local rooms = require_bundled("src.rooms")

local MUC = E.MUC
local LOBBY = "lobby.example.com"
local MAIN = "meeting@" .. MUC
local KNOCKER = "meeting@" .. LOBBY .. "/a1b2c3d4"

local function reason(leave, admitted)
	return lobby.lobbyLeaveReason({ leave = leave, admitted = admitted or false })
end

local function kinds(events)
	local out = {}
	for i, e in ipairs(events) do out[i] = e.kind end
	return out
end

describe("lobby leave reasons", function()
	it("a destroyed lobby room is room_destroyed, whatever else is true", function()
		assert.are.equal("room_destroyed", reason("room_destroyed"))
		assert.are.equal("room_destroyed", reason("room_destroyed", true))
	end)

	it("a kick (Jitsi's deny) or a ban from the lobby room is denied, even for a member", function()
		assert.are.equal("denied", reason("kicked"))
		assert.are.equal("denied", reason("banned"))
		assert.are.equal("denied", reason("kicked", true))
	end)

	it("any other leave is admitted when the main room lets them in, else left", function()
		for _, leave in ipairs({ "left", "connection_lost", "server_shutdown", "removed", "nick_change" }) do
			assert.are.equal("admitted", reason(leave, true), leave)
			assert.are.equal("left", reason(leave, false), leave)
		end
	end)

	it("member, admin and owner of the main room are admitted; none and outcast are not", function()
		for _, a in ipairs({ "member", "admin", "owner" }) do assert.is_true(lobby.isAdmittedAffiliation(a), a) end
		for _, a in ipairs({ "none", "outcast" }) do assert.is_false(lobby.isAdmittedAffiliation(a), a) end
		assert.is_false(lobby.isAdmittedAffiliation(nil))
	end)

	it("moderators watching the lobby are not knocking: role moderator, or owner/admin of the main room", function()
		assert.is_true(lobby.isLobbyModerator("moderator", nil))
		assert.is_true(lobby.isLobbyModerator("participant", "owner"))
		assert.is_true(lobby.isLobbyModerator("participant", "admin"))
		assert.is_false(lobby.isLobbyModerator("participant", "member"))
		assert.is_false(lobby.isLobbyModerator("participant", nil))
		assert.is_false(lobby.isLobbyModerator(nil, "none"))
	end)
end)

describe("lobby events on the main room's state", function()
	local tracker, facts = nil, {}
	local visitor = { occupantJid = "bob@example.com/r", participantId = "a1b2c3d4", displayNick = "Bob", joinedAt = 100 }
	before_each(function()
		tracker = setmetatable({}, rooms.RoomTracker.prototype) -- what TSTL's `new RoomTracker()` does
		tracker:____constructor()
	end)

	it("a knock at an untracked main room starts tracking it: created, then lobby-joined", function()
		local events = lobby.lobbyKnocked(tracker, MAIN, facts, KNOCKER, visitor)
		assert.are.same({ "room-created", "lobby-joined" }, kinds(events))
		assert.are.equal(MAIN, events[2].room.roomJid)
		assert.are.equal(visitor, events[2].visitor)
		-- waiting is not being inside: no occupant, no attendance
		assert.are.equal(0, events[2].room.presentCount)
		assert.are.equal(0, events[2].room.joins)
		-- the same in-lobby JID again is nothing new
		assert.are.same({}, lobby.lobbyKnocked(tracker, MAIN, facts, KNOCKER, visitor))
	end)

	it("a knock at a tracked room is its next event; leaving reports when they left and forgets them", function()
		tracker:roomCreated(MAIN, facts, 90)
		assert.are.same({ "lobby-joined" }, kinds(lobby.lobbyKnocked(tracker, MAIN, facts, KNOCKER, visitor)))
		local left = lobby.lobbyLeft(tracker, MAIN, facts, KNOCKER, "admitted", 130)
		assert.are.same({ "lobby-left" }, kinds(left))
		assert.are.equal("admitted", left[1].reason)
		assert.are.equal(130, left[1].visitor.leftAt)
		assert.are.equal(100, left[1].visitor.joinedAt)
		assert.are.equal("Bob", left[1].visitor.displayNick)
		assert.is_nil(visitor.leftAt) -- the recorded knock is not changed
		assert.are.same({}, lobby.lobbyLeft(tracker, MAIN, facts, KNOCKER, "left", 131))
	end)

	it("nothing for a leave never knocked (a moderator), nor once the main room's destroyed was reported", function()
		tracker:roomCreated(MAIN, facts, 90)
		assert.are.same({}, lobby.lobbyLeft(tracker, MAIN, facts, KNOCKER, "left", 120))
		lobby.lobbyKnocked(tracker, MAIN, facts, KNOCKER, visitor)
		tracker:roomDestroyed(MAIN, facts, function() return nil end, 125)
		assert.are.same({}, lobby.lobbyLeft(tracker, MAIN, facts, KNOCKER, "room_destroyed", 126))
		assert.is_nil(tracker:table()[MAIN]) -- not tracked again
	end)
end)

describe("lobby_component", function()
	local function new(extra, hosts)
		return E.new({ options = E.options(extra), hosts = hosts or { MUC, LOBBY } })
	end

	it("hooks the lobby host's joins, leaves and broadcasts", function()
		local p = new({ lobby_component = LOBBY })
		assert.are.equal(3, p:hook_count(LOBBY))
		for _, event in ipairs({ "muc-occupant-joined", "muc-occupant-left", "muc-broadcast-presence" }) do
			assert.are.equal(1, #p.hooks[LOBBY][event], event)
		end
		assert.are.same({}, p:error_statuses())
	end)

	it("defaults to lobby.<muc_mapper_domain_base>; an explicit one wins; none without either", function()
		assert.are.equal(3, new({ muc_mapper_domain_base = "example.com" }):hook_count(LOBBY))
		local other = new({ muc_mapper_domain_base = "example.com", lobby_component = "waiting.other.org" }, { MUC, LOBBY, "waiting.other.org" })
		assert.are.equal(3, other:hook_count("waiting.other.org"))
		assert.are.equal(0, other:hook_count(LOBBY))
		assert.are.equal(0, new({}):hook_count(LOBBY))
	end)

	it("a bad value is a configuration error naming it", function()
		for _, value in ipairs({ "", 42, true }) do
			local errors = new({ lobby_component = value }):error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("option 'lobby_component'", 1, true), errors[1])
		end
	end)

	it("a host that never becomes active gets one warning naming the option", function()
		local p = new({ lobby_component = "lobby.typo.example" })
		while p:next_due() do p:run_next_timer() end
		local found = 0
		for _, m in ipairs(p:logs_at("warn")) do
			if m:find("lobby_component", 1, true) and m:find("lobby.typo.example", 1, true) then found = found + 1 end
		end
		assert.are.equal(1, found)
	end)
end)
