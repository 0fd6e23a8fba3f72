-- TEST-ONLY Prosody module: puts on a room exactly what Jitsi's meeting id module puts, so the
-- end-to-end suite can check event_sync's `meeting_id`. Never install it on a server.
--
-- Imitates jitsi/jitsi-meet resources/prosody-plugins/mod_muc_meeting_id.lua:
--   * `muc-room-created` (default priority 0): `room._data.meetingId = util.uuid.generate()`,
--     skipping Jicofo's `__jicofo-health-check` rooms;
--   * `muc-disco#info`: the id as form field `muc#roominfo_meetingId` (lets a test read it).
-- The rest of Jitsi's module (Jicofo's pre-join queue, region tags) is left out.
-- Load it on a MUC component: `modules_enabled = { "test_meeting_id" }`.

local uuid_gen = require "util.uuid".generate;

local function is_healthcheck_room(room_jid)
	return room_jid:sub(1, #"__jicofo-health-check") == "__jicofo-health-check";
end

module:hook("muc-room-created", function (event)
	local room = event.room;
	if is_healthcheck_room(room.jid) then return; end
	room._data.meetingId = uuid_gen();
	module:log("debug", "Created meetingId:%s for %s", room._data.meetingId, room.jid);
end);

module:hook("muc-disco#info", function (event)
	table.insert(event.form, {
		name = "muc#roominfo_meetingId";
		type = "text-single";
		label = "The meeting unique id.";
		value = event.room._data.meetingId or "";
	});
end);
