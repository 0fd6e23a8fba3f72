-- Findings of an adversarial review of the lobby, Jibri, focus and service-participant work,
-- each kept as a spec: hiding as a transcriber, admins taken for focus, a second focus, a lobby
-- nick change, lobby_component misnamed, empty prefixes, and what a crash leaves open.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC
local LOBBY = "lobby.example.com"
local MUC_USER = "http://jabber.org/protocol/muc#user"
local JIBRI_NS = "http://jitsi.org/protocol/jibri"
local EVENTS = { "muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed",
	"muc-lobby-joined", "muc-lobby-left", "muc-recording-started", "muc-recording-stopped" }

local function x_with(...)
	local statuses = {}
	for _, code in ipairs({ ... }) do statuses[#statuses + 1] = E.stanza("status", { code = code }) end
	return E.stanza("x", { xmlns = MUC_USER }, statuses)
end

--- focus's broadcast presence carrying a jibri-recording-status.
local function jibri_presence(status, id, mode)
	return E.stanza("presence", nil, { E.stanza("jibri-recording-status",
		{ xmlns = JIBRI_NS, status = status, session_id = id, recording_mode = mode }) })
end

local function count(list, name)
	local n = 0
	for _, v in ipairs(list) do if v == name then n = n + 1 end end
	return n
end

describe("review of the meeting events: service participants", function()
	it("R1 a guest who puts Jigasi's transcriber feature in their presence is still reported (exclude_service_participants)", function()
		local p = E.new({ options = E.options({ api_events = EVENTS, exclude_service_participants = true }) })
		local room = E.room("r1")
		local host = E.occupant(room, "h", "host@example.com/r")
		p:join(room, host, E.session(host.jid), true)
		-- A guest's JID is random and on the guest domain; only the presence is theirs to write.
		local forged = E.stanza("presence", nil, { E.stanza("features", nil,
			{ E.stanza("feature", { var = "http://jitsi.org/protocol/transcriber" }) }) })
		local mallory = E.occupant(room, "m", "6a1f0c2e-guest@guest.example.com/x", forged)
		p:join(room, mallory, E.session(mallory.jid))
		p:deliver_all()
		assert.are.equal(2, count(p:event_names(), "muc-occupant-joined"), "the guest vanished from the reports")
	end)

	it("R2 a server admin joining with an ordinary XMPP client (nick = account name) is a person, not focus", function()
		local p = E.new({ options = E.options({ api_events = EVENTS }),
			host_options = { ["*"] = { admins = { "alice@example.com" } } } })
		local room = E.room("r2")
		local bob = E.occupant(room, "bob", "bob@example.com/r")
		p:join(room, bob, E.session(bob.jid), true)
		local alice = E.occupant(room, "alice", "alice@example.com/gajim") -- Gajim/Conversations/Dino default
		p:join(room, alice, E.session(alice.jid))
		p:deliver_all()
		assert.are.equal(2, count(p:event_names(), "muc-occupant-joined"), "the admin vanished from the reports")
	end)

	it("R3 a second 'focus' (an admin under its own nick) leaving does not stop Jicofo's recording", function()
		local p = E.new({ options = E.options({ api_events = EVENTS }),
			host_options = { ["*"] = { admins = { "alice@example.com" } } } })
		local room = E.room("r3")
		local bob = E.occupant(room, "bob", "bob@example.com/r")
		p:join(room, bob, E.session(bob.jid), true)
		local focus = E.occupant(room, "focus", "focus@auth.example.com/focus")
		focus.role = "moderator"
		p:join(room, focus, E.session(focus.jid))
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = focus, x = x_with(),
			stanza = jibri_presence("on", "s-1", "file") })
		local alice = E.occupant(room, "alice", "alice@example.com/gajim")
		p:join(room, alice, E.session(alice.jid))
		alice.role = nil
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = alice, x = x_with(), stanza = E.stanza("presence") })
		p:leave(room, alice)
		-- Jicofo keeps re-sending its status: the recording is still on.
		p:fire(MUC, "muc-broadcast-presence", { room = room, occupant = focus, x = x_with(),
			stanza = jibri_presence("on", "s-1", "file") })
		p:deliver_all()
		assert.are.equal(1, count(p:event_names(), "muc-recording-started"))
		assert.are.equal(0, count(p:event_names(), "muc-recording-stopped"), "the recording was reported stopped while on")
	end)
end)

describe("review of the meeting events: lobby", function()
	local p, main, lobby_room

	before_each(function()
		p = E.new({ options = E.options({ api_events = EVENTS, lobby_component = LOBBY }), hosts = { MUC, LOBBY } })
		main = E.room("meeting")
		lobby_room = E.room("meeting", LOBBY)
		lobby_room.main_room_jid = main.jid
		p.hosts[MUC].modules.muc = { get_room_from_jid = function(jid) return jid == main.jid and main or nil end }
		local owner = E.occupant(main, "o", "owner@example.com/r")
		p:join(main, owner, E.session(owner.jid), true)
	end)

	it("R4 a knocker who changes MUC nick in the lobby is still waiting; their admission later is reported", function()
		local visitor = E.occupant(lobby_room, "a1b2c3d4", "guest-1@guest.example.com/x")
		p:fire(LOBBY, "muc-occupant-joined", { room = lobby_room, nick = visitor.nick, occupant = visitor,
			origin = E.session(visitor.jid) })
		-- muc.lib nick change: muc-occupant-left for the old nick with the AVAILABLE presence to the new one
		local new_nick = lobby_room.jid .. "/other"
		p:fire(LOBBY, "muc-occupant-left", { room = lobby_room, nick = visitor.nick, occupant = visitor,
			stanza = E.stanza("presence", { from = visitor.jid, to = new_nick }), origin = E.session(visitor.jid) })
		-- admitted (made a member by the invite), then leaves the lobby under the new nick
		main._affiliations["guest-1@guest.example.com"] = "member"
		local renamed = E.occupant(lobby_room, "other", visitor.jid)
		p:leave(lobby_room, renamed)
		p:deliver_all()
		local reasons = {}
		for i = 1, #p.requests do
			local body = p:body(i)
			if body.event_name == "muc-lobby-left" then reasons[#reasons + 1] = body.disconnect_reason end
		end
		assert.are.same({ "admitted" }, reasons)
	end)
end)

describe("review of the meeting events: options", function()
	it("R5 lobby_component naming the main MUC (or the breakout component) is a configuration error", function()
		for _, extra in ipairs({ { lobby_component = MUC },
			{ lobby_component = "breakout.example.com", breakout_component = "breakout.example.com" } }) do
			extra.api_events = EVENTS
			local p = E.new({ options = E.options(extra), hosts = { MUC, "breakout.example.com" } })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors, "no error for lobby_component = " .. extra.lobby_component)
			assert.truthy(errors[1]:find("lobby_component", 1, true))
		end
	end)

	it("R6 recorder_prefixes = { \"\" } (every JID) is rejected rather than making everyone a recorder", function()
		local p = E.new({ options = E.options({ recorder_prefixes = { "" } }) })
		assert.are.equal(1, #p:error_statuses())
	end)
end)

describe("review of the meeting events: a crash", function()
	it("R7 closes what a crash ended beyond the occupants: the recording on and the people waiting in the lobby", function()
		local opts = E.options({ api_events = EVENTS, api_outbox = true, lobby_component = LOBBY })
		local p = E.new({ options = opts, hosts = { MUC, LOBBY } })
		local main = E.room("crashy")
		local lobby_room = E.room("crashy", LOBBY)
		lobby_room.main_room_jid = main.jid
		p.hosts[MUC].modules.muc = { get_room_from_jid = function(jid) return jid == main.jid and main or nil end }
		local bob = E.occupant(main, "bob", "bob@example.com/r")
		p:join(main, bob, E.session(bob.jid), true)
		local focus = E.occupant(main, "focus", "focus@auth.example.com/focus")
		focus.role = "moderator"
		p:fire(MUC, "muc-broadcast-presence", { room = main, occupant = focus, x = x_with(),
			stanza = jibri_presence("on", "s-1", "file") })
		local visitor = E.occupant(lobby_room, "a1b2c3d4", "guest-1@guest.example.com/x")
		p:fire(LOBBY, "muc-occupant-joined", { room = lobby_room, nick = visitor.nick, occupant = visitor,
			origin = E.session(visitor.jid) })
		p:deliver_all()
		p:advance(0.1) -- the write round
		local p2 = p:restart()
		p2:deliver_all()
		local names = p2:event_names()
		assert.are.equal(1, count(names, "muc-room-destroyed"))
		assert.are.equal(1, count(names, "muc-recording-stopped"), "recording/started is never closed")
		assert.are.equal(1, count(names, "muc-lobby-left"), "lobby/joined is never closed")
	end)
end)
