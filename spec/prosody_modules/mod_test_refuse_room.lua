-- TEST-ONLY Prosody module: a policy module that refuses a room by destroying it from its own
-- `muc-room-created` handler (priority 10, before event_sync's -2), as some deployments do to
-- reject room names. Never install it on a server.
--
-- The first room created under each name starting with `test_refuse_room_prefix` (default
-- "refused-") is destroyed at once; later rooms of the same name are let through, so a test
-- can check that the name's next life is reported as a new room.
-- Load it on the MUC component: `modules_enabled = { "test_refuse_room" }`.

local prefix = module:get_option_string("test_refuse_room_prefix", "refused-");
local refused_once = {};

module:hook("muc-room-created", function (event)
	local room = event.room;
	if room.jid:sub(1, #prefix) ~= prefix or refused_once[room.jid] then return; end
	refused_once[room.jid] = true;
	module:log("info", "Refusing room %s", room.jid);
	room:destroy(nil, "refused by policy");
end, 10);
