-- TEST-ONLY Prosody module: plays "another module" that asks event_sync to add fields to a
-- room's payloads through `room._data.event_sync_extra_payload`. Never install it on a server.
--
-- At `muc-room-created` (priority 0, before event_sync's -2) every room whose name starts with
-- `test_extra_payload_prefix` (default "extra-") gets
--   room._data.event_sync_extra_payload = { tenant = "acme", room_name = "must-not-override" }
-- (`room_name` is one of event_sync's own fields: it must never be replaced).
-- Load it on the MUC component: `modules_enabled = { "test_extra_payload" }`.

local prefix = module:get_option_string("test_extra_payload_prefix", "extra-");

module:hook("muc-room-created", function (event)
	local room = event.room;
	if room.jid:sub(1, #prefix) ~= prefix then return; end
	room._data.event_sync_extra_payload = { tenant = "acme", room_name = "must-not-override" };
end);
