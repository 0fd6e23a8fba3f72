-- TEST-ONLY Prosody module: Jitsi breakout rooms, reduced to what event_sync depends on, so
-- the end-to-end suite can check how breakout rooms are reported. Never install it on a server.
--
-- Imitates jitsi/jitsi-meet resources/prosody-plugins/mod_muc_breakout_rooms.lua (plus the
-- two lines of mod_room_destroy.lua it relies on to end a meeting):
--   * loaded on the VirtualHost; options `main_muc` (required) and `breakout_rooms_muc`
--     (default `breakout.<host>`), a plain Prosody MUC component;
--   * a breakout room's JID is `<util.uuid>@<breakout_rooms_muc>`; creating one stores, on the
--     MAIN room only: `_data.breakout_rooms = {}` / `_data.breakout_rooms_counter` (first
--     time), `_data.breakout_rooms[breakout_jid] = subject`, `_data.breakout_rooms_active =
--     true`, `main_room:set_persistent(true)`, `main_room:save(true)`. NOTHING is stored on the
--     breakout room; the breakout → main link lives in this module's own `main_rooms_map`;
--   * `muc-room-pre-create` on the breakout host: only JIDs listed on a main room may be
--     created (subject set from the list); any other is destroyed and the join dropped;
--   * moving between rooms is an ordinary MUC leave from one room and join into the other;
--     a breakout room is non-persistent, so Prosody destroys it when its last occupant leaves;
--   * when nobody is left in the main room nor its breakout rooms, the (persistent) main room
--     is destroyed after `test_breakout_close_ttl` seconds (Jitsi: 5 s, then mod_room_destroy:
--     `set_persistent(false)` + `destroy(nil, reason)`); destroying a main room destroys its
--     breakout rooms.
-- Simplified trigger: Jitsi reads the room from the session's `?room=` and answers with a
-- broadcast 0.3 s later. Here a moderator of the main room sends to the breakout host
--   <message to='breakout.<host>'><breakout_rooms type='features/breakout-rooms/add'
--            subject='…' room='<main room JID>'/></message>
-- and gets back, at once, a `json-message` (xmlns http://jitsi.org/jitmeet) with Jitsi's
-- `features/breakout-rooms/update` body listing the rooms (`rooms[id] = { id, jid, name }`).

local jid_host = require "util.jid".host;
local jid_node = require "util.jid".node;
local json = require "util.json";
local st = require "util.stanza";
local uuid_gen = require "util.uuid".generate;

local BREAKOUT_ROOMS_IDENTITY_TYPE = "breakout_rooms";
local JSON_TYPE_ADD_BREAKOUT_ROOM = "features/breakout-rooms/add";
local JSON_TYPE_UPDATE_BREAKOUT_ROOMS = "features/breakout-rooms/update";

local main_muc_component_config = module:get_option_string("main_muc");
if main_muc_component_config == nil then
	module:log_status("error", "option 'main_muc' is required");
	return;
end
local breakout_rooms_muc_component_config = module:get_option_string("breakout_rooms_muc", "breakout." .. module.host);
local rooms_ttl_if_all_left = module:get_option_number("test_breakout_close_ttl", 5);

local main_muc_service, breakout_rooms_muc_service;

-- Maps a breakout room jid to the main room jid (Jitsi keeps it here, not on the room).
local main_rooms_map = {};

local function get_main_room(room_jid)
	local main_room_jid = jid_host(room_jid) == main_muc_component_config and room_jid or main_rooms_map[room_jid];
	if not main_room_jid or not main_muc_service then return nil, main_room_jid; end
	return main_muc_service.get_room_from_jid(main_room_jid), main_room_jid;
end

local function send_json_msg(to_jid, body)
	module:send(st.message({ from = breakout_rooms_muc_component_config; to = to_jid; })
		:tag("json-message", { xmlns = "http://jitsi.org/jitmeet" }):text(json.encode(body)):up());
end

local function rooms_update(main_room)
	local main_node = jid_node(main_room.jid);
	local rooms = { [main_node] = { isMainRoom = true; id = main_node; jid = main_room.jid } };
	for breakout_room_jid, subject in pairs(main_room._data.breakout_rooms or {}) do
		local node = jid_node(breakout_room_jid);
		rooms[node] = { id = node; jid = breakout_room_jid; name = subject };
	end
	return {
		type = BREAKOUT_ROOMS_IDENTITY_TYPE;
		event = JSON_TYPE_UPDATE_BREAKOUT_ROOMS;
		roomCounter = main_room._data.breakout_rooms_counter;
		rooms = rooms;
	};
end

local function create_breakout_room(main_room, subject)
	local breakout_room_jid = uuid_gen() .. "@" .. breakout_rooms_muc_component_config;
	if not main_room._data.breakout_rooms then
		main_room._data.breakout_rooms = {};
		main_room._data.breakout_rooms_counter = 0;
	end
	main_room._data.breakout_rooms_counter = main_room._data.breakout_rooms_counter + 1;
	main_room._data.breakout_rooms[breakout_room_jid] = subject;
	main_room._data.breakout_rooms_active = true;
	-- Make room persistent - not to be destroyed - if all participants join breakout rooms.
	main_room:set_persistent(true);
	main_room:save(true);
	main_rooms_map[breakout_room_jid] = main_room.jid;
end

local function destroy_breakout_room(main_room, room_jid, message)
	local breakout_room = breakout_rooms_muc_service.get_room_from_jid(room_jid);
	if breakout_room then
		breakout_room:destroy(main_room.jid, message or "Breakout room removed.");
	end
	if main_room._data.breakout_rooms then
		main_room._data.breakout_rooms[room_jid] = nil;
	end
	main_rooms_map[room_jid] = nil;
end

local function on_message(event)
	local stanza = event.stanza;
	if stanza.attr.type == "error" then return; end
	local request = stanza:get_child(BREAKOUT_ROOMS_IDENTITY_TYPE);
	if not request then return false; end
	local main_room = request.attr.room and main_muc_service and main_muc_service.get_room_from_jid(request.attr.room);
	if not main_room then
		module:log("warn", "No room found for %s", tostring(request.attr.room));
		return false;
	end
	local occupant = main_room:get_occupant_by_real_jid(stanza.attr.from);
	if not occupant or occupant.role ~= "moderator" then
		module:log("warn", "Occupant %s is not moderator and not allowed this operation for %s", stanza.attr.from, main_room.jid);
		return false;
	end
	if request.attr.type == JSON_TYPE_ADD_BREAKOUT_ROOM then
		create_breakout_room(main_room, request.attr.subject);
		send_json_msg(stanza.attr.from, rooms_update(main_room));
		return true;
	end
	return false;
end

local function on_breakout_room_pre_create(event)
	local breakout_room = event.room;
	local main_room, main_room_jid = get_main_room(breakout_room.jid);
	-- Only allow existent breakout rooms to be started.
	if main_room and main_room._data.breakout_rooms and main_room._data.breakout_rooms[breakout_room.jid] then
		breakout_room:set_subject(breakout_room.jid, main_room._data.breakout_rooms[breakout_room.jid]);
	else
		module:log("debug", "Invalid breakout room %s will not be created.", breakout_room.jid);
		breakout_room:destroy(main_room_jid, "Breakout room is invalid.");
		return true;
	end
end

local function exist_occupants_in_room(room)
	return room ~= nil and room:has_occupant();
end

local function exist_occupants_in_rooms(main_room)
	if exist_occupants_in_room(main_room) then return true; end
	for breakout_room_jid in pairs(main_room._data.breakout_rooms or {}) do
		if exist_occupants_in_room(breakout_rooms_muc_service.get_room_from_jid(breakout_room_jid)) then return true; end
	end
	return false;
end

local function on_occupant_joined(event)
	local main_room = get_main_room(event.room.jid);
	-- Prevent closing all rooms if a participant has joined (see on_occupant_left).
	if main_room and main_room.close_timer then
		main_room.close_timer:stop();
		main_room.close_timer = nil;
	end
end

local function on_occupant_left(event)
	local room_jid = event.room.jid;
	local main_room = get_main_room(room_jid);
	if not main_room then return; end
	-- Close the conference if all left for good.
	if main_room._data.breakout_rooms_active and not main_room.close_timer and not exist_occupants_in_rooms(main_room) then
		main_room.close_timer = module:add_timer(rooms_ttl_if_all_left, function ()
			local room = get_main_room(room_jid);
			if room and room.close_timer then
				-- mod_room_destroy's handling of "maybe-destroy-room"
				module:log("info", "Destroying room %s (all occupants left)", room.jid);
				room:set_persistent(false);
				room:destroy(nil, "All occupants left.");
			end
		end);
	end
end

local function on_main_room_destroyed(event)
	local main_room = event.room;
	for breakout_room_jid in pairs(main_room._data.breakout_rooms or {}) do
		destroy_breakout_room(main_room, breakout_room_jid, event.reason);
	end
end

local process_host_module = module:require "test_muc_host";

process_host_module(breakout_rooms_muc_component_config, function (breakout_muc, host_module)
	module:log("info", "Hook to muc events on %s", breakout_rooms_muc_component_config);
	breakout_rooms_muc_service = breakout_muc;
	host_module:hook("message/host", on_message);
	host_module:hook("muc-occupant-joined", on_occupant_joined);
	host_module:hook("muc-occupant-left", on_occupant_left);
	host_module:hook("muc-room-pre-create", on_breakout_room_pre_create);
end);

process_host_module(main_muc_component_config, function (main_muc, host_module)
	module:log("info", "Hook to muc events on %s", main_muc_component_config);
	main_muc_service = main_muc;
	host_module:hook("muc-occupant-joined", on_occupant_joined);
	host_module:hook("muc-occupant-left", on_occupant_left);
	host_module:hook("muc-room-destroyed", on_main_room_destroyed, 1); -- prosody handles it at 0
end);
