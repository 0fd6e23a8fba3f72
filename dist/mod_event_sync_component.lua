-- mod_event_sync_component 0.1.0
-- Posts Prosody MUC room and occupant events to an HTTP API.
-- GENERATED FILE: built by TypeScriptToLua from src/*.ts. Do not edit; edit the sources.
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]

local ____modules = {}
local ____moduleCache = {}
local ____originalRequire = require
local function require(file, ...)
    if ____moduleCache[file] then
        return ____moduleCache[file].value
    end
    if ____modules[file] then
        local module = ____modules[file]
        local value = nil
        if (select("#", ...) > 0) then value = module(...) else value = module(file) end
        ____moduleCache[file] = { value = value }
        return value
    else
        if ____originalRequire then
            return ____originalRequire(file)
        else
            error("module '" .. file .. "' not found")
        end
    end
end
____modules = {
["lualib_bundle"] = function(...) 
local function __TS__Class(self)
    local c = {prototype = {}}
    c.prototype.__index = c.prototype
    c.prototype.constructor = c
    return c
end

local function __TS__ArrayMap(self, callbackfn, thisArg)
    local result = {}
    for i = 1, #self do
        result[i] = callbackfn(thisArg, self[i], i - 1, self)
    end
    return result
end

local function __TS__ArrayFind(self, predicate, thisArg)
    for i = 1, #self do
        local elem = self[i]
        if predicate(thisArg, elem, i - 1, self) then
            return elem
        end
    end
    return nil
end

local function __TS__New(target, ...)
    local instance = setmetatable({}, target.prototype)
    instance:____constructor(...)
    return instance
end

local function __TS__ArrayFilter(self, callbackfn, thisArg)
    local result = {}
    local len = 0
    for i = 1, #self do
        if callbackfn(thisArg, self[i], i - 1, self) then
            len = len + 1
            result[len] = self[i]
        end
    end
    return result
end

local function __TS__ArrayEvery(self, callbackfn, thisArg)
    for i = 1, #self do
        if not callbackfn(thisArg, self[i], i - 1, self) then
            return false
        end
    end
    return true
end

local function __TS__ObjectAssign(target, ...)
    local sources = {...}
    for i = 1, #sources do
        local source = sources[i]
        if type(source) == "table" then
            for key in pairs(source) do
                target[key] = source[key]
            end
        end
    end
    return target
end

local __TS__Unpack = table.unpack or unpack

return {
  __TS__Class = __TS__Class,
  __TS__ArrayMap = __TS__ArrayMap,
  __TS__ArrayFind = __TS__ArrayFind,
  __TS__New = __TS__New,
  __TS__ArrayFilter = __TS__ArrayFilter,
  __TS__ArrayEvery = __TS__ArrayEvery,
  __TS__ObjectAssign = __TS__ObjectAssign,
  __TS__Unpack = __TS__Unpack
}
 end,
["src.delivery.backoff"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Jitter spreads retries of many events over ±20% so they don't hit the receiver together.
local JITTER = 0.2
--- The wait before retry number `retry` (1 for the first retry). Exponential mode doubles
-- from `initialDelay`, applies ±20% jitter (`random` in [0, 1)) and caps at `maxDelay`; fixed
-- mode always waits `initialDelay`. A receiver's `Retry-After` (seconds) wins when given,
-- still capped by `maxDelay`.
function ____exports.retryDelay(policy, retry, random, retryAfter)
    if retryAfter ~= nil then
        return math.min(retryAfter, policy.maxDelay)
    end
    if policy.mode == "fixed" then
        return math.min(policy.initialDelay, policy.maxDelay)
    end
    local base = policy.initialDelay * 2 ^ (retry - 1)
    local jittered = base * (1 - JITTER + 2 * JITTER * random)
    return math.min(jittered, policy.maxDelay)
end
return ____exports
 end,
["src.delivery.signing"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Standard Webhooks signatures (standardwebhooks.com, spec v1): each request carries
-- `webhook-id`, `webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature`,
-- a space-separated list of `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per
-- secret so a secret can be rotated without downtime. Pure: the HMAC and base64 functions
-- are given (Prosody's `util.hashes` and `util.encodings` in production).
local SECRET_PREFIX = "whsec_"
--- Checks a configured secret's form and returns its base64 part (without `whsec_`), or
-- undefined when it is not base64. Never include the secret itself in a message.
function ____exports.secretBase64(secret)
    local body = string.sub(secret, 1, #SECRET_PREFIX) == SECRET_PREFIX and string.sub(secret, #SECRET_PREFIX + 1) or secret
    if #body == 0 or #body % 4 ~= 0 then
        return nil
    end
    if (string.match(body, "^[A-Za-z0-9+/]+=?=?$")) == nil then
        return nil
    end
    return body
end
--- Signs with every key (raw, already base64-decoded), newest first as configured.
function ____exports.createSigner(keys, lib)
    return function(id, timestamp, body)
        local signed = (((id .. ".") .. string.format("%d", timestamp)) .. ".") .. body
        local signatures = {}
        for ____, key in ipairs(keys) do
            signatures[#signatures + 1] = "v1," .. lib.base64Encode(lib.hmacSha256(key, signed))
        end
        return table.concat(signatures, " ")
    end
end
return ____exports
 end,
["src.delivery.url"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local function splitUrl(url)
    local schemeRaw, rest = string.match(url, "^([Hh][Tt][Tt][Pp][Ss]?)://(.*)$")
    if schemeRaw == nil or rest == nil then
        return nil
    end
    local scheme = string.lower(schemeRaw) == "https" and "https" or "http"
    local authority, afterAuthority = string.match(rest, "^([^/?#]*)(.*)$")
    if authority == nil or afterAuthority == nil then
        return nil
    end
    local userinfo, hostPort = string.match(authority, "^(.*)@([^@]*)$")
    local hostAndPort = hostPort or authority
    local host
    local portText
    if string.sub(hostAndPort, 1, 1) == "[" then
        host, portText = string.match(hostAndPort, "^%[([%x:.]+)%]:?(%d*)$")
    else
        host, portText = string.match(hostAndPort, "^([%w%-._~%%!$&'()*+,;=]+):?(%d*)$")
    end
    if host == nil or portText == nil then
        return nil
    end
    if portText ~= "" and (tonumber(portText) or 0) > 65535 then
        return nil
    end
    local withoutFragment = string.gsub(afterAuthority, "#.*$", "")
    local path, query = string.match(withoutFragment, "^([^?]*)%??(.*)$")
    if userinfo == nil and (string.find(path or "", "@", 1, true)) ~= nil then
        return nil
    end
    local hasQuery = (string.find(withoutFragment, "?", 1, true)) ~= nil
    return {
        scheme = scheme,
        userinfo = userinfo,
        host = string.lower(host),
        portText = portText,
        path = path or "",
        query = hasQuery and query or nil
    }
end
local function bracketed(host)
    return (string.find(host, ":", 1, true)) ~= nil and ("[" .. host) .. "]" or host
end
local function percentDecode(text)
    local decoded = string.gsub(
        text,
        "%%(%x%x)",
        function(hex) return string.char(tonumber(hex, 16) or 0) end
    )
    return decoded
end
--- `api_prefix` in a canonical form: scheme and host in lower case, no fragment, no trailing
-- `/` on the path (the query, if any, kept). Undefined when it is not an http(s) URL with a host.
function ____exports.normaliseApiPrefix(prefix)
    local parts = splitUrl(prefix)
    if parts == nil then
        return nil
    end
    local path = string.gsub(parts.path, "/+$", "")
    local userinfo = parts.userinfo == nil and "" or parts.userinfo .. "@"
    local port = parts.portText == "" and "" or ":" .. parts.portText
    local query = parts.query == nil and "" or "?" .. parts.query
    return (((((parts.scheme .. "://") .. userinfo) .. bracketed(parts.host)) .. port) .. path) .. query
end
--- The URL of an event: the prefix's path, then `path`, then the prefix's query (if any).
function ____exports.eventUrl(prefix, path)
    local start = string.find(prefix, "?", 1, true)
    if start == nil then
        return prefix .. path
    end
    return (string.sub(prefix, 1, start - 1) .. path) .. string.sub(prefix, start)
end
--- What may be logged of a URL: scheme, host, port and path (no credentials, no query).
function ____exports.describeUrl(url)
    local parsed = splitUrl(url)
    if parsed == nil then
        return "(not a valid http(s) URL)"
    end
    local port = parsed.portText == "" and (parsed.scheme == "https" and "443" or "80") or parsed.portText
    return ((((parsed.scheme .. "://") .. bracketed(parsed.host)) .. ":") .. port) .. (parsed.path == "" and "/" or parsed.path)
end
function ____exports.parseHttpUrl(url)
    local parts = splitUrl(url)
    if parts == nil then
        return nil
    end
    local scheme = parts.scheme
    local host = parts.host
    local defaultPort = scheme == "https" and 443 or 80
    local port = parts.portText == "" and defaultPort or (tonumber(parts.portText) or defaultPort)
    local path = parts.path == "" and "/" or parts.path
    local target = parts.query == nil and path or (path .. "?") .. parts.query
    local hostForHeader = bracketed(host)
    local ____temp_1 = {
        scheme = scheme,
        host = host,
        port = port,
        hostHeader = port == defaultPort and hostForHeader or (hostForHeader .. ":") .. tostring(port),
        key = (((scheme .. "://") .. hostForHeader) .. ":") .. tostring(port)
    }
    local ____target_2 = target
    local ____temp_0
    if parts.userinfo == nil then
        ____temp_0 = nil
    else
        ____temp_0 = percentDecode(parts.userinfo)
    end
    return {origin = ____temp_1, target = ____target_2, userinfo = ____temp_0}
end
return ____exports
 end,
["src.option_readers"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__ArrayMap = ____lualib.__TS__ArrayMap
local ____exports = {}
--- A short description of a config value for error messages (type, and the value if scalar).
function ____exports.describe(value)
    if type(value) == "string" then
        return string.format("%q", value)
    end
    if type(value) == "number" or type(value) == "boolean" then
        return (type(value) .. " ") .. tostring(value)
    end
    return type(value)
end
--- Collects one message per bad option, so every problem is reported in a single pass.
____exports.OptionErrors = __TS__Class()
local OptionErrors = ____exports.OptionErrors
OptionErrors.name = "OptionErrors"
function OptionErrors.prototype.____constructor(self)
    self.messages = {}
end
function OptionErrors.prototype.add(self, name, problem)
    local ____self_messages_0 = self.messages
    ____self_messages_0[#____self_messages_0 + 1] = (("option '" .. name) .. "' ") .. problem
end
function ____exports.readRequiredString(read, name, errors)
    local value = read(name)
    if value == nil then
        errors:add(name, "is required but not set")
        return ""
    end
    if type(value) ~= "string" or value == "" then
        errors:add(
            name,
            "must be a non-empty string, got " .. ____exports.describe(value)
        )
        return ""
    end
    return value
end
function ____exports.readNumber(read, name, fallback, errors, kind)
    local value = read(name)
    if value == nil then
        return fallback
    end
    local ____temp_2
    if type(value) == "number" then
        ____temp_2 = value
    else
        local ____temp_1
        if type(value) == "string" then
            ____temp_1 = tonumber(value)
        else
            ____temp_1 = nil
        end
        ____temp_2 = ____temp_1
    end
    local parsed = ____temp_2
    local ____temp_5 = parsed ~= nil and parsed == parsed and parsed ~= math.huge
    if ____temp_5 then
        local ____temp_4
        if kind == "positive seconds" then
            ____temp_4 = parsed > 0
        else
            local ____temp_3
            if kind == "positive count" then
                ____temp_3 = parsed >= 1
            else
                ____temp_3 = parsed >= 0
            end
            ____temp_4 = ____temp_3
        end
        ____temp_5 = ____temp_4
    end
    local valid = ____temp_5 and (kind ~= "count" and kind ~= "positive count" or math.floor(parsed) == parsed)
    if not valid then
        local wanted = ({count = "a whole number >= 0", ["positive count"] = "a whole number >= 1", seconds = "a number of seconds >= 0", ["positive seconds"] = "a number of seconds > 0"})[kind]
        errors:add(
            name,
            (("must be " .. wanted) .. ", got ") .. ____exports.describe(value)
        )
        return fallback
    end
    return parsed
end
--- Reads a non-empty string or a non-empty list of strings (Prosody's `get_option_array`
-- convention: a single value is a one-item list). Undefined when unset. A table with other
-- keys (`{ primary = "…" }`) or an empty list is an error: silently reading it as "nothing"
-- would turn signing or every event off.
function ____exports.readStringList(read, name, errors)
    local value = read(name)
    if value == nil then
        return nil
    end
    if type(value) == "string" then
        return {value}
    end
    local problem = "must be a string or a non-empty list of strings"
    if type(value) ~= "table" then
        errors:add(
            name,
            (problem .. ", got a ") .. type(value)
        )
        return nil
    end
    local ____table = value
    local list = {}
    local keys = 0
    for ____, item in pairs(____table) do
        keys = keys + 1
        if type(item) ~= "string" then
            errors:add(
                name,
                ((problem .. " (an item is a ") .. type(item)) .. ")"
            )
            return nil
        end
    end
    do
        local i = 1
        while i <= keys do
            local item = ____table[i]
            if type(item) ~= "string" then
                errors:add(name, problem .. " (it has keys that are not list positions)")
                return nil
            end
            list[#list + 1] = item
            i = i + 1
        end
    end
    if #list == 0 then
        errors:add(name, problem .. ", got an empty list")
        return nil
    end
    return list
end
--- Reads a boolean; Prosody configs write `true`/`false`, so nothing else is accepted.
function ____exports.readBoolean(read, name, fallback, errors)
    local value = read(name)
    if value == nil then
        return fallback
    end
    if type(value) ~= "boolean" then
        errors:add(
            name,
            "must be true or false, got " .. ____exports.describe(value)
        )
        return fallback
    end
    return value
end
--- Reads an optional non-empty string.
function ____exports.readOptionalString(read, name, errors)
    local value = read(name)
    if value == nil then
        return nil
    end
    if type(value) ~= "string" or value == "" then
        errors:add(
            name,
            "must be a non-empty string, got " .. ____exports.describe(value)
        )
        return nil
    end
    return value
end
--- Reads one of a fixed set of strings.
function ____exports.readChoice(read, name, choices, fallback, errors)
    local value = read(name)
    if value == nil then
        return fallback
    end
    for ____, choice in ipairs(choices) do
        if value == choice then
            return choice
        end
    end
    errors:add(
        name,
        (("must be one of " .. table.concat(
            __TS__ArrayMap(
                choices,
                function(____, c) return ("\"" .. c) .. "\"" end
            ),
            ", "
        )) .. ", got ") .. ____exports.describe(value)
    )
    return fallback
end
return ____exports
 end,
["src.lua_tables"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- A shallow copy of a table's string-keyed entries; undefined when `value` is not a table.
function ____exports.copyStringKeys(value)
    if type(value) ~= "table" or value == nil then
        return nil
    end
    local copy = {}
    for key, item in pairs(value) do
        if type(key) == "string" then
            copy[key] = item
        end
    end
    return copy
end
return ____exports
 end,
["src.identity"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____lua_tables = require("src.lua_tables")
local copyStringKeys = ____lua_tables.copyStringKeys
--- A claim as a string: strings as they are, numbers (numeric user ids) as text.
local function stringField(user, key)
    local value = user[key]
    if type(value) == "string" then
        return value
    end
    return type(value) == "number" and tostring(value) or nil
end
--- Copies the seed's three identity fields from a session (text only),
-- and the whole user context when `includeUserInfo` is on.
function ____exports.identityOf(session, includeUserInfo)
    local user = session and session.jitsi_meet_context_user
    if user == nil or type(user) ~= "table" then
        return nil
    end
    local ____stringField_result_3 = stringField(user, "id")
    local ____stringField_result_4 = stringField(user, "name")
    local ____stringField_result_5 = stringField(user, "email")
    local ____includeUserInfo_2
    if includeUserInfo then
        ____includeUserInfo_2 = copyStringKeys(user)
    else
        ____includeUserInfo_2 = nil
    end
    return {id = ____stringField_result_3, name = ____stringField_result_4, email = ____stringField_result_5, userInfo = ____includeUserInfo_2}
end
return ____exports
 end,
["src.rooms"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local refresh, leave
function refresh(room, facts)
    if facts.meetingId ~= nil then
        room.meetingId = facts.meetingId
    end
    room.extraPayload = facts.extraPayload
end
function leave(room, occupant, speakerTime, now)
    room.present[occupant.nick] = nil
    room.presentCount = room.presentCount - 1
    occupant.leftAt = now
    occupant.speakerTimeMs = speakerTime(occupant.occupantJid)
    return {kind = "occupant-left", room = room, occupant = occupant, activeCount = room.presentCount}
end
--- The node part of a room JID (`catchup` of `catchup@conference.example.com`).
function ____exports.roomNameOf(roomJid)
    local node = string.match(roomJid, "^([^@]*)@")
    return node or roomJid
end
--- Numbers a room's sent events 1, 2, 3, … in the order they happened.
function ____exports.nextSequence(room)
    room.lastSequence = room.lastSequence + 1
    return room.lastSequence
end
--- Tracks rooms and returns, for each Prosody event, the room events to report. The records
-- in returned events are live: turn them into payloads before the next call.
____exports.RoomTracker = __TS__Class()
local RoomTracker = ____exports.RoomTracker
RoomTracker.name = "RoomTracker"
function RoomTracker.prototype.____constructor(self)
    self.rooms = {}
end
function RoomTracker.prototype.table(self)
    return self.rooms
end
function RoomTracker.prototype.adopt(self, rooms)
    self.rooms = rooms
end
function RoomTracker.prototype.roomCreated(self, roomJid, facts, now)
    local events = {}
    self:track(roomJid, facts, now, events)
    return events
end
function RoomTracker.prototype.occupantJoined(self, roomJid, facts, nick, occupantJid, identity, now)
    local events = {}
    local room = self:track(roomJid, facts, now, events)
    if room.present[nick] ~= nil then
        return events
    end
    local occupant = {nick = nick, occupantJid = occupantJid, joinedAt = now, identity = identity}
    room.present[nick] = occupant
    room.presentCount = room.presentCount + 1
    local ____room_history_0 = room.history
    ____room_history_0[#____room_history_0 + 1] = occupant
    events[#events + 1] = {kind = "occupant-joined", room = room, occupant = occupant, activeCount = room.presentCount}
    return events
end
function RoomTracker.prototype.occupantLeft(self, roomJid, facts, nick, speakerTime, now)
    local room = self.rooms[roomJid]
    local occupant = room and room.present[nick]
    if room == nil or occupant == nil then
        return {}
    end
    refresh(room, facts)
    return {leave(room, occupant, speakerTime, now)}
end
function RoomTracker.prototype.roomDestroyed(self, roomJid, facts, speakerTime, now)
    local room = self.rooms[roomJid]
    if room == nil then
        return {}
    end
    refresh(room, facts)
    local events = {}
    for ____, occupant in ipairs(room.history) do
        if room.present[occupant.nick] == occupant then
            events[#events + 1] = leave(room, occupant, speakerTime, now)
        end
    end
    self.rooms[roomJid] = nil
    events[#events + 1] = {kind = "room-destroyed", room = room, destroyedAt = now}
    return events
end
function RoomTracker.prototype.track(self, roomJid, facts, now, events)
    local existing = self.rooms[roomJid]
    if existing ~= nil then
        refresh(existing, facts)
        return existing
    end
    local ____roomJid_5 = roomJid
    local ____exports_roomNameOf_result_6 = ____exports.roomNameOf(roomJid)
    local ____now_7 = now
    local ____temp_8 = {}
    local ____temp_9 = {}
    local ____opt_3 = facts.breakout
    local room = {
        roomJid = ____roomJid_5,
        roomName = ____exports_roomNameOf_result_6,
        createdAt = ____now_7,
        present = ____temp_8,
        presentCount = 0,
        history = ____temp_9,
        lastSequence = 0,
        breakout = ____opt_3 and ____opt_3(),
        meetingId = facts.meetingId,
        extraPayload = facts.extraPayload
    }
    self.rooms[roomJid] = room
    events[#events + 1] = {kind = "room-created", room = room}
    return room
end
return ____exports
 end,
["src.payloads"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Every event name, in the order of a room's life.
____exports.EVENT_NAMES = {"muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed"}
--- The event name each tracker event is reported under.
____exports.EVENT_NAME_OF = {["room-created"] = "muc-room-created", ["occupant-joined"] = "muc-occupant-joined", ["occupant-left"] = "muc-occupant-left", ["room-destroyed"] = "muc-room-destroyed"}
--- Path under `api_prefix` each event is posted to.
____exports.EVENT_PATHS = {["muc-room-created"] = "/events/room/created", ["muc-room-destroyed"] = "/events/room/destroyed", ["muc-occupant-joined"] = "/events/occupant/joined", ["muc-occupant-left"] = "/events/occupant/left"}
--- Every field this module defines, in payloads and occupants: other sources (the JWT user
-- context, `event_sync_extra_payload`) may add fields but never set one of these, even where
-- an event leaves it out (a `left_at` on a join, say).
local RESERVED_FIELDS = {}
for ____, field in ipairs({
    "event_name",
    "event_id",
    "event_timestamp_ms",
    "room_sequence",
    "room_name",
    "room_jid",
    "is_breakout",
    "breakout_room_id",
    "meeting_id",
    "active_occupants_count",
    "created_at",
    "destroyed_at",
    "all_occupants",
    "occupant",
    "occupant_jid",
    "joined_at",
    "left_at",
    "name",
    "email",
    "id",
    "total_dominant_speaker_time"
}) do
    RESERVED_FIELDS[field] = true
end
--- Copies the fields of `extra` that are not ours into `target`.
local function addExtra(target, extra)
    if extra == nil then
        return
    end
    local fields = target
    for key, value in pairs(extra) do
        if not (RESERVED_FIELDS[key] ~= nil) then
            fields[key] = value
        end
    end
end
local function occupantPayload(occupant, withLeftAt)
    local identity = occupant.identity
    local ____occupant_occupantJid_8 = occupant.occupantJid
    local ____occupant_joinedAt_9 = occupant.joinedAt
    local ____withLeftAt_0
    if withLeftAt then
        ____withLeftAt_0 = occupant.leftAt
    else
        ____withLeftAt_0 = nil
    end
    local ____temp_10 = identity and identity.name
    local ____temp_11 = identity and identity.email
    local ____temp_12 = identity and identity.id
    local ____withLeftAt_7
    if withLeftAt then
        ____withLeftAt_7 = occupant.speakerTimeMs
    else
        ____withLeftAt_7 = nil
    end
    local payload = {
        occupant_jid = ____occupant_occupantJid_8,
        joined_at = ____occupant_joinedAt_9,
        left_at = ____withLeftAt_0,
        name = ____temp_10,
        email = ____temp_11,
        id = ____temp_12,
        total_dominant_speaker_time = ____withLeftAt_7
    }
    addExtra(payload, identity and identity.userInfo)
    return payload
end
--- Builds the event name and JSON-ready payload of one room event.
function ____exports.buildPayload(event, meta, asJsonArray)
    local room = event.room
    local breakout = room.breakout
    local payload = {
        event_name = ____exports.EVENT_NAME_OF[event.kind],
        event_id = meta.eventId,
        event_timestamp_ms = meta.timestampMs,
        room_sequence = meta.sequence,
        room_name = breakout and breakout.mainRoomName or room.roomName,
        room_jid = breakout and breakout.mainRoomJid or room.roomJid,
        is_breakout = breakout ~= nil,
        breakout_room_id = breakout and breakout.breakoutRoomId,
        meeting_id = room.meetingId
    }
    repeat
        local ____switch10 = event.kind
        local ____cond10 = ____switch10 == "room-created"
        if ____cond10 then
            payload.created_at = room.createdAt
            break
        end
        ____cond10 = ____cond10 or ____switch10 == "occupant-joined"
        if ____cond10 then
            payload.occupant = occupantPayload(event.occupant, false)
            payload.active_occupants_count = event.activeCount
            break
        end
        ____cond10 = ____cond10 or ____switch10 == "occupant-left"
        if ____cond10 then
            payload.occupant = occupantPayload(event.occupant, true)
            payload.active_occupants_count = event.activeCount
            break
        end
        ____cond10 = ____cond10 or ____switch10 == "room-destroyed"
        if ____cond10 then
            do
                local all = {}
                for ____, occupant in ipairs(room.history) do
                    all[#all + 1] = occupantPayload(occupant, true)
                end
                payload.created_at = room.createdAt
                payload.destroyed_at = event.destroyedAt
                payload.all_occupants = asJsonArray(all)
                break
            end
        end
    until true
    addExtra(payload, room.extraPayload)
    return {roomJid = room.roomJid, payload = payload}
end
return ____exports
 end,
["src.config"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayFind = ____lualib.__TS__ArrayFind
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____signing = require("src.delivery.signing")
local secretBase64 = ____signing.secretBase64
local ____url = require("src.delivery.url")
local normaliseApiPrefix = ____url.normaliseApiPrefix
local ____option_readers = require("src.option_readers")
local describe = ____option_readers.describe
local OptionErrors = ____option_readers.OptionErrors
local readBoolean = ____option_readers.readBoolean
local readChoice = ____option_readers.readChoice
local readNumber = ____option_readers.readNumber
local readOptionalString = ____option_readers.readOptionalString
local readRequiredString = ____option_readers.readRequiredString
local readStringList = ____option_readers.readStringList
local ____payloads = require("src.payloads")
local EVENT_NAMES = ____payloads.EVENT_NAMES
____exports.DEFAULT_API_TIMEOUT = 10
____exports.DEFAULT_RETRY_COUNT = 3
____exports.DEFAULT_RETRY_DELAY = 1
____exports.DEFAULT_RETRY_MAX_DELAY = 60
____exports.DEFAULT_MAX_CONNECTIONS = 4
--- Enough for a long outage of a busy server (an event is ~0.5 KB: ~5 MB at the cap).
____exports.DEFAULT_MAX_PENDING = 10000
--- A room's events on the wire at once: enough to keep up with a busy room on a busy server.
____exports.DEFAULT_PIPELINE_DEPTH = 64
--- Headers an `api_headers` entry must not set: those the module writes itself, and those that
-- would change how the API answers or frames its answer (`Expect: 100-continue`, `TE`,
-- `Upgrade`, `Keep-Alive`), which the module's HTTP/1.1 client does not do.
local RESERVED_HEADERS = {}
for ____, header in ipairs({
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "content-type",
    "user-agent",
    "expect",
    "te",
    "upgrade",
    "keep-alive"
}) do
    RESERVED_HEADERS[header] = true
end
local function readHeaders(read, errors)
    local name = "api_headers"
    local headers = {}
    local value = read(name)
    if value == nil then
        return headers
    end
    if type(value) ~= "table" then
        errors:add(
            name,
            "must be a table of header names to values, got a " .. type(value)
        )
        return headers
    end
    for key, headerValue in pairs(value) do
        if type(key) ~= "string" or type(headerValue) ~= "string" and type(headerValue) ~= "number" then
            errors:add(
                name,
                ("must map header names to string values (entry " .. describe(key)) .. " is not)"
            )
            return {}
        end
        local value = tostring(headerValue)
        if RESERVED_HEADERS[string.lower(key)] ~= nil or (string.find(key, "[^%w%-_]")) ~= nil then
            errors:add(
                name,
                ("cannot set the header " .. describe(key)) .. " (the module sets it, or it is not a header name)"
            )
            return {}
        end
        if (string.find(value, "[\r\n]")) ~= nil then
            errors:add(
                name,
                ("value of " .. describe(key)) .. " contains a line break"
            )
            return {}
        end
        headers[key] = value
    end
    return headers
end
local function readRetryCount(read, errors, warnings)
    local canonical = read("retry_count")
    local alias = read("api_retry_count")
    if canonical ~= nil and alias ~= nil and canonical ~= alias then
        warnings[#warnings + 1] = "options 'retry_count' and 'api_retry_count' are both set; using 'retry_count'"
    end
    local name = (canonical ~= nil or alias == nil) and "retry_count" or "api_retry_count"
    return readNumber(
        read,
        name,
        ____exports.DEFAULT_RETRY_COUNT,
        errors,
        "count"
    )
end
local function readRetryRule(read, errors)
    local name = "api_should_retry_for_code"
    local value = read(name)
    if value == nil then
        return nil
    end
    if type(value) ~= "function" then
        errors:add(
            name,
            "must be a function(code) returning true to retry, got " .. describe(value)
        )
        return nil
    end
    return value
end
--- `api_pipeline_depth`, which only keep-alive connections can honour.
local function readPipelineDepth(read, keepAlive, errors, warnings)
    local depth = readNumber(
        read,
        "api_pipeline_depth",
        ____exports.DEFAULT_PIPELINE_DEPTH,
        errors,
        "positive count"
    )
    if keepAlive then
        return depth
    end
    if read("api_pipeline_depth") ~= nil and depth > 1 then
        warnings[#warnings + 1] = "option 'api_pipeline_depth' needs api_keepalive; with api_keepalive = false a room's events go one at a time"
    end
    return 1
end
local function readBreakoutComponent(read, errors)
    local explicit = readOptionalString(read, "breakout_component", errors)
    if explicit ~= nil then
        return explicit
    end
    local domainBase = read("muc_mapper_domain_base")
    return type(domainBase) == "string" and domainBase ~= "" and "breakout." .. domainBase or nil
end
--- `api_signing_secret`: one `whsec_…` secret or a list (for rotation). Never echoed.
local function readSigningSecrets(read, errors)
    local name = "api_signing_secret"
    local secrets = readStringList(read, name, errors) or ({})
    local decoded = {}
    do
        local i = 0
        while i < #secrets do
            local body = secretBase64(secrets[i + 1])
            if body == nil then
                errors:add(
                    name,
                    ("entry " .. tostring(i + 1)) .. " is not a Standard Webhooks secret (\"whsec_\" followed by base64)"
                )
                return {}
            end
            decoded[#decoded + 1] = body
            i = i + 1
        end
    end
    return decoded
end
--- `api_events`: the event names to send; all of them by default.
local function readEvents(read, errors)
    local name = "api_events"
    local selected = {}
    local listed = readStringList(read, name, errors)
    if listed == nil then
        for ____, event in ipairs(EVENT_NAMES) do
            selected[event] = true
        end
        return selected
    end
    for ____, event in ipairs(listed) do
        local known = __TS__ArrayFind(
            EVENT_NAMES,
            function(____, candidate) return candidate == event end
        )
        if known == nil then
            errors:add(
                name,
                ((("has unknown event " .. describe(event)) .. " (known: ") .. table.concat(EVENT_NAMES, ", ")) .. ")"
            )
        else
            selected[known] = true
        end
    end
    return selected
end
--- `api_prefix`, normalised (scheme and host in lower case, no trailing `/`, no fragment).
-- Never echoed in an error: it may hold credentials or a token in its query.
local function readApiPrefix(read, errors)
    local raw = readRequiredString(read, "api_prefix", errors)
    if raw == "" then
        return raw
    end
    local normalised = normaliseApiPrefix(raw)
    if normalised == nil then
        errors:add("api_prefix", "must be an http:// or https:// URL with a host name or IP (percent-encode any '/', '?', '#' or '@' in credentials)")
        return ""
    end
    return normalised
end
function ____exports.readConfig(read)
    local errors = __TS__New(OptionErrors)
    local warnings = {}
    local mucComponent = readRequiredString(read, "muc_component", errors)
    local apiPrefix = readApiPrefix(read, errors)
    local keepAlive = readBoolean(read, "api_keepalive", true, errors)
    local config = {
        mucComponent = mucComponent,
        breakoutComponent = readBreakoutComponent(read, errors),
        includeSpeakerStats = readBoolean(read, "include_speaker_stats", false, errors),
        includeUserInfo = readBoolean(read, "include_user_info", false, errors),
        apiPrefix = apiPrefix,
        apiHeaders = readHeaders(read, errors),
        apiTimeout = readNumber(
            read,
            "api_timeout",
            ____exports.DEFAULT_API_TIMEOUT,
            errors,
            "positive seconds"
        ),
        retryCount = readRetryCount(read, errors, warnings),
        retryDelay = readNumber(
            read,
            "api_retry_delay",
            ____exports.DEFAULT_RETRY_DELAY,
            errors,
            "seconds"
        ),
        shouldRetryForCode = readRetryRule(read, errors),
        retryBackoff = readChoice(
            read,
            "api_retry_backoff",
            {"exponential", "fixed"},
            "exponential",
            errors
        ),
        retryMaxDelay = readNumber(
            read,
            "api_retry_max_delay",
            ____exports.DEFAULT_RETRY_MAX_DELAY,
            errors,
            "positive seconds"
        ),
        signingSecrets = readSigningSecrets(read, errors),
        events = readEvents(read, errors),
        keepAlive = keepAlive,
        maxConnections = readNumber(
            read,
            "api_max_connections",
            ____exports.DEFAULT_MAX_CONNECTIONS,
            errors,
            "positive count"
        ),
        maxPending = readNumber(
            read,
            "api_max_pending",
            ____exports.DEFAULT_MAX_PENDING,
            errors,
            "positive count"
        ),
        pipelineDepth = readPipelineDepth(read, keepAlive, errors, warnings)
    }
    if #errors.messages > 0 then
        return {ok = false, errors = errors.messages}
    end
    return {ok = true, config = config, warnings = warnings}
end
return ____exports
 end,
["src.exclusions"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Rooms and occupants that are infrastructure, not people: Jicofo's health-check rooms and
-- Jicofo's own `focus` occupant. Reporting them would flood receivers with noise, and
-- operators of the Lua event_sync expect them to be skipped.
local HEALTH_CHECK_ROOM_PREFIX = "__jicofo-health-check"
local FOCUS_NODE = "focus"
--- True for Jicofo's health-check rooms (`__jicofo-health-check-<uuid>@conference...`).
function ____exports.isHealthCheckRoom(roomJid)
    return string.sub(roomJid, 1, #HEALTH_CHECK_ROOM_PREFIX) == HEALTH_CHECK_ROOM_PREFIX
end
--- True for Jicofo's focus occupant, whose real JID is `focus@auth.<domain>/...`.
function ____exports.isFocusOccupant(realJid)
    local node = string.match(realJid, "^([^@/]*)@")
    return node == FOCUS_NODE
end
return ____exports
 end,
["src.delivery.fifo"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
--- A first-in first-out queue on a Lua table with head and tail indices: push and shift are
-- O(1) and never move other items. With `weak`, the queue does not keep its items alive: an
-- item nothing else references disappears from it (Lua's weak-valued tables).
____exports.Fifo = __TS__Class()
local Fifo = ____exports.Fifo
Fifo.name = "Fifo"
function Fifo.prototype.____constructor(self, weak)
    if weak == nil then
        weak = false
    end
    self.items = {}
    self.head = 1
    self.tail = 0
    if weak then
        setmetatable(self.items, {__mode = "v"})
    end
end
function Fifo.prototype.push(self, item)
    self.tail = self.tail + 1
    self.items[self.tail] = item
end
function Fifo.prototype.peek(self)
    self:skipGone()
    return self.items[self.head]
end
function Fifo.prototype.shift(self)
    self:skipGone()
    if self.head > self.tail then
        return nil
    end
    local item = self.items[self.head]
    self.items[self.head] = nil
    self.head = self.head + 1
    return item
end
function Fifo.prototype.at(self, n)
    return self.items[self.head + n - 1]
end
function Fifo.prototype.size(self)
    return self.tail - self.head + 1
end
function Fifo.prototype.toArray(self)
    local out = {}
    do
        local i = self.head
        while i <= self.tail do
            local item = self.items[i]
            if item ~= nil then
                out[#out + 1] = item
            end
            i = i + 1
        end
    end
    return out
end
function Fifo.prototype.isEmpty(self)
    return self:peek() == nil
end
function Fifo.prototype.skipGone(self)
    while self.head <= self.tail and self.items[self.head] == nil do
        self.head = self.head + 1
    end
end
return ____exports
 end,
["src.delivery.http_response"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Status line and headers at most.
____exports.MAX_HEAD_BYTES = 16 * 1024
--- Body bytes read (and thrown away) at most per answer; past it the connection is given up.
____exports.MAX_BODY_BYTES = 1024 * 1024
--- A chunk-size line or trailer line at most.
local MAX_LINE_BYTES = 1024
local function parseHead(text)
    local version, codeText = string.match(text, "^HTTP/(1%.[01]) (%d%d%d)[^\r\n]*")
    if version == nil or codeText == nil then
        return "invalid-status-line"
    end
    local headers = {}
    local first = true
    for line in string.gmatch(text .. "\r\n", "([^\r\n]*)\r\n") do
        if first then
            first = false
        else
            local name, value = string.match(line, "^([!#$%%&'*+%-.^_`|~%w]+):[ \t]*(.-)[ \t]*$")
            if name == nil or value == nil then
                return "invalid-header-line"
            end
            local key = string.lower(name)
            local before = headers[key]
            headers[key] = before == nil and value or (before .. ",") .. value
        end
    end
    return {
        code = tonumber(codeText) or 0,
        httpVersion = version,
        headers = headers
    }
end
--- The body's length from `Content-Length` (repeated equal values allowed), or a reason.
local function contentLength(value)
    local length
    for item in string.gmatch(value, "[^,]+") do
        local digits = string.match(item, "^[ \t]*(%d+)[ \t]*$")
        local ____temp_0
        if digits == nil or #digits > 15 then
            ____temp_0 = nil
        else
            ____temp_0 = tonumber(digits)
        end
        local n = ____temp_0
        if n == nil or length ~= nil and n ~= length then
            return "invalid-content-length"
        end
        length = n
    end
    return length or "invalid-content-length"
end
local function isChunked(transferEncoding)
    local last = string.match(
        string.lower(transferEncoding),
        "([^,%s]+)[,%s]*$"
    )
    return last == "chunked"
end
function ____exports.createResponseReader(events, maxBody)
    if maxBody == nil then
        maxBody = ____exports.MAX_BODY_BYTES
    end
    local state = "head"
    local buffer = ""
    local head
    --- Body bytes still to read (Content-Length or current chunk).
    local remaining = 0
    local bodyRead = 0
    local function fail(reason)
        local known = head
        state = "failed"
        buffer = ""
        head = nil
        events.fail(reason, known)
    end
    local function complete(untilClose)
        local done = head
        state = "head"
        head = nil
        if done ~= nil then
            events.complete(done, untilClose)
        end
    end
    --- Starts an answer once its head is in; false when the reader failed.
    local function begin(parsed)
        if parsed.code >= 100 and parsed.code < 200 then
            if parsed.code == 101 then
                fail("unexpected 101 Switching Protocols")
            end
            return
        end
        head = parsed
        bodyRead = 0
        local transferEncoding = parsed.headers["transfer-encoding"]
        local length = parsed.headers["content-length"]
        if parsed.code == 204 or parsed.code == 304 then
            complete(false)
        elseif transferEncoding ~= nil then
            state = isChunked(transferEncoding) and "chunk-size" or "until-close"
        elseif length ~= nil then
            local n = contentLength(length)
            if type(n) == "string" then
                fail(n)
            elseif n == 0 then
                complete(false)
            else
                remaining = n
                state = "length"
            end
        else
            state = "until-close"
        end
    end
    --- Throws away up to `remaining` body bytes from the buffer; false when over the bound.
    local function discard(upTo)
        local take = math.min(upTo, #buffer)
        buffer = string.sub(buffer, take + 1)
        remaining = remaining - take
        bodyRead = bodyRead + take
        if bodyRead > maxBody then
            fail("body-too-large")
            return false
        end
        return true
    end
    --- Reads a CRLF-terminated line, or undefined when it has not all arrived (or is too long).
    local function line()
        local at = string.find(buffer, "\r\n", 1, true)
        if at == nil then
            if #buffer > MAX_LINE_BYTES then
                fail("line-too-long")
            end
            return nil
        end
        local text = string.sub(buffer, 1, at - 1)
        buffer = string.sub(buffer, at + 2)
        return text
    end
    --- Runs the state machine over the buffer; false when it needs more bytes (or failed).
    local function step()
        if state == "head" then
            local at = string.find(buffer, "\r\n\r\n", 1, true)
            if at == nil then
                if #buffer > ____exports.MAX_HEAD_BYTES then
                    fail("header-too-large")
                end
                return false
            end
            if at > ____exports.MAX_HEAD_BYTES then
                fail("header-too-large")
                return false
            end
            local parsed = parseHead(string.sub(buffer, 1, at - 1))
            buffer = string.sub(buffer, at + 4)
            if type(parsed) == "string" then
                fail(parsed)
            else
                begin(parsed)
            end
        elseif state == "length" or state == "chunk-data" then
            if not discard(remaining) then
                return false
            end
            if remaining > 0 then
                return false
            end
            if state == "length" then
                complete(false)
            else
                state = "chunk-end"
            end
        elseif state == "chunk-size" then
            local text = line()
            if text == nil then
                return false
            end
            local hex, extension = string.match(text, "^(%x+)[ \t]*(.*)$")
            if hex == nil or #hex > 12 or extension ~= "" and string.sub(extension or "", 1, 1) ~= ";" then
                fail("invalid-chunk-size")
            else
                remaining = tonumber(hex, 16) or 0
                state = remaining == 0 and "trailers" or "chunk-data"
            end
        elseif state == "chunk-end" then
            if #buffer < 2 then
                return false
            end
            if string.sub(buffer, 1, 2) ~= "\r\n" then
                fail("invalid-chunk-end")
            else
                buffer = string.sub(buffer, 3)
                state = "chunk-size"
            end
        elseif state == "trailers" then
            local text = line()
            if text == nil then
                return false
            end
            if text == "" then
                complete(false)
            end
        elseif state == "until-close" then
            discard(#buffer)
            return false
        else
            return false
        end
        return state ~= "failed"
    end
    return {
        feed = function(data)
            if state == "failed" then
                return
            end
            if data == nil then
                if state == "until-close" then
                    complete(true)
                elseif state ~= "head" or buffer ~= "" then
                    fail("unexpected-eof")
                else
                    fail("connection closed")
                end
                return
            end
            buffer = buffer .. data
            while buffer ~= "" do
                if not step() then
                    return
                end
            end
        end,
        current = function() return head end
    }
end
return ____exports
 end,
["src.delivery.types"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
return ____exports
 end,
["src.delivery.http1"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- `Retry-After` in seconds; the HTTP-date form is not used by receivers we know, so ignored.
function ____exports.retryAfterSeconds(value)
    if value == nil or (string.match(value, "^%s*%d+%s*$")) == nil then
        return nil
    end
    return tonumber(value)
end
--- What an answer means for its request: only its status (and Retry-After) matter.
function ____exports.resultOf(head)
    return {
        code = head.code,
        retryAfter = ____exports.retryAfterSeconds(head.headers["retry-after"])
    }
end
--- True when a `Connection` header lists the `close` token (any case, any position).
function ____exports.wantsClose(connection)
    if connection == nil then
        return false
    end
    for token in string.gmatch(
        string.lower(connection),
        "[^,%s]+"
    ) do
        if token == "close" then
            return true
        end
    end
    return false
end
function ____exports.hasHeader(headers, wanted)
    for name in pairs(headers) do
        if string.lower(name) == wanted then
            return true
        end
    end
    return false
end
--- The request head: our Host and Content-Length, then the caller's headers. Credentials in the
-- URL (`https://user:pw@host/…`) become Basic authentication, as with `net.http`, unless the
-- caller set an Authorization header.
function ____exports.requestHead(parsed, request, headers, base64Encode)
    local lines = {
        ("POST " .. parsed.target) .. " HTTP/1.1",
        "Host: " .. parsed.origin.hostHeader,
        "Content-Length: " .. tostring(#request.body),
        "Connection: keep-alive"
    }
    if parsed.userinfo ~= nil and not ____exports.hasHeader(headers, "authorization") then
        lines[#lines + 1] = "Authorization: Basic " .. base64Encode(parsed.userinfo)
    end
    for name, value in pairs(headers) do
        lines[#lines + 1] = (name .. ": ") .. value
    end
    return table.concat(lines, "\r\n") .. "\r\n\r\n"
end
return ____exports
 end,
["src.delivery.keepalive_pool"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____util_2Ex509 = require("util.x509")
local verify_identity = ____util_2Ex509.verify_identity
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
local ____http1 = require("src.delivery.http1")
local requestHead = ____http1.requestHead
--- True when the peer presented a valid chain for `host` (as `net.http` checks).
function ____exports.peerVerified(conn, host)
    local socket = conn:socket()
    if socket.getpeerverification == nil or socket.getpeercertificate == nil then
        return false
    end
    local chainValid = socket:getpeerverification()
    if not chainValid then
        return false
    end
    local cert = socket:getpeercertificate()
    return cert ~= nil and verify_identity(host, false, cert)
end
function ____exports.newPool(origin)
    return {
        origin = origin,
        connections = {},
        open = 0,
        waiting = __TS__New(Fifo),
        lanes = {},
        pumping = false,
        pumpAgain = false
    }
end
--- The connection already carrying the request's lane, if any.
function ____exports.laneConnection(pool, exchange)
    local lane = exchange.request.lane
    local ____temp_2
    if lane == nil then
        ____temp_2 = nil
    else
        local ____opt_0 = pool.lanes[lane]
        ____temp_2 = ____opt_0 and ____opt_0.connection
    end
    return ____temp_2
end
--- The open or connecting connection with the fewest requests, or undefined.
function ____exports.leastLoaded(pool)
    local best
    for pc in pairs(pool.connections) do
        if best == nil or pc.load < best.load then
            best = pc
        end
    end
    return best
end
--- Hands a request to a connection: it joins the connection's pipeline (and its lane).
function ____exports.attach(pc, exchange)
    pc.pipeline:push(exchange)
    pc.load = pc.load + 1
    exchange.connection = pc
    local lane = exchange.request.lane
    if lane == nil then
        return
    end
    local use = pc.pool.lanes[lane]
    if use == nil then
        pc.pool.lanes[lane] = {connection = pc, count = 1}
    else
        use.connection = pc
        use.count = use.count + 1
    end
end
--- The request left its connection's pipeline (answered, failed or moved).
function ____exports.detach(pc, exchange)
    pc.load = pc.load - 1
    local lane = exchange.request.lane
    if lane == nil then
        return
    end
    local use = pc.pool.lanes[lane]
    if use == nil or use.connection ~= pc then
        return
    end
    use.count = use.count - 1
    if use.count <= 0 then
        pc.pool.lanes[lane] = nil
    end
end
--- Empties a connection's pipeline, returning what was in it, oldest first.
function ____exports.takePipeline(pc)
    local rest = pc.pipeline:toArray()
    pc.pipeline = __TS__New(Fifo)
    for ____, exchange in ipairs(rest) do
        ____exports.detach(pc, exchange)
    end
    return rest
end
--- Takes a connection out of its pool; idempotent.
function ____exports.markClosed(pc)
    if pc.state == "closed" then
        return
    end
    pc.state = "closed"
    local ____pc_pool_3, ____open_4 = pc.pool, "open"
    ____pc_pool_3[____open_4] = ____pc_pool_3[____open_4] - 1
    pc.pool.connections[pc] = nil
    local ____opt_5 = pc.idleTimer
    if ____opt_5 ~= nil then
        ____opt_5:stop()
    end
    pc.idleTimer = nil
end
--- Writes a request to an open connection, its headers (and signature) made now. Sent at once
-- when net.server holds nothing of ours: its own write waits for the socket's next writable
-- event, which on a busy server comes only after everything else ready in that turn of its loop
-- (hundreds of ms under load). What the socket does not take now, and anything after it, goes
-- through net.server's buffer until it drains.
function ____exports.writeRequest(pc, exchange, base64Encode)
    local conn = pc.conn
    if conn == nil then
        return
    end
    local headers = exchange.request.headers()
    local data = requestHead(exchange.url, exchange.request, headers, base64Encode) .. exchange.request.body
    if not pc.buffered then
        local sent, ____, partial = conn:socket():send(data)
        if sent ~= nil then
            return
        end
        data = string.sub(data, (partial or 0) + 1)
    end
    pc.buffered = true
    conn:write(data)
end
return ____exports
 end,
["src.delivery.keepalive_connection"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayFilter = ____lualib.__TS__ArrayFilter
local __TS__ArrayEvery = ____lualib.__TS__ArrayEvery
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____net_2Econnect = require("net.connect")
local connect = ____net_2Econnect.connect
local basicResolver = require("net.resolvers.basic")
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
local ____http1 = require("src.delivery.http1")
local resultOf = ____http1.resultOf
local wantsClose = ____http1.wantsClose
local ____http_response = require("src.delivery.http_response")
local createResponseReader = ____http_response.createResponseReader
local ____keepalive_pool = require("src.delivery.keepalive_pool")
local attach = ____keepalive_pool.attach
local detach = ____keepalive_pool.detach
local markClosed = ____keepalive_pool.markClosed
local peerVerified = ____keepalive_pool.peerVerified
local takePipeline = ____keepalive_pool.takePipeline
local writeRequest = ____keepalive_pool.writeRequest
function ____exports.createConnections(options)
    local dropped, open
    local ____options_0 = options
    local scheduler = ____options_0.scheduler
    local log = ____options_0.log
    local idleTimeout = ____options_0.idleTimeout
    local pump = ____options_0.pump
    local byConn = {}
    local function finish(exchange, result)
        local ____opt_1 = exchange.timer
        if ____opt_1 ~= nil then
            ____opt_1:stop()
        end
        if exchange.finished then
            return
        end
        exchange.finished = true
        exchange.done(result)
    end
    local function abandon(pc, reason)
        markClosed(pc)
        for ____, exchange in ipairs(takePipeline(pc)) do
            finish(exchange, {code = 0, reason = reason})
        end
        local ____opt_3 = pc.conn
        if ____opt_3 ~= nil then
            ____opt_3:close()
        end
        pump(pc.pool)
    end
    --- A request on the connection failed in a way that leaves the connection unusable (timed
    -- out, or a malformed or failed closing answer): it ends with `result`, and everything else
    -- still on the connection fails as collateral (not an attempt of its own), after it, so that
    -- its retry keeps its place. One that is open is closed; one still connecting has written
    -- nothing and stays, to take new requests when it connects.
    local function failWith(pc, culprit, result)
        local rest = takePipeline(pc)
        if pc.state == "open" then
            markClosed(pc)
        end
        if culprit ~= nil then
            finish(culprit, result)
        end
        local why = "an earlier request on its connection failed"
        for ____, exchange in ipairs(rest) do
            if exchange ~= culprit then
                finish(exchange, {code = 0, reason = why, collateral = true})
            end
        end
        if pc.state == "closed" then
            local ____opt_5 = pc.conn
            if ____opt_5 ~= nil then
                ____opt_5:close()
            end
        end
        pump(pc.pool)
    end
    --- Times the oldest request of a connection: the time the API takes to answer it, from when it
    -- got a connection (connecting included) or from the answer before it; waiting for a free
    -- connection does not count. Kept across a resend on a fresh connection.
    local function timeHead(pc)
        local exchange = pc.pipeline:peek()
        if exchange == nil or exchange.timer ~= nil then
            return
        end
        local seconds = exchange.request.timeout
        exchange.timer = scheduler:after(
            seconds,
            function()
                local owner = exchange.connection
                local ____temp_9
                if owner ~= nil and owner.pipeline:peek() == exchange then
                    local ____opt_7 = owner.reader
                    ____temp_9 = ____opt_7 and ____opt_7.current()
                else
                    ____temp_9 = nil
                end
                local head = ____temp_9
                local result = head ~= nil and resultOf(head) or ({
                    code = 0,
                    reason = ("timed out after " .. tostring(seconds)) .. "s"
                })
                if owner ~= nil and owner.state ~= "closed" then
                    failWith(owner, exchange, result)
                else
                    finish(exchange, result)
                end
            end
        )
    end
    local function write(pc, exchange)
        return writeRequest(pc, exchange, options.base64Encode)
    end
    local function give(pc, exchange)
        local ____opt_10 = pc.idleTimer
        if ____opt_10 ~= nil then
            ____opt_10:stop()
        end
        pc.idleTimer = nil
        attach(pc, exchange)
        timeHead(pc)
        if pc.state == "open" then
            write(pc, exchange)
        end
    end
    --- Parks a connection with nothing on it: closed after `idleTimeout` unless used again.
    local function parkIfIdle(pc)
        if pc.state ~= "open" or pc.load > 0 or pc.idleTimer ~= nil then
            return
        end
        pc.idleTimer = scheduler:after(
            idleTimeout,
            function()
                if pc.state == "open" and pc.load == 0 then
                    markClosed(pc)
                    local ____opt_12 = pc.conn
                    if ____opt_12 ~= nil then
                        ____opt_12:close()
                    end
                end
            end
        )
    end
    local function complete(pc, response, untilClose)
        local exchange = pc.pipeline:shift()
        if exchange == nil then
            failWith(pc, nil, {code = 0, reason = "unsolicited answer"})
            return
        end
        detach(pc, exchange)
        local ____opt_14 = exchange.timer
        if ____opt_14 ~= nil then
            ____opt_14:stop()
        end
        pc.served = pc.served + 1
        pc.answered = false
        timeHead(pc)
        local closing = untilClose or wantsClose(response.headers.connection) or response.httpVersion == "1.0"
        local result = resultOf(response)
        if closing and not (response.code >= 200 and response.code < 300) then
            failWith(pc, exchange, result)
            return
        end
        if closing then
            dropped(pc, "connection closed by the API")
        end
        finish(exchange, result)
        if closing then
            local ____opt_16 = pc.conn
            if ____opt_16 ~= nil then
                ____opt_16:close()
            end
        end
        pump(pc.pool)
        parkIfIdle(pc)
    end
    local listeners = {
        onattach = function(conn, data)
            local pc = data
            pc.conn = conn
            byConn[conn] = pc
        end,
        onconnect = function(conn)
            local pc = byConn[conn]
            if pc == nil then
                return
            end
            if pc.state ~= "connecting" then
                conn:close()
                return
            end
            local origin = pc.pool.origin
            if origin.scheme == "https" and not (conn:ssl() and peerVerified(conn, origin.host)) then
                abandon(pc, "certificate-verify-failed")
                return
            end
            pc.state = "open"
            for ____, exchange in ipairs(takePipeline(pc)) do
                if exchange.finished then
                    local ____opt_18 = exchange.timer
                    if ____opt_18 ~= nil then
                        ____opt_18:stop()
                    end
                else
                    attach(pc, exchange)
                    write(pc, exchange)
                end
            end
            timeHead(pc)
            pump(pc.pool)
            parkIfIdle(pc)
        end,
        ondrain = function(conn)
            local pc = byConn[conn]
            if pc ~= nil then
                pc.buffered = false
            end
        end,
        onincoming = function(conn, data)
            local pc = byConn[conn]
            if pc == nil then
                return
            end
            pc.answered = true
            local ____opt_20 = pc.reader
            if ____opt_20 ~= nil then
                ____opt_20.feed(data)
            end
        end,
        ondisconnect = function(conn, reason)
            local pc = byConn[conn]
            if pc == nil then
                return
            end
            byConn[conn] = nil
            if pc.load > 0 and pc.answered then
                local ____opt_22 = pc.reader
                if ____opt_22 ~= nil then
                    ____opt_22.feed(nil)
                end
            end
            dropped(pc, reason or "connection closed")
        end,
        onfail = function(data, reason) return dropped(data, reason or "connection failed") end
    }
    --- A connection is gone. What it had not answered is sent again, in order, on a fresh
    -- connection when it was a reused connection closed before answering (the API had not seen
    -- those requests; each is resent once), and fails otherwise.
    dropped = function(pc, reason)
        markClosed(pc)
        local rest = __TS__ArrayFilter(
            takePipeline(pc),
            function(____, exchange) return not exchange.finished end
        )
        if #rest > 0 then
            local resend = pc.served > 0 and not pc.answered and __TS__ArrayEvery(
                rest,
                function(____, exchange) return not exchange.retriedOnFresh end
            )
            if resend then
                for ____, exchange in ipairs(rest) do
                    exchange.retriedOnFresh = true
                end
                open(pc.pool, rest)
            else
                for ____, exchange in ipairs(rest) do
                    finish(exchange, {code = 0, reason = reason})
                end
            end
        end
        pump(pc.pool)
    end
    --- Opens a connection for `given` (in order): they are written once it is connected.
    open = function(pool, given)
        local origin = pool.origin
        local sslctx
        if origin.scheme == "https" then
            sslctx = options.tlsContext()
            if sslctx == nil then
                for ____, exchange in ipairs(given) do
                    finish(exchange, {code = 0, reason = "TLS is not available for https"})
                end
                return
            end
        end
        local pc = {
            pool = pool,
            state = "connecting",
            pipeline = __TS__New(Fifo),
            load = 0,
            served = 0,
            answered = false,
            buffered = false
        }
        pool.open = pool.open + 1
        pool.connections[pc] = true
        for ____, exchange in ipairs(given) do
            give(pc, exchange)
        end
        pc.reader = createResponseReader({
            complete = function(head, untilClose) return complete(pc, head, untilClose) end,
            fail = function(reason, head) return failWith(
                pc,
                pc.pipeline:peek(),
                head ~= nil and resultOf(head) or ({code = 0, reason = "bad response: " .. reason})
            ) end
        })
        local ok, err = pcall(function() return connect(
            basicResolver.new(origin.host, origin.port, "tcp", {servername = origin.host}),
            listeners,
            {sslctx = sslctx},
            pc
        ) end)
        if not ok then
            log(
                "debug",
                "Could not start a connection to %s: %s",
                origin.key,
                tostring(err)
            )
            dropped(pc, "connection failed")
        end
    end
    return {open = open, give = give, abandon = abandon}
end
return ____exports
 end,
["src.delivery.keepalive_transport"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ObjectAssign = ____lualib.__TS__ObjectAssign
local ____exports = {}
local ____keepalive_connection = require("src.delivery.keepalive_connection")
local createConnections = ____keepalive_connection.createConnections
local ____keepalive_pool = require("src.delivery.keepalive_pool")
local laneConnection = ____keepalive_pool.laneConnection
local leastLoaded = ____keepalive_pool.leastLoaded
local newPool = ____keepalive_pool.newPool
local ____url = require("src.delivery.url")
local parseHttpUrl = ____url.parseHttpUrl
function ____exports.createKeepAliveTransport(options)
    local pump
    local ____options_0 = options
    local maxConnections = ____options_0.maxConnections
    local maxPerConnection = ____options_0.maxPerConnection
    local pools = {}
    local ____createConnections_result_1 = createConnections(__TS__ObjectAssign(
        {},
        options,
        {pump = function(pool) return pump(pool) end}
    ))
    local open = ____createConnections_result_1.open
    local give = ____createConnections_result_1.give
    local abandon = ____createConnections_result_1.abandon
    --- Puts a request on a connection, or says it must wait.
    local function place(pool, exchange)
        local lanePc = laneConnection(pool, exchange)
        if lanePc ~= nil then
            if lanePc.load >= maxPerConnection then
                return false
            end
            give(lanePc, exchange)
            return true
        end
        local best = leastLoaded(pool)
        if best ~= nil and best.load == 0 then
            give(best, exchange)
        elseif pool.open < maxConnections then
            open(pool, {exchange})
        elseif best ~= nil and best.load < maxPerConnection then
            give(best, exchange)
        else
            return false
        end
        return true
    end
    --- Starts waiting requests, oldest first, while connections can take them.
    local function drain(pool)
        do
            local exchange = pool.waiting:peek()
            while exchange ~= nil do
                if not exchange.finished and not place(pool, exchange) then
                    return
                end
                pool.waiting:shift()
                exchange = pool.waiting:peek()
            end
        end
    end
    --- `drain`, never re-entered: a connection failing at once calls back into it.
    pump = function(pool)
        if pool.pumping then
            pool.pumpAgain = true
            return
        end
        pool.pumping = true
        repeat
            do
                pool.pumpAgain = false
                drain(pool)
            end
        until not pool.pumpAgain
        pool.pumping = false
    end
    local function poolFor(origin)
        local pool = pools[origin.key]
        if pool == nil then
            pool = newPool(origin)
            pools[origin.key] = pool
        end
        return pool
    end
    return {
        close = function(self)
            local all = {}
            for ____, pool in pairs(pools) do
                for pc in pairs(pool.connections) do
                    all[#all + 1] = pc
                end
            end
            for ____, pc in ipairs(all) do
                abandon(pc, "module unloaded")
            end
        end,
        post = function(self, request, done)
            local parsed = parseHttpUrl(request.url)
            if parsed == nil then
                done({code = 0, reason = "invalid-url"})
                return function() return nil end
            end
            local exchange = {
                request = request,
                url = parsed,
                done = done,
                finished = false,
                retriedOnFresh = false
            }
            local pool = poolFor(parsed.origin)
            local lanePc = laneConnection(pool, exchange)
            if lanePc ~= nil and lanePc.load < maxPerConnection and pool.waiting:isEmpty() then
                give(lanePc, exchange)
            else
                pool.waiting:push(exchange)
                pump(pool)
            end
            return function()
                exchange.finished = true
            end
        end
    }
end
return ____exports
 end,
["src.safe"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Unpack = ____lualib.__TS__Unpack
local ____exports = {}
function ____exports.guarded(log, what, fn)
    return function(...)
        local args = {...}
        local ok, err = xpcall(
            function() return fn(__TS__Unpack(args)) end,
            debug.traceback
        )
        if not ok then
            log(
                "error",
                "Error in %s: %s",
                what,
                tostring(err)
            )
        end
        return nil
    end
end
return ____exports
 end,
["src.delivery.net_http_transport"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local http = require("net.http")
local ____http1 = require("src.delivery.http1")
local hasHeader = ____http1.hasHeader
local resultOf = ____http1.resultOf
local retryAfterSeconds = ____http1.retryAfterSeconds
local ____http_response = require("src.delivery.http_response")
local createResponseReader = ____http_response.createResponseReader
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____url = require("src.delivery.url")
local parseHttpUrl = ____url.parseHttpUrl
--- Our Host (IPv6 literals in brackets, which net.http leaves out) and Basic authentication from
-- the URL's credentials (percent-decoded), then the request's headers.
local function headersFor(parsed, headers, base64Encode)
    local out = {}
    out.Host = parsed.origin.hostHeader
    if parsed.userinfo ~= nil and not hasHeader(headers, "authorization") then
        out.Authorization = "Basic " .. base64Encode(parsed.userinfo)
    end
    for name, value in pairs(headers) do
        out[name] = value
    end
    return out
end
--- Prosody 0.12's net.http re-raises errors of its callback: ours never throw.
function ____exports.createNetHttpTransport(scheduler, log, base64Encode)
    return {
        post = function(self, request, done)
            local reader
            local finished = false
            local handle
            local timer = scheduler:after(
                request.timeout,
                function()
                    if finished then
                        return
                    end
                    finished = true
                    if handle ~= nil then
                        http.destroy_request(handle)
                    end
                    local head = reader.current()
                    done(head ~= nil and resultOf(head) or ({
                        code = 0,
                        reason = ("timed out after " .. tostring(request.timeout)) .. "s"
                    }))
                end
            )
            --- `close`: the answer came through our reader, so net.http will not close the connection.
            local finish = guarded(
                log,
                "net.http callback",
                function(result, close)
                    if finished then
                        return
                    end
                    finished = true
                    timer:stop()
                    if close == true and handle ~= nil then
                        http.destroy_request(handle)
                    end
                    done(result)
                end
            )
            reader = createResponseReader({
                complete = function(head) return finish(
                    resultOf(head),
                    true
                ) end,
                fail = function(reason, head) return finish(
                    head ~= nil and resultOf(head) or ({code = 0, reason = "bad response: " .. reason}),
                    true
                ) end
            })
            local parsed = parseHttpUrl(request.url)
            if parsed == nil then
                finish({code = 0, reason = "invalid-url"})
                return function() return nil end
            end
            local ____parsed_origin_0 = parsed.origin
            local scheme = ____parsed_origin_0.scheme
            local hostHeader = ____parsed_origin_0.hostHeader
            local options = {
                method = "POST",
                body = request.body,
                headers = headersFor(
                    parsed,
                    request.headers(),
                    base64Encode
                ),
                suppress_url = true
            }
            local url = ((scheme .. "://") .. hostHeader) .. parsed.target
            local ok, started = pcall(
                http.request,
                url,
                options,
                function(body, code, response)
                    local ____temp_7
                    if code == 0 then
                        ____temp_7 = {code = code, reason = body}
                    else
                        local ____code_6 = code
                        local ____retryAfterSeconds_5 = retryAfterSeconds
                        local ____opt_1 = response and response.headers
                        ____temp_7 = {
                            code = ____code_6,
                            retryAfter = ____retryAfterSeconds_5(____opt_1 and ____opt_1["retry-after"])
                        }
                    end
                    finish(____temp_7)
                end
            )
            if not ok then
                finish({
                    code = 0,
                    reason = tostring(started)
                })
                return function() return nil end
            end
            handle = started
            if handle ~= nil then
                handle.parser = {feed = function(self, data)
                    reader.feed(data)
                end}
            end
            return function()
                if finished then
                    return
                end
                finished = true
                timer:stop()
                if handle ~= nil then
                    http.destroy_request(handle)
                end
            end
        end,
        close = function(self)
        end
    }
end
return ____exports
 end,
["src.delivery.metrics"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
return ____exports
 end,
["src.delivery.retry_policy"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local function isSuccess(code)
    return code >= 200 and code < 300
end
--- The default rule: retry what may succeed later (408 Request Timeout, 429 Too Many
-- Requests, 5xx); other 4xx and 3xx will not change by asking again.
function ____exports.defaultShouldRetry(code)
    return code == 408 or code == 429 or code >= 500
end
--- Codes whose `Retry-After` is honoured.
local function honoursRetryAfter(code)
    return code == 429 or code == 503
end
--- Runs the operator's rule; a rule that throws falls back to the default and is logged.
local function wantsRetry(policy, code, log)
    local rule = policy.shouldRetryForCode
    if rule == nil then
        return ____exports.defaultShouldRetry(code)
    end
    local ok, answer = pcall(rule, code)
    if not ok then
        log(
            "error",
            "api_should_retry_for_code failed for HTTP %d (%s); using the default rule",
            code,
            tostring(answer)
        )
        return ____exports.defaultShouldRetry(code)
    end
    return answer == true
end
--- Judges one attempt's result; `attempts` counts the attempt just made.
function ____exports.judge(policy, result, attempts, log)
    if isSuccess(result.code) then
        return {kind = "delivered"}
    end
    local reason = result.code == 0 and (result.reason or "no response") or "HTTP " .. tostring(result.code)
    local retryable = result.code == 0 or wantsRetry(policy, result.code, log)
    if not retryable then
        return {kind = "give-up", reason = reason .. " (not retryable)"}
    end
    if attempts > policy.retryCount then
        return {
            kind = "give-up",
            reason = ((reason .. " after ") .. tostring(attempts)) .. " attempts"
        }
    end
    local ____honoursRetryAfter_result_0
    if honoursRetryAfter(result.code) then
        ____honoursRetryAfter_result_0 = result.retryAfter
    else
        ____honoursRetryAfter_result_0 = nil
    end
    local retryAfter = ____honoursRetryAfter_result_0
    return {kind = "retry", reason = reason, retryAfter = retryAfter}
end
return ____exports
 end,
["src.delivery.room_line"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__New = ____lualib.__TS__New
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
function ____exports.newRoomLine(roomJid, wide)
    return {
        roomJid = roomJid,
        items = __TS__New(Fifo),
        onWire = 0,
        wide = wide,
        narrowings = 0,
        gone = false,
        pumping = false,
        pumpAgain = false
    }
end
--- Rooms remembered at most (~50 bytes each); others start their next burst with one on the wire.
local REMEMBERED = 1000
--- Rooms still there whose queue emptied while the API accepted their events: their next burst
-- goes out pipelined at once instead of waiting for one answer first.
____exports.WideRooms = __TS__Class()
local WideRooms = ____exports.WideRooms
WideRooms.name = "WideRooms"
function WideRooms.prototype.____constructor(self)
    self.rooms = {}
    self.count = 0
end
function WideRooms.prototype.remember(self, roomJid)
    if self.count >= REMEMBERED or self.rooms[roomJid] ~= nil then
        return
    end
    self.rooms[roomJid] = true
    self.count = self.count + 1
end
function WideRooms.prototype.take(self, roomJid)
    if not (self.rooms[roomJid] ~= nil) then
        return false
    end
    self.rooms[roomJid] = nil
    self.count = self.count - 1
    return true
end
return ____exports
 end,
["src.delivery.room_queues"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____backoff = require("src.delivery.backoff")
local retryDelay = ____backoff.retryDelay
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
local ____retry_policy = require("src.delivery.retry_policy")
local judge = ____retry_policy.judge
local ____room_line = require("src.delivery.room_line")
local newRoomLine = ____room_line.newRoomLine
local WideRooms = ____room_line.WideRooms
local ____url = require("src.delivery.url")
local eventUrl = ____url.eventUrl
____exports.Dispatcher = __TS__Class()
local Dispatcher = ____exports.Dispatcher
Dispatcher.name = "Dispatcher"
function Dispatcher.prototype.____constructor(self, options)
    self.options = options
    self.lines = {}
    self.wideRooms = __TS__New(WideRooms)
    self.flying = {}
    self.pendingCount = 0
    self.order = __TS__New(Fifo, true)
    self.droppedInBurst = 0
    self.stopped = false
end
function Dispatcher.prototype.enqueue(self, delivery)
    self.options.metrics:produced(delivery.eventName)
    self:push(delivery)
end
function Dispatcher.prototype.adopt(self, delivery)
    self:push(delivery)
    if delivery.eventName == "muc-room-destroyed" then
        self:roomGone(delivery.roomJid)
    end
end
function Dispatcher.prototype.roomGone(self, roomJid)
    self.wideRooms:take(roomJid)
    local line = self.lines[roomJid]
    if line ~= nil then
        line.gone = true
    end
end
function Dispatcher.prototype.pending(self)
    local out = {}
    for ____, line in pairs(self.lines) do
        for ____, delivery in ipairs(line.items:toArray()) do
            if delivery.finished ~= true then
                out[#out + 1] = delivery
            end
        end
    end
    return out
end
function Dispatcher.prototype.stop(self)
    self.stopped = true
    local flying = self.flying
    self.flying = {}
    for ____, cancel in pairs(flying) do
        cancel()
    end
    for ____, line in pairs(self.lines) do
        local ____opt_0 = line.retryTimer
        if ____opt_0 ~= nil then
            ____opt_0:stop()
        end
    end
    self.options.transport:close()
end
function Dispatcher.prototype.push(self, delivery)
    if self.pendingCount >= self.options.maxPending then
        self:dropOldest()
    end
    self.order:push(delivery)
    local line = self.lines[delivery.roomJid]
    if line == nil then
        line = newRoomLine(
            delivery.roomJid,
            self.wideRooms:take(delivery.roomJid)
        )
        self.lines[delivery.roomJid] = line
    end
    if delivery.eventName == "muc-room-created" then
        self:narrow(line)
    end
    line.items:push(delivery)
    self.pendingCount = self.pendingCount + 1
    self.options.metrics:pending(self.pendingCount)
    self:pump(line)
end
function Dispatcher.prototype.pump(self, line)
    if line.pumping then
        line.pumpAgain = true
        return
    end
    line.pumping = true
    repeat
        do
            line.pumpAgain = false
            self:fillWindow(line)
        end
    until not line.pumpAgain
    line.pumping = false
    self:forgetIfDone(line)
end
function Dispatcher.prototype.forgetIfDone(self, line)
    if line.pumping or not line.items:isEmpty() or line.onWire > 0 or self.lines[line.roomJid] ~= line then
        return
    end
    self.lines[line.roomJid] = nil
    if line.wide and not line.gone then
        self.wideRooms:remember(line.roomJid)
    end
end
function Dispatcher.prototype.fillWindow(self, line)
    if self.stopped or line.retryTimer ~= nil then
        return
    end
    local window = line.wide and self.options.pipelineDepth or 1
    local onWireBefore = 0
    do
        local i = 1
        while i <= line.items:size() do
            local delivery = line.items:at(i)
            if delivery ~= nil and delivery.finished ~= true then
                if not (self.flying[delivery] ~= nil) then
                    if onWireBefore < line.onWire or onWireBefore >= window then
                        return
                    end
                    self:attempt(line, delivery)
                    if not (self.flying[delivery] ~= nil) then
                        return
                    end
                end
                onWireBefore = onWireBefore + 1
                if onWireBefore >= window then
                    return
                end
            end
            i = i + 1
        end
    end
end
function Dispatcher.prototype.trimOrder(self)
    while true do
        local ____opt_2 = self.order:peek()
        if not ((____opt_2 and ____opt_2.finished) == true) then
            break
        end
        self.order:shift()
    end
end
function Dispatcher.prototype.dropOldest(self)
    local oldest = self.order:shift()
    while oldest ~= nil and oldest.finished == true do
        oldest = self.order:shift()
    end
    if oldest == nil then
        return
    end
    if self.droppedInBurst == 0 then
        self.options.log(
            "warn",
            "More than %d events are waiting for the API (api_max_pending): dropping the oldest, starting with %s for room %s",
            self.options.maxPending,
            oldest.eventName,
            oldest.roomJid
        )
    end
    self.droppedInBurst = self.droppedInBurst + 1
    self.options.metrics:dropped(oldest.eventName)
    local line = self.lines[oldest.roomJid]
    local cancel = self.flying[oldest]
    if cancel ~= nil then
        self.flying[oldest] = nil
        cancel()
        if line ~= nil then
            line.onWire = line.onWire - 1
        end
    end
    if line ~= nil and line.items:peek() == oldest and line.retryTimer ~= nil then
        line.retryTimer:stop()
        line.retryTimer = nil
    end
    self:finish(oldest, line)
end
function Dispatcher.prototype.attempt(self, line, delivery)
    local ____self_options_4 = self.options
    local transport = ____self_options_4.transport
    local timeout = ____self_options_4.timeout
    local headersFor = ____self_options_4.headersFor
    local apiPrefix = ____self_options_4.apiPrefix
    delivery.attempts = delivery.attempts + 1
    line.onWire = line.onWire + 1
    local narrowingsBefore = line.narrowings
    local answered = false
    local request = {
        url = eventUrl(apiPrefix, delivery.path),
        body = delivery.body,
        headers = function() return headersFor(delivery) end,
        timeout = timeout,
        lane = delivery.roomJid
    }
    self.flying[delivery] = function() return nil end
    local cancel = transport:post(
        request,
        function(result)
            if answered or self.stopped or delivery.finished == true then
                return
            end
            answered = true
            self.flying[delivery] = nil
            line.onWire = line.onWire - 1
            self:settle(line, delivery, result, narrowingsBefore == line.narrowings)
        end
    )
    if not answered then
        self.flying[delivery] = cancel
    end
end
function Dispatcher.prototype.narrow(self, line)
    line.wide = false
    line.narrowings = line.narrowings + 1
end
function Dispatcher.prototype.settle(self, line, delivery, result, sentSinceNarrowed)
    local ____self_options_5 = self.options
    local policy = ____self_options_5.policy
    local log = ____self_options_5.log
    local scheduler = ____self_options_5.scheduler
    local backoff = ____self_options_5.backoff
    local random = ____self_options_5.random
    local metrics = ____self_options_5.metrics
    local nowMs = ____self_options_5.nowMs
    if result.collateral == true then
        delivery.attempts = delivery.attempts - 1
        self:narrow(line)
        self:pump(line)
        return
    end
    local verdict = judge(policy, result, delivery.attempts, log)
    if verdict.kind ~= "delivered" then
        self:narrow(line)
    end
    if verdict.kind == "retry" then
        if line.items:peek() ~= delivery then
            delivery.attempts = delivery.attempts - 1
            self:pump(line)
            return
        end
        local delay = retryDelay(
            backoff,
            delivery.attempts,
            random(),
            verdict.retryAfter
        )
        log(
            "debug",
            "Retrying %s for %s in %.1fs: %s",
            delivery.eventName,
            delivery.roomJid,
            delay,
            verdict.reason
        )
        metrics:retried(delivery.eventName)
        line.retryTimer = scheduler:after(
            delay,
            function()
                line.retryTimer = nil
                self:pump(line)
            end
        )
        return
    end
    if verdict.kind == "give-up" then
        log(
            "warn",
            "Gave up delivering %s for room %s: %s",
            delivery.eventName,
            delivery.roomJid,
            verdict.reason
        )
        metrics:gaveUp(delivery.eventName)
    else
        if sentSinceNarrowed then
            line.wide = true
        end
        metrics:delivered(
            delivery.eventName,
            math.max(
                0,
                nowMs() - delivery.createdAtMs
            ) / 1000
        )
        if self.droppedInBurst > 0 then
            log("warn", "The API accepts events again; %d events were dropped meanwhile (api_max_pending)", self.droppedInBurst)
            self.droppedInBurst = 0
        end
    end
    self:finish(delivery, line)
end
function Dispatcher.prototype.finish(self, delivery, line)
    delivery.finished = true
    self.pendingCount = self.pendingCount - 1
    self:trimOrder()
    self.options.metrics:pending(self.pendingCount)
    if line == nil then
        return
    end
    while true do
        local ____opt_6 = line.items:peek()
        if not ((____opt_6 and ____opt_6.finished) == true) then
            break
        end
        line.items:shift()
    end
    self:pump(line)
end
return ____exports
 end,
["src.pipeline"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____payloads = require("src.payloads")
local buildPayload = ____payloads.buildPayload
local EVENT_NAME_OF = ____payloads.EVENT_NAME_OF
local EVENT_PATHS = ____payloads.EVENT_PATHS
local ____rooms = require("src.rooms")
local nextSequence = ____rooms.nextSequence
function ____exports.createPipeline(deps)
    local ____deps_0 = deps
    local dispatcher = ____deps_0.dispatcher
    local selected = ____deps_0.events
    local encode = ____deps_0.encode
    local asJsonArray = ____deps_0.asJsonArray
    local newId = ____deps_0.newId
    local nowMs = ____deps_0.nowMs
    local log = ____deps_0.log
    local function queue(event, name)
        local meta = {
            eventId = newId(),
            timestampMs = nowMs(),
            sequence = nextSequence(event.room)
        }
        local built = buildPayload(event, meta, asJsonArray)
        dispatcher:enqueue({
            eventName = name,
            eventId = meta.eventId,
            roomJid = built.roomJid,
            path = EVENT_PATHS[name],
            body = encode(built.payload),
            createdAtMs = meta.timestampMs,
            attempts = 0
        })
    end
    return {publish = function(self, events)
        for ____, event in ipairs(events) do
            local name = EVENT_NAME_OF[event.kind]
            if selected[name] ~= nil then
                local ok, err = pcall(queue, event, name)
                if not ok then
                    log(
                        "error",
                        "Could not build %s for %s: %s",
                        name,
                        event.room.roomJid,
                        tostring(err)
                    )
                end
            end
            if event.kind == "room-destroyed" then
                dispatcher:roomGone(event.room.roomJid)
            end
        end
    end}
end
return ____exports
 end,
["src.prosody.metrics"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____payloads = require("src.payloads")
local EVENT_NAMES = ____payloads.EVENT_NAMES
local COUNTERS = {
    "produced",
    "delivered",
    "retried",
    "gave_up",
    "dropped"
}
--- `muc-occupant-joined` → `occupant_joined`: the metric-name form of an event.
local function metricSuffix(eventName)
    local suffix = string.gsub((string.gsub(eventName, "^muc%-", "")), "%-", "_")
    return suffix
end
function ____exports.createModuleMetrics()
    local counters = {}
    for ____, counter in ipairs(COUNTERS) do
        for ____, eventName in ipairs(EVENT_NAMES) do
            local name = (counter .. "_") .. metricSuffix(eventName)
            counters[(counter .. " ") .. eventName] = module:measure(name, "rate")
        end
    end
    local function count(counter, eventName)
        local ____opt_0 = counters[(counter .. " ") .. eventName]
        return ____opt_0 and ____opt_0()
    end
    local latency = module:measure("delivery_latency", "distribution", {unit = "seconds", description = "Time from a room event to its delivery to the API"})
    local pending = module:measure("pending", "amount", {description = "Deliveries in flight or waiting"})
    return {
        produced = function(____, eventName) return count("produced", eventName) end,
        delivered = function(____, eventName, latencySeconds)
            count("delivered", eventName)
            latency(latencySeconds)
        end,
        retried = function(____, eventName) return count("retried", eventName) end,
        gaveUp = function(____, eventName) return count("gave_up", eventName) end,
        dropped = function(____, eventName) return count("dropped", eventName) end,
        pending = function(____, value) return pending(value) end
    }
end
return ____exports
 end,
["src.prosody.room_facts"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____lua_tables = require("src.lua_tables")
local copyStringKeys = ____lua_tables.copyStringKeys
local ____rooms = require("src.rooms")
local roomNameOf = ____rooms.roomNameOf
local function stringOf(value)
    return type(value) == "string" and value or nil
end
--- A copy of `room._data.event_sync_extra_payload` (string keys only), when it is a table.
local function extraPayloadOf(room)
    return copyStringKeys(room._data.event_sync_extra_payload)
end
--- Main rooms found for live breakout rooms, by breakout room JID (see `forgetBreakoutRoom`).
local mainRoomCache = {}
local function searchMainRoom(breakoutJid, mainMucHost)
    local ____opt_0 = hosts[mainMucHost]
    local muc = ____opt_0 and ____opt_0.modules.muc
    local liveRooms = muc and muc.live_rooms
    if liveRooms == nil then
        return nil
    end
    for room in liveRooms() do
        local breakouts = room._data.breakout_rooms
        if type(breakouts) == "table" and breakouts[breakoutJid] ~= nil then
            return room
        end
    end
    return nil
end
--- The main room of a breakout room. Jitsi's mod_muc_breakout_rooms keeps the link only on the
-- main room (`_data.breakout_rooms[breakout JID]`); its speaker stats module caches the answer
-- as `room.main_room`. Otherwise the main MUC's live rooms are searched once per breakout room
-- and the answer cached, so later events cost O(1).
local function findMainRoom(breakoutRoom, mainMucHost)
    if breakoutRoom.main_room ~= nil then
        return breakoutRoom.main_room
    end
    local cached = mainRoomCache[breakoutRoom.jid]
    if cached ~= nil then
        local ____temp_4
        if cached == false then
            ____temp_4 = nil
        else
            ____temp_4 = cached
        end
        return ____temp_4
    end
    local found = searchMainRoom(breakoutRoom.jid, mainMucHost)
    mainRoomCache[breakoutRoom.jid] = found or false
    return found
end
--- Drops the cached main room of a destroyed breakout room.
function ____exports.forgetBreakoutRoom(breakoutJid)
    mainRoomCache[breakoutJid] = nil
end
local function breakoutInfo(breakoutRoom, mainMucHost)
    local main = findMainRoom(breakoutRoom, mainMucHost)
    local mainJid = main and main.jid or breakoutRoom.jid
    return {
        mainRoomJid = mainJid,
        mainRoomName = roomNameOf(mainJid),
        breakoutRoomId = roomNameOf(breakoutRoom.jid)
    }
end
--- The facts of a room of the main MUC (`mainMucHost` undefined) or of the breakout component.
-- A breakout room's meeting id is its main room's, so one meeting shares one id.
function ____exports.roomFactsOf(room, mainMucHost)
    if mainMucHost == nil then
        return {
            meetingId = stringOf(room._data.meetingId),
            extraPayload = extraPayloadOf(room)
        }
    end
    local main = findMainRoom(room, mainMucHost)
    return {
        meetingId = stringOf((main or room)._data.meetingId),
        extraPayload = extraPayloadOf(room),
        breakout = function() return breakoutInfo(room, mainMucHost) end
    }
end
--- Jitsi's total dominant-speaker time (ms) of an occupant, by real full JID, including an
-- interval still open (Jitsi closes it on `muc-occupant-pre-leave`, which a room destroy
-- skips). 0 when there are no stats for them (or none at all); undefined when the option is off.
function ____exports.speakerTimeOf(room, enabled, nowMs)
    return function(occupantJid)
        if not enabled then
            return nil
        end
        local ____opt_7 = room.speakerStats
        local entry = ____opt_7 and ____opt_7[occupantJid]
        if type(entry) ~= "table" then
            return 0
        end
        local stats = entry
        local total = type(stats.totalDominantSpeakerTime) == "number" and stats.totalDominantSpeakerTime or 0
        local start = stats._dominantSpeakerStart
        local open = type(start) == "number" and start > 0 and stats._isSilent ~= true and math.max(0, nowMs - start) or 0
        return math.floor(total + open)
    end
end
return ____exports
 end,
["src.prosody.muc_hooks"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____exclusions = require("src.exclusions")
local isFocusOccupant = ____exclusions.isFocusOccupant
local isHealthCheckRoom = ____exclusions.isHealthCheckRoom
local ____identity = require("src.identity")
local identityOf = ____identity.identityOf
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____room_facts = require("src.prosody.room_facts")
local forgetBreakoutRoom = ____room_facts.forgetBreakoutRoom
local roomFactsOf = ____room_facts.roomFactsOf
local speakerTimeOf = ____room_facts.speakerTimeOf
--- mod_muc destroys an empty room from a `muc-occupant-left` handler at priority -1
-- (`mod_muc.lua:192`); ours must run before it so the last `left` precedes `destroyed`.
-- Jitsi's speaker stats close the leaver's speaking interval earlier, in
-- `muc-occupant-pre-leave`, so their total is final by then.
local OCCUPANT_LEFT_PRIORITY = 10
--- Other MUC events: after Jitsi's modules that prepare the room at `muc-room-created`
-- (mod_muc_meeting_id at 0, speaker stats at -1), like the Lua event_sync (-2).
local ROOM_EVENT_PRIORITY = -2
--- Publishes room events, except that a room first seen through its first occupant's join is
-- held back briefly: Prosody fires `muc-room-created` right after that join, and Jitsi's
-- modules prepare the room (its meeting id) there, so the held `created` and `joined` are
-- published once `muc-room-created` has refreshed the room's facts (or on the next loop turn
-- for a room that is not new). Any other event of the room publishes what is held first.
local FirstSightBuffer = __TS__Class()
FirstSightBuffer.name = "FirstSightBuffer"
function FirstSightBuffer.prototype.____constructor(self, pipeline, defer)
    self.pipeline = pipeline
    self.defer = defer
    self.held = {}
end
function FirstSightBuffer.prototype.publish(self, roomJid, events)
    self:flush(roomJid)
    local ____opt_0 = events[1]
    if (____opt_0 and ____opt_0.kind) == "room-created" and #events > 1 then
        self.held[roomJid] = events
        self.defer(function() return self:flush(roomJid) end)
        return
    end
    self.pipeline:publish(events)
end
function FirstSightBuffer.prototype.flush(self, roomJid)
    local events = self.held[roomJid]
    if events == nil then
        return
    end
    self.held[roomJid] = nil
    self.pipeline:publish(events)
end
function FirstSightBuffer.prototype.flushAll(self)
    local rooms = {}
    for roomJid in pairs(self.held) do
        rooms[#rooms + 1] = roomJid
    end
    for ____, roomJid in ipairs(rooms) do
        self:flush(roomJid)
    end
end
--- The new in-room JID when a `muc-occupant-left` is really a nick change: the presence that
-- caused it is available (not `unavailable`) and addressed to another nick in the same room.
local function nickChangeTarget(occupant, stanza)
    if stanza == nil or stanza.name ~= "presence" or stanza.attr.type ~= nil then
        return nil
    end
    local to = stanza.attr.to
    return to ~= nil and to ~= occupant.nick and to or nil
end
--- Hooks one MUC host. `mainMucHost` is undefined for the main MUC itself and names it when
-- `muc` is the breakout rooms component.
local function hookMucHost(muc, mainMucHost, deps)
    local ____deps_2 = deps
    local tracker = ____deps_2.tracker
    local log = ____deps_2.log
    local now = ____deps_2.now
    local nowMs = ____deps_2.nowMs
    local rooms = __TS__New(FirstSightBuffer, deps.pipeline, deps.defer)
    local function on(name, priority, handler)
        return muc:hook(
            name,
            guarded(log, name, handler),
            priority
        )
    end
    local function speakerTime(room)
        return speakerTimeOf(
            room,
            deps.includeSpeakerStats,
            nowMs()
        )
    end
    on(
        "muc-room-created",
        ROOM_EVENT_PRIORITY,
        function(____bindingPattern0)
            local room
            room = ____bindingPattern0.room
            if isHealthCheckRoom(room.jid) then
                return
            end
            rooms:publish(
                room.jid,
                tracker:roomCreated(
                    room.jid,
                    roomFactsOf(room, mainMucHost),
                    now()
                )
            )
        end
    )
    on(
        "muc-occupant-joined",
        ROOM_EVENT_PRIORITY,
        function(____bindingPattern0)
            local origin
            local occupant
            local room
            room = ____bindingPattern0.room
            occupant = ____bindingPattern0.occupant
            origin = ____bindingPattern0.origin
            if isHealthCheckRoom(room.jid) or isFocusOccupant(occupant.bare_jid) then
                return
            end
            local identity = identityOf(origin, deps.includeUserInfo)
            rooms:publish(
                room.jid,
                tracker:occupantJoined(
                    room.jid,
                    roomFactsOf(room, mainMucHost),
                    occupant.nick,
                    occupant.jid,
                    identity,
                    now()
                )
            )
        end
    )
    on(
        "muc-occupant-left",
        OCCUPANT_LEFT_PRIORITY,
        function(____bindingPattern0)
            local stanza
            local origin
            local occupant
            local room
            room = ____bindingPattern0.room
            occupant = ____bindingPattern0.occupant
            origin = ____bindingPattern0.origin
            stanza = ____bindingPattern0.stanza
            if isHealthCheckRoom(room.jid) or isFocusOccupant(occupant.bare_jid) then
                return
            end
            local at = now()
            local facts = roomFactsOf(room, mainMucHost)
            rooms:publish(
                room.jid,
                tracker:occupantLeft(
                    room.jid,
                    facts,
                    occupant.nick,
                    speakerTime(room),
                    at
                )
            )
            local newNick = nickChangeTarget(occupant, stanza)
            local realJid = stanza and stanza.attr.from or origin and origin.full_jid
            if newNick ~= nil and realJid ~= nil then
                local identity = identityOf(origin, deps.includeUserInfo)
                rooms:publish(
                    room.jid,
                    tracker:occupantJoined(
                        room.jid,
                        facts,
                        newNick,
                        realJid,
                        identity,
                        at
                    )
                )
            end
        end
    )
    on(
        "muc-room-destroyed",
        ROOM_EVENT_PRIORITY,
        function(____bindingPattern0)
            local room
            room = ____bindingPattern0.room
            if isHealthCheckRoom(room.jid) then
                return
            end
            rooms:publish(
                room.jid,
                tracker:roomDestroyed(
                    room.jid,
                    roomFactsOf(room, mainMucHost),
                    speakerTime(room),
                    now()
                )
            )
            if mainMucHost ~= nil then
                forgetBreakoutRoom(room.jid)
            end
        end
    )
    return rooms
end
--- Calls `attach` for `host` now if it is active, and again whenever it is (re)activated.
-- Hooks placed through `module:context(host)` are removed when our module unloads.
local function whenActive(host, log, attach)
    module:hook_global(
        "host-activated",
        guarded(
            log,
            "host-activated",
            function(activated)
                if activated == host then
                    attach(module:context(host))
                end
            end
        )
    )
    if hosts[host] ~= nil then
        attach(module:context(host))
    else
        log("info", "Waiting for %s to be activated", host)
    end
end
--- Reports the rooms of `mucHost`, and of `breakoutHost` (Jitsi breakout rooms) when given.
-- Returns a function that publishes every event still held back (call it before a reload).
function ____exports.watchMucHosts(mucHost, breakoutHost, deps)
    local buffers = {}
    whenActive(
        mucHost,
        deps.log,
        function(api)
            deps.log("info", "Reporting room events of %s", mucHost)
            buffers[#buffers + 1] = hookMucHost(api, nil, deps)
        end
    )
    if breakoutHost ~= nil then
        whenActive(
            breakoutHost,
            deps.log,
            function(api)
                deps.log("info", "Reporting breakout room events of %s", breakoutHost)
                buffers[#buffers + 1] = hookMucHost(api, mucHost, deps)
            end
        )
    end
    return function()
        for ____, buffer in ipairs(buffers) do
            buffer:flushAll()
        end
    end
end
return ____exports
 end,
["src.prosody.scheduler"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____safe = require("src.safe")
local guarded = ____safe.guarded
function ____exports.createModuleScheduler(log)
    return {after = function(self, seconds, callback)
        local run = guarded(log, "timer", callback)
        local timer = module:add_timer(
            seconds,
            function()
                run()
                return nil
            end
        )
        return {stop = function() return timer:stop() end}
    end}
end
return ____exports
 end,
["src.version"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- The module's name as operators see it in their plugins folder.
____exports.MODULE_NAME = "mod_event_sync_component"
--- Kept equal to package.json's version; the build refuses to run when they differ.
____exports.VERSION = "0.1.0"
--- Sent with every request so receivers can tell which sender and version posted.
____exports.USER_AGENT = ((____exports.MODULE_NAME .. "/") .. ____exports.VERSION) .. " (Prosody)"
return ____exports
 end,
["src.main"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayMap = ____lualib.__TS__ArrayMap
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____config = require("src.config")
local readConfig = ____config.readConfig
local ____keepalive_transport = require("src.delivery.keepalive_transport")
local createKeepAliveTransport = ____keepalive_transport.createKeepAliveTransport
local ____net_http_transport = require("src.delivery.net_http_transport")
local createNetHttpTransport = ____net_http_transport.createNetHttpTransport
local ____room_queues = require("src.delivery.room_queues")
local Dispatcher = ____room_queues.Dispatcher
local ____signing = require("src.delivery.signing")
local createSigner = ____signing.createSigner
local ____url = require("src.delivery.url")
local describeUrl = ____url.describeUrl
local ____pipeline = require("src.pipeline")
local createPipeline = ____pipeline.createPipeline
local ____metrics = require("src.prosody.metrics")
local createModuleMetrics = ____metrics.createModuleMetrics
local ____muc_hooks = require("src.prosody.muc_hooks")
local watchMucHosts = ____muc_hooks.watchMucHosts
local ____scheduler = require("src.prosody.scheduler")
local createModuleScheduler = ____scheduler.createModuleScheduler
local ____rooms = require("src.rooms")
local RoomTracker = ____rooms.RoomTracker
local ____version = require("src.version")
local USER_AGENT = ____version.USER_AGENT
local VERSION = ____version.VERSION
local json = require("util.json")
local array = require("util.array")
local uuid = require("util.uuid")
local time = require("util.time")
local function log(level, message, ...)
    return module:log(level, message, ...)
end
--- `state` as this version's SavedState when it has its shape (a reload may cross versions).
local function savedStateOf(state)
    local candidate = state
    if type(candidate.rooms) ~= "table" or type(candidate.pending) ~= "table" then
        return nil
    end
    for ____, delivery in ipairs(candidate.pending) do
        if type(delivery.eventId) ~= "string" or type(delivery.path) ~= "string" or type(delivery.body) ~= "string" then
            return nil
        end
    end
    return candidate
end
local function nowMs()
    return math.floor(time.now() * 1000)
end
--- Headers of every attempt: fixed ones, the event id, and signatures when configured.
local function createHeaderBuilder(config)
    local fixed = {}
    for name, value in pairs(config.apiHeaders) do
        fixed[name] = value
    end
    fixed["Content-Type"] = "application/json"
    fixed["User-Agent"] = USER_AGENT
    local sign
    if #config.signingSecrets > 0 then
        local hashes = require("util.hashes")
        local base64 = require("util.encodings").base64
        local keys = __TS__ArrayMap(
            config.signingSecrets,
            function(____, secret) return base64.decode(secret) end
        )
        sign = createSigner(
            keys,
            {
                hmacSha256 = function(key, message) return hashes.hmac_sha256(key, message) end,
                base64Encode = base64.encode
            }
        )
    end
    return function(delivery)
        local headers = {}
        for name, value in pairs(fixed) do
            headers[name] = value
        end
        headers["webhook-id"] = delivery.eventId
        if sign ~= nil then
            local timestamp = os.time()
            headers["webhook-timestamp"] = string.format("%d", timestamp)
            headers["webhook-signature"] = sign(delivery.eventId, timestamp, delivery.body)
        end
        return headers
    end
end
--- Seconds an idle keep-alive connection stays open: under the 5 s idle timeout of Node.js
-- HTTP servers (and most proxies), so we close first rather than race the server.
local KEEPALIVE_IDLE_TIMEOUT = 4
--- The TLS context for https with keep-alive, built like Prosody's own HTTP client context
-- (`util/startup.lua`): the "client_https port 0" service name makes certmanager skip looking
-- up a certificate of ours, the CA store is Prosody's (`/etc/ssl/certs`, global `ssl` option),
-- and `client_https_ssl` applies. Verification is checked after the handshake (chain and host
-- name), as net.http does.
local function clientTlsContext()
    local certmanager = require("core.certmanager")
    local overrides = {verify = {"peer", "client_once"}, alpn = "http/1.1"}
    local userSettings = module:get_option("client_https_ssl")
    local context, err = certmanager.create_context(
        "client_https port 0",
        "client",
        overrides,
        type(userSettings) == "table" and userSettings ~= nil and userSettings or ({})
    )
    if context == nil then
        log(
            "error",
            "Cannot create a TLS context for https (api_prefix): %s",
            tostring(err)
        )
    end
    return context
end
local function createTransport(config, scheduler)
    local function base64Encode(data)
        return require("util.encodings").base64.encode(data)
    end
    if not config.keepAlive then
        return createNetHttpTransport(scheduler, log, base64Encode)
    end
    local tls
    return createKeepAliveTransport({
        scheduler = scheduler,
        log = log,
        maxConnections = config.maxConnections,
        maxPerConnection = config.pipelineDepth,
        idleTimeout = KEEPALIVE_IDLE_TIMEOUT,
        tlsContext = function()
            if tls == nil then
                tls = clientTlsContext() or false
            end
            local ____temp_0
            if tls == false then
                ____temp_0 = nil
            else
                ____temp_0 = tls
            end
            return ____temp_0
        end,
        base64Encode = base64Encode
    })
end
local function start(config)
    local tracker = __TS__New(RoomTracker)
    local scheduler = createModuleScheduler(log)
    local dispatcher = __TS__New(
        Dispatcher,
        {
            transport = createTransport(config, scheduler),
            scheduler = scheduler,
            apiPrefix = config.apiPrefix,
            policy = {retryCount = config.retryCount, shouldRetryForCode = config.shouldRetryForCode},
            backoff = {mode = config.retryBackoff, initialDelay = config.retryDelay, maxDelay = config.retryMaxDelay},
            timeout = config.apiTimeout,
            maxPending = config.maxPending,
            pipelineDepth = config.pipelineDepth,
            headersFor = createHeaderBuilder(config),
            random = function() return math.random() end,
            nowMs = nowMs,
            metrics = createModuleMetrics(),
            log = log
        }
    )
    local pipeline = createPipeline({
        log = log,
        dispatcher = dispatcher,
        events = config.events,
        encode = function(value) return json.encode(value) end,
        asJsonArray = array,
        newId = function() return uuid.generate() end,
        nowMs = nowMs
    })
    local function flushHeld()
        return nil
    end
    module.save = function()
        flushHeld()
        return {
            rooms = tracker:table(),
            pending = dispatcher:pending()
        }
    end
    module.restore = function(state)
        local saved = savedStateOf(state)
        if saved == nil then
            log("warn", "The previous instance handed over state this version does not understand; starting afresh")
            return
        end
        tracker:adopt(saved.rooms)
        for ____, delivery in ipairs(saved.pending) do
            dispatcher:adopt(delivery)
        end
    end
    module.unload = function() return dispatcher:stop() end
    flushHeld = watchMucHosts(
        config.mucComponent,
        config.breakoutComponent,
        {
            tracker = tracker,
            pipeline = pipeline,
            log = log,
            now = function() return os.time() end,
            nowMs = nowMs,
            includeUserInfo = config.includeUserInfo,
            includeSpeakerStats = config.includeSpeakerStats,
            defer = function(callback) return scheduler:after(0, callback) end
        }
    )
    local signed = #config.signingSecrets > 0 and " (signed)" or ""
    log(
        "info",
        "event_sync %s posting to %s%s",
        VERSION,
        describeUrl(config.apiPrefix),
        signed
    )
end
local result = readConfig(function(name) return module:get_option(name) end)
if result.ok then
    for ____, warning in ipairs(result.warnings) do
        log("warn", "%s", warning)
    end
    start(result.config)
else
    module:log_status(
        "error",
        "Not reporting any events until the configuration is fixed: %s",
        table.concat(result.errors, "; ")
    )
    module.restore = function(state)
        local pending = state.pending
        if pending ~= nil and #pending > 0 then
            log("warn", "%d undelivered events of the previous configuration are dropped", #pending)
        end
    end
end
return ____exports
 end,
}
local ____entry = require("src.main", ...)
return ____entry
