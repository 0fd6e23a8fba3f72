-- TEST-ONLY Prosody module: Jitsi's lobby, reduced to what event_sync depends on, so the
-- end-to-end suite can check how lobbies are reported. Never install it on a server.
--
-- Imitates jitsi/jitsi-meet resources/prosody-plugins/mod_muc_lobby_rooms.lua:
--   * loaded on the VirtualHost; options `main_muc` and `lobby_muc` (both required), the
--     lobby component a plain Prosody MUC with `restrict_room_creation = true`;
--   * attach_lobby_room: when an owner turns `muc#roomconfig_membersonly` on
--     (`muc-config-submitted`, actors named focus ignored), the lobby room
--     `<main node>@<lobby_muc>` is created with `create_room`, made persistent, and tied to the
--     main room: `lobby_room.main_room_jid = main.jid`, `main._data.lobbyroom = lobby jid`;
--   * destroy_lobby_room: turning members-only off destroys the lobby room with the main room
--     as newjid (and reason 'Lobby room closed.'); destroying the main room destroys it
--     (`muc-room-destroyed` at priority 1, "prosody handles it at 0") without a newjid;
--   * the lobby MUC's `room_mt.get_affiliation` answers with the MAIN room's affiliation, so
--     main-room owners are owners (moderators) in the lobby room and may kick there;
--   * `muc-occupant-pre-join` at -4 (members_only is at -5) on the main MUC: a non-member
--     joining a members-only room with a lobby gets `auth/registration-required` (code 407)
--     carrying `<lobbyroom xmlns='http://jitsi.org/jitmeet'>lobby jid</lobbyroom>`.
-- Admitting and denying need nothing more, as in Jitsi: admit = a moderator's mediated invite
-- to the main room (Prosody's members_only `muc-invite` makes the invitee a member; the
-- client then joins the main room and leaves the lobby); deny = a kick (muc#admin
-- role='none', status 307) in the lobby room. Left out: the display-name check (406), the
-- password and whitelist bypasses, the presence filter, the lobby-notify json-messages, the
-- backend create/destroy-lobby-room events and the multi-invite override.

local jid_bare = require "util.jid".bare;
local jid_split = require "util.jid".split;
local st = require "util.stanza";

local MUC_NS = "http://jabber.org/protocol/muc";
local JITMEET_NS = "http://jitsi.org/jitmeet";

local main_muc_component_config = module:get_option_string("main_muc");
local lobby_muc_component_config = module:get_option_string("lobby_muc");
if main_muc_component_config == nil or lobby_muc_component_config == nil then
	module:log_status("error", "options 'main_muc' and 'lobby_muc' are required");
	return;
end

local main_muc_service, lobby_muc_service;

local function attach_lobby_room(room, actor)
	local node = jid_split(room.jid);
	local lobby_room_jid = node .. "@" .. lobby_muc_component_config;
	if lobby_muc_service.get_room_from_jid(lobby_room_jid) then return false; end
	local new_room = lobby_muc_service.create_room(lobby_room_jid);
	new_room:set_persistent(true);
	module:log("info", "Lobby room jid = %s created from:%s", lobby_room_jid, tostring(actor));
	new_room.main_room_jid = room.jid;
	room._data.lobbyroom = new_room.jid;
	room:save(true);
	return true;
end

local function destroy_lobby_room(room, newjid, message)
	if lobby_muc_service and room and room._data.lobbyroom then
		local lobby_room_obj = lobby_muc_service.get_room_from_jid(room._data.lobbyroom);
		if lobby_room_obj then
			lobby_room_obj:set_persistent(false);
			lobby_room_obj:destroy(newjid, message or "Lobby room closed.");
			module:log("info", "Lobby room destroyed %s", lobby_room_obj.jid);
		end
		room._data.lobbyroom = nil;
	end
end

local process_host_module = module:require "test_muc_host";

process_host_module(lobby_muc_component_config, function (lobby_muc)
	lobby_muc_service = lobby_muc;
	-- Affiliations in the lobby are those of the main room.
	lobby_muc.room_mt.get_affiliation = function (room, jid)
		local main_room = room.main_room_jid and main_muc_service and main_muc_service.get_room_from_jid(room.main_room_jid);
		if not main_room then return "none"; end
		return main_room:get_affiliation(jid) or "none";
	end
end);

process_host_module(main_muc_component_config, function (main_muc, host_module)
	main_muc_service = main_muc;
	host_module:hook("muc-config-submitted", function (event)
		local actor, room = event.actor, event.room;
		if jid_split(actor) == "focus" then return; end
		if event.fields["muc#roomconfig_membersonly"] then
			if attach_lobby_room(room, actor) then event.status_codes["104"] = true; end
		elseif room._data.lobbyroom then
			destroy_lobby_room(room, room.jid, nil);
		end
	end);
	host_module:hook("muc-room-destroyed", function (event)
		if event.room._data.lobbyroom then destroy_lobby_room(event.room, nil); end
	end, 1); -- prosody handles it at 0
	host_module:hook("muc-occupant-pre-join", function (event)
		local occupant, room, stanza = event.occupant, event.room, event.stanza;
		if not room:get_members_only() or not room._data.lobbyroom or occupant.nick:match("/focus$") then return; end
		if not stanza:get_child("x", MUC_NS) then return; end
		local affiliation = room:get_affiliation(jid_bare(stanza.attr.from));
		if not affiliation or affiliation == "none" then
			local reply = st.error_reply(stanza, "auth", "registration-required");
			reply.tags[1].attr.code = "407";
			reply:tag("lobbyroom", { xmlns = JITMEET_NS }):text(room._data.lobbyroom):up():up();
			event.origin.send(reply:tag("x", { xmlns = MUC_NS }));
			return true;
		end
	end, -4); -- the default hook on members_only module is on -5
end);
