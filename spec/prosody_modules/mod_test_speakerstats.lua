-- TEST-ONLY Prosody module: keeps exactly the speaker stats Jitsi keeps on its rooms, so the
-- end-to-end suite can check event_sync's `total_dominant_speaker_time`. Never install it on a
-- server.
--
-- Imitates jitsi/jitsi-meet resources/prosody-plugins/mod_speakerstats_component.lua (a
-- component, `Component "speakerstats.<domain>" "test_speakerstats"`, options `muc_component`
-- and `muc_mapper_domain_base`; the breakout host is `breakout.<muc_mapper_domain_base>`):
--   * `muc-room-created` priority -1: `room.speakerStats = { sessionId = room._data.meetingId }`;
--     on a breakout room also `isBreakout = true`, `breakoutRoomId = <node>`, `sessionId` of
--     the main room, and the main room cached as `room.main_room` (found by searching the main
--     MUC for `_data.breakout_rooms_active` and `_data.breakout_rooms[<breakout jid>]`);
--   * `muc-occupant-joined` priority -1: `room.speakerStats[occupant.jid]` (REAL full JID) =
--     `{ totalDominantSpeakerTime = 0, _dominantSpeakerStart = 0, _isSilent = false,
--        _isDominantSpeaker = false, nick = <resource of occupant.nick>, context_user = …,
--        displayName = nil, faceLandmarks = {} }` (with Jitsi's methods as a metatable). Like
--     Jitsi, nothing is created for a room's FIRST occupant: Prosody fires muc-room-created
--     after that join (in Jitsi the first occupant is Jicofo's focus);
--   * a client message to this component `<speakerstats xmlns='http://jitsi.org/jitmeet'
--     room='<room jid>' [silence='true']/>` makes the sender the dominant speaker: the previous
--     one's interval is closed (total += now_ms - start, start = 0), `dominantSpeakerId` set;
--   * `muc-occupant-pre-leave` priority -1 closes the leaver's interval.
-- Times are milliseconds, `util.time.now() * 1000` (Jitsi: `socket.gettime() * 1000`).
-- Left out: the stats sent to joiners, face landmarks, ext_events on destroy.

local jid_resource = require "util.jid".resource;
local jid_split = require "util.jid".split;
local time_now = require "util.time".now;

local muc_component_host = module:get_option_string("muc_component");
local muc_domain_base = module:get_option_string("muc_mapper_domain_base");
if muc_component_host == nil or muc_domain_base == nil then
	module:log_status("error", "options 'muc_component' and 'muc_mapper_domain_base' are required");
	return;
end
local breakout_room_component_host = "breakout." .. muc_domain_base;

local function is_healthcheck_room(room_jid)
	return room_jid:sub(1, #"__jicofo-health-check") == "__jicofo-health-check";
end

local function now_ms()
	return time_now() * 1000;
end

local main_muc_service;

local function get_main_room(breakout_room)
	if breakout_room.main_room then return breakout_room.main_room; end
	for room in main_muc_service.live_rooms() do
		if room._data and room._data.breakout_rooms_active and room._data.breakout_rooms[breakout_room.jid] then
			breakout_room.main_room = room;
			return room;
		end
	end
end

local function get_room_from_jid(room_jid)
	local host = select(2, jid_split(room_jid));
	local muc = prosody.hosts[host] and prosody.hosts[host].modules.muc;
	return muc and muc.get_room_from_jid(room_jid);
end

--- SpeakerStats, as in Jitsi
local SpeakerStats = {};
SpeakerStats.__index = SpeakerStats;

local function new_SpeakerStats(nick, context_user)
	return setmetatable({
		totalDominantSpeakerTime = 0;
		_dominantSpeakerStart = 0;
		_isSilent = false;
		_isDominantSpeaker = false;
		nick = nick;
		context_user = context_user;
		displayName = nil;
		faceLandmarks = {};
	}, SpeakerStats);
end

function SpeakerStats:setDominantSpeaker(isNowDominantSpeaker, silence)
	local now = now_ms();
	if not self:isDominantSpeaker() and isNowDominantSpeaker and not silence then
		self._dominantSpeakerStart = now;
	elseif self:isDominantSpeaker() then
		if not isNowDominantSpeaker then
			if not self._isSilent then
				self.totalDominantSpeakerTime = self.totalDominantSpeakerTime + math.floor(now - self._dominantSpeakerStart);
				self._dominantSpeakerStart = 0;
			end
		elseif self._isSilent and not silence then
			self._dominantSpeakerStart = now;
		elseif not self._isSilent and silence then
			self.totalDominantSpeakerTime = self.totalDominantSpeakerTime + math.floor(now - self._dominantSpeakerStart);
			self._dominantSpeakerStart = 0;
		end
	end
	self._isDominantSpeaker = isNowDominantSpeaker;
	self._isSilent = silence;
end

function SpeakerStats:isDominantSpeaker()
	return self._isDominantSpeaker;
end

local function on_message(event)
	local stanza = event.stanza;
	if stanza.attr.type == "error" then return; end
	local speakerStats = stanza:get_child("speakerstats", "http://jitsi.org/jitmeet");
	if not speakerStats then return; end
	local roomAddress = speakerStats.attr.room;
	local silence = speakerStats.attr.silence == "true";
	local room = roomAddress and get_room_from_jid(roomAddress);
	if not room or not room.speakerStats then
		module:log("warn", "No room or no speakerStats found for %s", tostring(roomAddress));
		return false;
	end
	local occupant = room:get_occupant_by_real_jid(stanza.attr.from);
	if not occupant then
		module:log("warn", "No occupant %s found for %s", stanza.attr.from, roomAddress);
		return false;
	end
	local roomSpeakerStats = room.speakerStats;
	local newDominantSpeaker = roomSpeakerStats[occupant.jid];
	local oldDominantSpeakerId = roomSpeakerStats["dominantSpeakerId"];
	if oldDominantSpeakerId and occupant.jid ~= oldDominantSpeakerId then
		local oldDominantSpeaker = roomSpeakerStats[oldDominantSpeakerId];
		if oldDominantSpeaker then oldDominantSpeaker:setDominantSpeaker(false, false); end
	end
	if newDominantSpeaker then newDominantSpeaker:setDominantSpeaker(true, silence); end
	roomSpeakerStats["dominantSpeakerId"] = occupant.jid;
	return true;
end

local function room_created(event)
	local room = event.room;
	if is_healthcheck_room(room.jid) then return; end
	room.speakerStats = {};
	room.speakerStats.sessionId = room._data.meetingId;
end

local function breakout_room_created(event)
	local room = event.room;
	if is_healthcheck_room(room.jid) then return; end
	local main_room = get_main_room(room);
	room.speakerStats = {};
	room.speakerStats.isBreakout = true;
	room.speakerStats.breakoutRoomId = jid_split(room.jid);
	room.speakerStats.sessionId = main_room._data.meetingId;
end

local function occupant_joined(event)
	local occupant, room = event.occupant, event.room;
	if is_healthcheck_room(room.jid) or not room.speakerStats then return; end
	local context_user = event.origin and event.origin.jitsi_meet_context_user or nil;
	room.speakerStats[occupant.jid] = new_SpeakerStats(jid_resource(occupant.nick), context_user);
end

local function occupant_leaving(event)
	local room = event.room;
	if is_healthcheck_room(room.jid) or not room.speakerStats then return; end
	local occupant = event.occupant;
	local speakerStatsForOccupant = room.speakerStats[occupant.jid];
	if speakerStatsForOccupant then
		speakerStatsForOccupant:setDominantSpeaker(false, false);
		speakerStatsForOccupant.displayName = occupant:get_presence():get_child_text("nick", "http://jabber.org/protocol/nick");
	end
end

module:hook("message/host", on_message);

local process_host_module = module:require "test_muc_host";

process_host_module(muc_component_host, function (main_muc, host_module)
	main_muc_service = main_muc;
	host_module:hook("muc-room-created", room_created, -1);
	host_module:hook("muc-occupant-joined", occupant_joined, -1);
	host_module:hook("muc-occupant-pre-leave", occupant_leaving, -1);
end);

process_host_module(breakout_room_component_host, function (_, host_module)
	host_module:hook("muc-room-created", breakout_room_created, -1);
	host_module:hook("muc-occupant-joined", occupant_joined, -1);
	host_module:hook("muc-occupant-pre-leave", occupant_leaving, -1);
end);
