-- The pure mapping of Jitsi's infrastructure occupants: presences to kinds (src/service_kinds.ts
-- read through src/prosody/service_participants.ts, after jitsi-meet's util.lib.lua), focus
-- recognition (src/exclusions.ts) and Jibri status to started/stopped (src/jibri_sessions.ts,
-- after jicofo JibriRecorder.kt publishJibriRecordingStatus).
local E = require "spec.helpers.prosody_env"

local require_bundled = E.bundle_require()
local services = require_bundled("src.prosody.service_participants")
local exclusions = require_bundled("src.exclusions")
local jibri = require_bundled("src.jibri_sessions")

local S = E.stanza
local DEFAULTS = { focusJids = {}, excludeServiceParticipants = false,
	prefixes = { recorder = { "recorder@recorder.", "jibria@recorder.", "jibrib@recorder." },
		transcriber = { "transcriber@recorder.", "transcribera@recorder.", "transcriberb@recorder." } } }

local function presence(children)
	return S("presence", { xmlns = "jabber:client" }, children)
end
local function features(...)
	local list = {}
	for _, var in ipairs({ ... }) do list[#list + 1] = S("feature", { var = var }) end
	return S("features", nil, list)
end

describe("occupant kinds (util.lib.lua conventions)", function()
	local kind_of = services.serviceParticipants(DEFAULTS, {}).kindOf

	it("a person is a participant, whatever their presence says", function()
		local nick = S("nick", { xmlns = "http://jabber.org/protocol/nick" }, "Alice")
		assert.are.equal("participant", kind_of("abc@meet.example.com/x1", presence({ nick })))
		assert.are.equal("participant", kind_of("abc@meet.example.com/x1", nil))
		-- the hidden domain alone is not enough: only the known accounts are
		assert.are.equal("participant", kind_of("someone@recorder.meet.example.com/r", presence({})))
	end)

	it("Jibri: a real JID starting with one of recorder_prefixes (is_jibri)", function()
		assert.are.equal("recorder", kind_of("recorder@recorder.meet.example.com/abc", presence({})))
		assert.are.equal("recorder", kind_of("jibrib@recorder.meet.example.com/abc", nil))
	end)

	it("transcriber: transcriber_prefixes (is_transcriber) or the transcriber feature (is_transcriber_jigasi)", function()
		assert.are.equal("transcriber", kind_of("transcriber@recorder.meet.example.com/t", presence({})))
		assert.are.equal("transcriber", kind_of("jigasi@recorder.meet.example.com/t",
			presence({ features("http://jitsi.org/protocol/jigasi", "http://jitsi.org/protocol/transcriber") })))
		-- the feature is anyone's to send: off Jitsi's hidden domain it makes nobody a transcriber
		assert.are.equal("participant", kind_of("mallory@meet.example.com/t",
			presence({ features("http://jitsi.org/protocol/transcriber") })))
	end)

	it("SIP: Jigasi's <initiator/> (is_sip_jigasi), or a SIP Jibri's feature and e-mail (is_sip_jibri_join)", function()
		local initiator = S("initiator", { xmlns = "http://jitsi.org/protocol/jigasi" },
			{ S("header", { name = "JigasiCallDirection", value = "in" }) })
		assert.are.equal("sip", kind_of("jigasi@auth.meet.example.com/j", presence({ initiator })))
		local sip_jibri = presence({ features("http://jitsi.org/protocol/jibri"), S("email", nil, "outbound-sip-jibri@jitsi.net") })
		assert.are.equal("sip", kind_of("recorder@recorder.meet.example.com/s", sip_jibri))
		-- the feature without the e-mail is a recording Jibri
		assert.are.equal("recorder", kind_of("recorder@recorder.meet.example.com/s", presence({ features("http://jitsi.org/protocol/jibri") })))
		-- the e-mail without the feature is anybody's claim
		assert.are.equal("participant", kind_of("x@meet.example.com/s", presence({ S("email", nil, "inbound-sip-jibri@jitsi.net") })))
	end)

	it("reads each marker as util.stanza's get_child would: the first match, foreign namespaces ignored", function()
		local foreign_features = S("features", { xmlns = "urn:other" }, { S("feature", { var = "http://jitsi.org/protocol/jibri" }) })
		local sip_email = S("email", nil, "outbound-sip-jibri@jitsi.net")
		-- a <features/> of another namespace first: the presence's own one counts
		assert.are.equal("recorder", kind_of("recorder@recorder.meet.example.com/s",
			presence({ foreign_features, S("features", nil, {}), sip_email })))
		assert.are.equal("sip", kind_of("recorder@recorder.meet.example.com/s",
			presence({ foreign_features, features("http://jitsi.org/protocol/jibri"), sip_email })))
		-- an <email/> of another namespace is not the e-mail; the first one of ours is
		assert.are.equal("recorder", kind_of("recorder@recorder.meet.example.com/s",
			presence({ features("http://jitsi.org/protocol/jibri"), S("email", { xmlns = "urn:other" }, "inbound-sip-jibri@x") })))
		assert.are.equal("recorder", kind_of("recorder@recorder.meet.example.com/s",
			presence({ features("http://jitsi.org/protocol/jibri"), S("email", nil, "someone@x"), sip_email })))
		-- an <initiator/> outside Jigasi's namespace makes no SIP call
		assert.are.equal("participant", kind_of("x@meet.example.com/s", presence({ S("initiator", { xmlns = "urn:other" }) })))
	end)

	it("the operator's own prefixes replace Jitsi's defaults", function()
		local custom = services.serviceParticipants({ focusJids = {}, excludeServiceParticipants = false,
			prefixes = { recorder = { "rec@hidden." }, transcriber = { "tr@hidden." } } }, {}).kindOf
		assert.are.equal("recorder", custom("rec@hidden.example.com/1", nil))
		assert.are.equal("transcriber", custom("tr@hidden.example.com/1", nil))
		assert.are.equal("participant", custom("recorder@recorder.example.com/1", nil))
	end)

	it("exclude_service_participants leaves out recorders and transcribers, never people or SIP callers", function()
		local room = E.room("r")
		local on = services.serviceParticipants({ focusJids = {}, excludeServiceParticipants = true, prefixes = DEFAULTS.prefixes }, {})
		local off = services.serviceParticipants(DEFAULTS, {})
		local recorder = E.occupant(room, "rec", "recorder@recorder.example.com/r1")
		local transcriber = E.occupant(room, "tr", "transcriber@recorder.example.com/t1")
		local sip = E.occupant(room, "sip", "jigasi@auth.example.com/j1",
			presence({ S("initiator", { xmlns = "http://jitsi.org/protocol/jigasi" }) }))
		local alice = E.occupant(room, "alice", "alice@example.com/a1")
		assert.is_true(on.isLeftOut(recorder))
		assert.is_true(on.isLeftOut(transcriber))
		assert.is_false(on.isLeftOut(sip))
		assert.is_false(on.isLeftOut(alice))
		assert.is_false(off.isLeftOut(recorder))
	end)
end)

describe("focus", function()
	it("is focus@… as before, with or without a rule", function()
		assert.is_true(exclusions.isFocusOccupant("focus@auth.example.com/focus123"))
		assert.is_true(exclusions.isFocusOccupant("focus@auth.example.com"))
		assert.is_false(exclusions.isFocusOccupant("focuser@auth.example.com/x"))
		assert.is_false(exclusions.isFocusOccupant("auth.example.com"))
	end)

	it("is any bare JID in focus_jids, in any case, under any nick", function()
		local rule = exclusions.focusRule({ "Jicofo@Auth.example.com" }, {})
		assert.is_true(exclusions.isFocusOccupant("jicofo@auth.example.com/res", "room@conference.example.com/whatever", rule))
		assert.is_false(exclusions.isFocusOccupant("other@auth.example.com/res", "room@conference.example.com/other", rule))
	end)

	it("is an admin joined under its own account name or 'focus' (Jicofo's nick); an admin in person is not", function()
		local rule = exclusions.focusRule({}, { "focususer@auth.example.com" })
		assert.is_true(exclusions.isFocusOccupant("focusUser@auth.example.com/r", "room@conference.example.com/focusUser", rule))
		assert.is_true(exclusions.isFocusOccupant("focususer@auth.example.com/r", "room@conference.example.com/focus", rule))
		assert.is_false(exclusions.isFocusOccupant("focususer@auth.example.com/r", "room@conference.example.com/3f2a9c1d", rule))
		-- the nick alone makes nobody focus
		assert.is_false(exclusions.isFocusOccupant("mallory@example.com/r", "room@conference.example.com/focus", rule))
	end)

	it("reads the MUC component's own admins (a list or a set), not the server's global ones", function()
		local function joined_count(host_options, nick, real_jid)
			local p = E.new({ host_options = host_options })
			local room = E.room("adm")
			local someone = E.occupant(room, nick, real_jid)
			p:join(room, someone, E.session(real_jid), true)
			p:deliver_all()
			local n = 0
			for _, name in ipairs(p:event_names()) do if name == "muc-occupant-joined" then n = n + 1 end end
			return n
		end
		-- Jicofo as "jicofo@auth…", an admin of the MUC component, under its own account name
		assert.are.equal(0, joined_count({ [E.MUC] = { admins = { "jicofo@auth.example.com" } } }, "jicofo", "jicofo@auth.example.com/f"))
		assert.are.equal(0, joined_count({ [E.MUC] = { admins = { ["jicofo@auth.example.com"] = true } } }, "jicofo",
			"jicofo@auth.example.com/f"))
		-- a global admin joining from an ordinary client (nick = account name) is a person
		assert.are.equal(1, joined_count({ ["*"] = { admins = { "alice@example.com" } } }, "alice", "alice@example.com/gajim"))
	end)
end)

describe("Jibri sessions (jibri-recording-status)", function()
	local function status(s, id, mode, extra)
		local fields = { status = s, sessionId = id, recordingMode = mode }
		for k, v in pairs(extra or {}) do fields[k] = v end
		return fields
	end

	it("pending → on → off: one start (with its initiator) and one stop (with its terminator)", function()
		local m = jibri.newJibriMemory()
		assert.is_nil(jibri.noteJibriStatus(m, status("pending", "s1", "file")))
		local started = jibri.noteJibriStatus(m, status("on", "s1", "file", { initiator = "r@muc/alice" }))
		assert.are.same({ kind = "jibri-started", sessionId = "s1", mode = "file", initiator = "r@muc/alice" }, started)
		-- Jicofo re-sends its last status with every later presence of focus
		assert.is_nil(jibri.noteJibriStatus(m, status("on", "s1", "file", { initiator = "r@muc/alice" })))
		local stopped = jibri.noteJibriStatus(m, status("off", "s1", "file", { initiator = "r@muc/bob" }))
		assert.are.same({ kind = "jibri-stopped", sessionId = "s1", mode = "file", initiator = "r@muc/bob", stopReason = "off" }, stopped)
		assert.is_nil(jibri.noteJibriStatus(m, status("off", "s1", "file")))
		assert.is_nil(jibri.noteJibriStatus(m, status("on", "s1", "file")))
	end)

	it("a live stream is recording_mode 'stream'; a later status without the mode keeps it", function()
		local m = jibri.newJibriMemory()
		assert.are.equal("stream", jibri.noteJibriStatus(m, status("on", "s2", "stream")).mode)
		local stopped = jibri.noteJibriStatus(m, status("off", "s2", nil, { failureReason = "error" }))
		assert.are.equal("stream", stopped.mode)
		assert.are.equal("error", stopped.failureReason)
	end)

	it("a session that fails before it is on gets only a stop, with its failure_reason", function()
		local m = jibri.newJibriMemory()
		assert.is_nil(jibri.noteJibriStatus(m, status("pending", "s3", "file")))
		local stopped = jibri.noteJibriStatus(m, status("off", "s3", "file", { failureReason = "busy" }))
		assert.are.same({ kind = "jibri-stopped", sessionId = "s3", mode = "file", failureReason = "busy", stopReason = "off" }, stopped)
	end)

	it("says nothing of an off never seen before, unknown statuses, a missing id or mode", function()
		local m = jibri.newJibriMemory()
		assert.is_nil(jibri.noteJibriStatus(m, status("off", "old", "file")))
		assert.is_nil(jibri.noteJibriStatus(m, status("undefined", "s4", "file")))
		assert.is_nil(jibri.noteJibriStatus(m, status("on", nil, "file")))
		assert.is_nil(jibri.noteJibriStatus(m, status("on", "", "file")))
		assert.is_nil(jibri.noteJibriStatus(m, status("on", "s5", "undefined")))
		-- once the mode is given, the session starts
		assert.are.equal("file", jibri.noteJibriStatus(m, status("on", "s5", "file")).mode)
	end)

	it("focus leaving or the room's end stops what is on, forgets what is pending, and stays bounded", function()
		local m = jibri.newJibriMemory()
		jibri.noteJibriStatus(m, status("on", "a", "file"))
		jibri.noteJibriStatus(m, status("pending", "b", "stream"))
		local ended = jibri.endJibriSessions(m, "room_destroyed")
		assert.are.same({ { kind = "jibri-stopped", sessionId = "a", mode = "file", stopReason = "room_destroyed" } }, ended)
		assert.are.same({}, jibri.endJibriSessions(m, "focus_left"))
		assert.is_nil(jibri.noteJibriStatus(m, status("on", "a", "file")))
		for i = 1, 50 do
			jibri.noteJibriStatus(m, status("on", "x" .. i, "file"))
			jibri.noteJibriStatus(m, status("off", "x" .. i, "file"))
		end
		assert.is_true(#m.live == 0 and #m.ended <= 8)
		for i = 1, 10 do jibri.noteJibriStatus(m, status("pending", "p" .. i, "file")) end
		assert.is_true(#m.live <= 4)
	end)
end)

describe("service options", function()
	local config = require_bundled("src.config")
	local function read(options)
		local all = { muc_component = "conference.example.com", api_prefix = "https://api.example.com" }
		for k, v in pairs(options) do all[k] = v end
		return config.readConfig(function(name) return all[name] end)
	end

	it("defaults: no focus_jids, nothing excluded, Jitsi's prefixes", function()
		local options = read({}).config.services
		assert.are.same({}, options.focusJids)
		assert.is_false(options.excludeServiceParticipants)
		assert.are.same({ "recorder@recorder.", "jibria@recorder.", "jibrib@recorder." }, options.prefixes.recorder)
	end)

	it("focus_jids must be bare JIDs; exclude_service_participants a boolean", function()
		assert.are.same({ "jicofo@auth.example.com" }, read({ focus_jids = "jicofo@auth.example.com" }).config.services.focusJids)
		local bad = read({ focus_jids = { "jicofo@auth.example.com/res" }, exclude_service_participants = "yes" })
		assert.is_false(bad.ok)
		assert.are.equal(2, #bad.errors)
		assert.truthy(bad.errors[1]:find("focus_jids", 1, true))
	end)
end)
