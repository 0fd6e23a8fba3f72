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

local function __TS__New(target, ...)
    local instance = setmetatable({}, target.prototype)
    instance:____constructor(...)
    return instance
end

local __TS__Unpack = table.unpack or unpack

return {
  __TS__Class = __TS__Class,
  __TS__New = __TS__New,
  __TS__Unpack = __TS__Unpack
}
 end,
["src.config"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local describe
function describe(value)
    if type(value) == "string" then
        return string.format("%q", value)
    end
    if type(value) == "number" or type(value) == "boolean" then
        return (type(value) .. " ") .. tostring(value)
    end
    return type(value)
end
____exports.DEFAULT_API_TIMEOUT = 10
____exports.DEFAULT_RETRY_COUNT = 3
____exports.DEFAULT_RETRY_DELAY = 1
--- Collects one message per bad option, so every problem is reported in a single pass.
local OptionErrors = __TS__Class()
OptionErrors.name = "OptionErrors"
function OptionErrors.prototype.____constructor(self)
    self.messages = {}
end
function OptionErrors.prototype.add(self, name, problem)
    local ____self_messages_0 = self.messages
    ____self_messages_0[#____self_messages_0 + 1] = (("option '" .. name) .. "' ") .. problem
end
local function readRequiredString(read, name, errors)
    local value = read(name)
    if value == nil then
        errors:add(name, "is required but not set")
        return ""
    end
    if type(value) ~= "string" or value == "" then
        errors:add(
            name,
            "must be a non-empty string, got " .. describe(value)
        )
        return ""
    end
    return value
end
local function readNumber(read, name, fallback, errors, kind)
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
    local ____temp_4 = parsed ~= nil and parsed == parsed and parsed ~= math.huge
    if ____temp_4 then
        local ____temp_3
        if kind == "positive seconds" then
            ____temp_3 = parsed > 0
        else
            ____temp_3 = parsed >= 0
        end
        ____temp_4 = ____temp_3
    end
    local valid = ____temp_4 and (kind ~= "count" or math.floor(parsed) == parsed)
    if not valid then
        local wanted = kind == "count" and "a whole number >= 0" or (kind == "seconds" and "a number of seconds >= 0" or "a number of seconds > 0")
        errors:add(
            name,
            (("must be " .. wanted) .. ", got ") .. describe(value)
        )
        return fallback
    end
    return parsed
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
        headers[key] = tostring(headerValue)
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
--- Strips trailing slashes so `${apiPrefix}/events/...` never has `//`.
local function trimTrailingSlashes(prefix)
    local trimmed = string.gsub(prefix, "/+$", "")
    return trimmed
end
function ____exports.readConfig(read)
    local errors = __TS__New(OptionErrors)
    local warnings = {}
    local mucComponent = readRequiredString(read, "muc_component", errors)
    local apiPrefix = readRequiredString(read, "api_prefix", errors)
    if apiPrefix ~= "" and (string.match(apiPrefix, "^[Hh][Tt][Tt][Pp][Ss]?://[^/]")) == nil then
        errors:add(
            "api_prefix",
            "must be an http:// or https:// URL, got " .. describe(apiPrefix)
        )
    end
    local config = {
        mucComponent = mucComponent,
        apiPrefix = trimTrailingSlashes(apiPrefix),
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
        shouldRetryForCode = readRetryRule(read, errors)
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
["src.identity"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local function stringField(user, key)
    local value = user[key]
    return type(value) == "string" and value or nil
end
--- Copies the seed's three identity fields from a session, ignoring anything not a string.
function ____exports.identityOf(session)
    local user = session and session.jitsi_meet_context_user
    if user == nil or type(user) ~= "table" then
        return nil
    end
    return {
        id = stringField(user, "id"),
        name = stringField(user, "name"),
        email = stringField(user, "email")
    }
end
return ____exports
 end,
["src.delivery.types"] = function(...) 
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
--- The default rule: server errors are worth another try, client errors are not.
function ____exports.defaultShouldRetry(code)
    return code >= 500
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
    return {kind = "retry", reason = reason}
end
return ____exports
 end,
["src.delivery.room_queues"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local ____retry_policy = require("src.delivery.retry_policy")
local judge = ____retry_policy.judge
____exports.Dispatcher = __TS__Class()
local Dispatcher = ____exports.Dispatcher
Dispatcher.name = "Dispatcher"
function Dispatcher.prototype.____constructor(self, options)
    self.options = options
    self.queues = {}
    self.cancels = {}
    self.stopped = false
end
function Dispatcher.prototype.enqueue(self, delivery)
    local fifo = self.queues[delivery.roomJid]
    if fifo == nil then
        fifo = {items = {}, head = 1, tail = 0}
        self.queues[delivery.roomJid] = fifo
    end
    fifo.tail = fifo.tail + 1
    fifo.items[fifo.tail] = delivery
    if fifo.head == fifo.tail and not self.stopped then
        self:attempt(delivery)
    end
end
function Dispatcher.prototype.pending(self)
    local out = {}
    for ____, fifo in pairs(self.queues) do
        do
            local i = fifo.head
            while i <= fifo.tail do
                local delivery = fifo.items[i]
                if delivery ~= nil then
                    out[#out + 1] = delivery
                end
                i = i + 1
            end
        end
    end
    return out
end
function Dispatcher.prototype.stop(self)
    self.stopped = true
    local cancels = self.cancels
    self.cancels = {}
    for ____, cancel in pairs(cancels) do
        cancel()
    end
end
function Dispatcher.prototype.attempt(self, delivery)
    local ____self_options_0 = self.options
    local transport = ____self_options_0.transport
    local scheduler = ____self_options_0.scheduler
    local timeout = ____self_options_0.timeout
    local headersFor = ____self_options_0.headersFor
    local apiPrefix = ____self_options_0.apiPrefix
    delivery.attempts = delivery.attempts + 1
    local settled = false
    local timer
    local function settle(code, reason)
        if settled or self.stopped then
            return
        end
        settled = true
        if timer ~= nil then
            timer:stop()
        end
        self.cancels[delivery.roomJid] = nil
        self:finish(delivery, code, reason)
    end
    timer = scheduler:after(
        timeout,
        function()
            if settled then
                return
            end
            local ____opt_3 = self.cancels[delivery.roomJid]
            if ____opt_3 ~= nil then
                ____opt_3()
            end
            settle(
                0,
                ("timed out after " .. tostring(timeout)) .. "s"
            )
        end
    )
    local cancel = transport:post(
        {
            url = apiPrefix .. delivery.path,
            body = delivery.body,
            headers = headersFor(delivery)
        },
        function(result) return settle(result.code, result.reason) end
    )
    if not settled then
        self.cancels[delivery.roomJid] = cancel
    end
end
function Dispatcher.prototype.finish(self, delivery, code, reason)
    local ____self_options_5 = self.options
    local policy = ____self_options_5.policy
    local log = ____self_options_5.log
    local scheduler = ____self_options_5.scheduler
    local retryDelay = ____self_options_5.retryDelay
    local verdict = judge(policy, {code = code, reason = reason}, delivery.attempts, log)
    if verdict.kind == "retry" then
        log(
            "debug",
            "Retrying %s for %s in %ss: %s",
            delivery.eventName,
            delivery.roomJid,
            retryDelay,
            verdict.reason
        )
        scheduler:after(
            retryDelay,
            function()
                if not self.stopped then
                    self:attempt(delivery)
                end
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
    end
    self:advance(delivery.roomJid)
end
function Dispatcher.prototype.advance(self, roomJid)
    local fifo = self.queues[roomJid]
    if fifo == nil then
        return
    end
    fifo.items[fifo.head] = nil
    fifo.head = fifo.head + 1
    local next = fifo.items[fifo.head]
    if next == nil then
        self.queues[roomJid] = nil
        return
    end
    self:attempt(next)
end
return ____exports
 end,
["src.delivery.net_http_transport"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local http = require("net.http")
function ____exports.createNetHttpTransport()
    return {post = function(self, request, done)
        local options = {method = "POST", body = request.body, headers = request.headers, suppress_url = true}
        local ok, started = pcall(
            http.request,
            request.url,
            options,
            function(body, code)
                done(code == 0 and ({code = code, reason = body}) or ({code = code}))
            end
        )
        if not ok then
            done({
                code = 0,
                reason = tostring(started)
            })
            return function() return nil end
        end
        local handle = started
        return function()
            if handle ~= nil then
                http.destroy_request(handle)
            end
        end
    end}
end
return ____exports
 end,
["src.rooms"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
--- The node part of a room JID (`catchup` of `catchup@conference.example.com`).
function ____exports.roomNameOf(roomJid)
    local node = string.match(roomJid, "^([^@]*)@")
    return node or roomJid
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
function RoomTracker.prototype.roomCreated(self, roomJid, now)
    local events = {}
    self:track(roomJid, now, events)
    return events
end
function RoomTracker.prototype.occupantJoined(self, roomJid, nick, occupantJid, identity, now)
    local events = {}
    local room = self:track(roomJid, now, events)
    if room.present[nick] ~= nil then
        return events
    end
    local occupant = {nick = nick, occupantJid = occupantJid, joinedAt = now, identity = identity}
    room.present[nick] = occupant
    local ____room_history_0 = room.history
    ____room_history_0[#____room_history_0 + 1] = occupant
    events[#events + 1] = {kind = "occupant-joined", room = room, occupant = occupant}
    return events
end
function RoomTracker.prototype.occupantLeft(self, roomJid, nick, now)
    local room = self.rooms[roomJid]
    local occupant = room and room.present[nick]
    if room == nil or occupant == nil then
        return {}
    end
    room.present[nick] = nil
    occupant.leftAt = now
    return {{kind = "occupant-left", room = room, occupant = occupant}}
end
function RoomTracker.prototype.roomDestroyed(self, roomJid, now)
    local events = {}
    local room = self:track(roomJid, now, events)
    for ____, occupant in ipairs(room.history) do
        if room.present[occupant.nick] == occupant then
            room.present[occupant.nick] = nil
            occupant.leftAt = now
            events[#events + 1] = {kind = "occupant-left", room = room, occupant = occupant}
        end
    end
    self.rooms[roomJid] = nil
    events[#events + 1] = {kind = "room-destroyed", room = room, destroyedAt = now}
    return events
end
function RoomTracker.prototype.track(self, roomJid, now, events)
    local existing = self.rooms[roomJid]
    if existing ~= nil then
        return existing
    end
    local room = {
        roomJid = roomJid,
        roomName = ____exports.roomNameOf(roomJid),
        createdAt = now,
        present = {},
        history = {}
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
--- Path under `api_prefix` each event is posted to.
____exports.EVENT_PATHS = {["muc-room-created"] = "/events/room/created", ["muc-room-destroyed"] = "/events/room/destroyed", ["muc-occupant-joined"] = "/events/occupant/joined", ["muc-occupant-left"] = "/events/occupant/left"}
local function occupantPayload(occupant, withLeftAt)
    local identity = occupant.identity
    local ____occupant_occupantJid_7 = occupant.occupantJid
    local ____occupant_joinedAt_8 = occupant.joinedAt
    local ____withLeftAt_0
    if withLeftAt then
        ____withLeftAt_0 = occupant.leftAt
    else
        ____withLeftAt_0 = nil
    end
    return {
        occupant_jid = ____occupant_occupantJid_7,
        joined_at = ____occupant_joinedAt_8,
        left_at = ____withLeftAt_0,
        name = identity and identity.name,
        email = identity and identity.email,
        id = identity and identity.id
    }
end
--- Builds the event name and JSON-ready payload of one room event.
function ____exports.buildPayload(event, asJsonArray)
    local room = event.room
    local payload
    repeat
        local ____switch4 = event.kind
        local ____cond4 = ____switch4 == "room-created"
        if ____cond4 then
            payload = {event_name = "muc-room-created", room_name = room.roomName, room_jid = room.roomJid, created_at = room.createdAt}
            break
        end
        ____cond4 = ____cond4 or ____switch4 == "occupant-joined"
        if ____cond4 then
            payload = {
                event_name = "muc-occupant-joined",
                room_name = room.roomName,
                room_jid = room.roomJid,
                occupant = occupantPayload(event.occupant, false)
            }
            break
        end
        ____cond4 = ____cond4 or ____switch4 == "occupant-left"
        if ____cond4 then
            payload = {
                event_name = "muc-occupant-left",
                room_name = room.roomName,
                room_jid = room.roomJid,
                occupant = occupantPayload(event.occupant, true)
            }
            break
        end
        ____cond4 = ____cond4 or ____switch4 == "room-destroyed"
        if ____cond4 then
            do
                local all = {}
                for ____, occupant in ipairs(room.history) do
                    all[#all + 1] = occupantPayload(occupant, true)
                end
                payload = {
                    event_name = "muc-room-destroyed",
                    room_name = room.roomName,
                    room_jid = room.roomJid,
                    created_at = room.createdAt,
                    destroyed_at = event.destroyedAt,
                    all_occupants = asJsonArray(all)
                }
                break
            end
        end
    until true
    return {name = payload.event_name, roomJid = room.roomJid, payload = payload}
end
return ____exports
 end,
["src.pipeline"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____payloads = require("src.payloads")
local buildPayload = ____payloads.buildPayload
local EVENT_PATHS = ____payloads.EVENT_PATHS
function ____exports.createPipeline(dispatcher, encode, asJsonArray)
    return {publish = function(self, events)
        for ____, event in ipairs(events) do
            local built = buildPayload(event, asJsonArray)
            dispatcher:enqueue({
                eventName = built.name,
                roomJid = built.roomJid,
                path = EVENT_PATHS[built.name],
                body = encode(built.payload),
                attempts = 0
            })
        end
    end}
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
["src.prosody.muc_hooks"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____exclusions = require("src.exclusions")
local isFocusOccupant = ____exclusions.isFocusOccupant
local isHealthCheckRoom = ____exclusions.isHealthCheckRoom
local ____identity = require("src.identity")
local identityOf = ____identity.identityOf
local ____safe = require("src.safe")
local guarded = ____safe.guarded
--- mod_muc destroys an empty room from a `muc-occupant-left` handler at priority -1
-- (`mod_muc.lua:192`); ours must run before it so the last `left` precedes `destroyed`.
local OCCUPANT_LEFT_PRIORITY = 10
--- Other MUC events: default priority, any order relative to mod_muc is fine.
local DEFAULT_PRIORITY = 0
--- The new in-room JID when a `muc-occupant-left` is really a nick change: the presence that
-- caused it is available (not `unavailable`) and addressed to another nick in the same room.
local function nickChangeTarget(occupant, stanza)
    if stanza == nil or stanza.name ~= "presence" or stanza.attr.type ~= nil then
        return nil
    end
    local to = stanza.attr.to
    return to ~= nil and to ~= occupant.nick and to or nil
end
local function hookMucHost(muc, deps)
    local ____deps_0 = deps
    local tracker = ____deps_0.tracker
    local pipeline = ____deps_0.pipeline
    local log = ____deps_0.log
    local now = ____deps_0.now
    local function on(name, priority, handler)
        return muc:hook(
            name,
            guarded(log, name, handler),
            priority
        )
    end
    on(
        "muc-room-created",
        DEFAULT_PRIORITY,
        function(____bindingPattern0)
            local room
            room = ____bindingPattern0.room
            if isHealthCheckRoom(room.jid) then
                return
            end
            pipeline:publish(tracker:roomCreated(
                room.jid,
                now()
            ))
        end
    )
    on(
        "muc-occupant-joined",
        DEFAULT_PRIORITY,
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
            pipeline:publish(tracker:occupantJoined(
                room.jid,
                occupant.nick,
                occupant.jid,
                identityOf(origin),
                now()
            ))
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
            pipeline:publish(tracker:occupantLeft(room.jid, occupant.nick, at))
            local newNick = nickChangeTarget(occupant, stanza)
            if newNick ~= nil and (origin and origin.full_jid) ~= nil then
                pipeline:publish(tracker:occupantJoined(
                    room.jid,
                    newNick,
                    origin.full_jid,
                    identityOf(origin),
                    at
                ))
            end
        end
    )
    on(
        "muc-room-destroyed",
        DEFAULT_PRIORITY,
        function(____bindingPattern0)
            local room
            room = ____bindingPattern0.room
            if isHealthCheckRoom(room.jid) then
                return
            end
            pipeline:publish(tracker:roomDestroyed(
                room.jid,
                now()
            ))
        end
    )
end
--- Hooks the MUC host now if it is active, and again whenever it is (re)activated.
-- Hooks placed through `module:context(host)` are removed when our module unloads.
function ____exports.watchMucHost(mucHost, deps)
    local function attach()
        deps.log("info", "Reporting room events of %s", mucHost)
        hookMucHost(
            module:context(mucHost),
            deps
        )
    end
    module:hook_global(
        "host-activated",
        guarded(
            deps.log,
            "host-activated",
            function(host)
                if host == mucHost then
                    attach()
                end
            end
        )
    )
    if hosts[mucHost] ~= nil then
        attach()
    else
        deps.log("info", "Waiting for MUC component %s to be activated", mucHost)
    end
end
return ____exports
 end,
["src.prosody.scheduler"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
function ____exports.createModuleScheduler()
    return {after = function(self, seconds, callback)
        local timer = module:add_timer(
            seconds,
            function()
                callback()
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
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____config = require("src.config")
local readConfig = ____config.readConfig
local ____room_queues = require("src.delivery.room_queues")
local Dispatcher = ____room_queues.Dispatcher
local ____net_http_transport = require("src.delivery.net_http_transport")
local createNetHttpTransport = ____net_http_transport.createNetHttpTransport
local ____pipeline = require("src.pipeline")
local createPipeline = ____pipeline.createPipeline
local ____muc_hooks = require("src.prosody.muc_hooks")
local watchMucHost = ____muc_hooks.watchMucHost
local ____scheduler = require("src.prosody.scheduler")
local createModuleScheduler = ____scheduler.createModuleScheduler
local ____rooms = require("src.rooms")
local RoomTracker = ____rooms.RoomTracker
local ____version = require("src.version")
local USER_AGENT = ____version.USER_AGENT
local VERSION = ____version.VERSION
local json = require("util.json")
local array = require("util.array")
local function log(level, message, ...)
    return module:log(level, message, ...)
end
local function requestHeaders(config)
    local headers = {}
    for name, value in pairs(config.apiHeaders) do
        headers[name] = value
    end
    headers["Content-Type"] = "application/json"
    headers["User-Agent"] = USER_AGENT
    return headers
end
local function start(config)
    local tracker = __TS__New(RoomTracker)
    local headers = requestHeaders(config)
    local dispatcher = __TS__New(
        Dispatcher,
        {
            transport = createNetHttpTransport(),
            scheduler = createModuleScheduler(),
            apiPrefix = config.apiPrefix,
            policy = {retryCount = config.retryCount, shouldRetryForCode = config.shouldRetryForCode},
            timeout = config.apiTimeout,
            retryDelay = config.retryDelay,
            headersFor = function() return headers end,
            log = log
        }
    )
    local pipeline = createPipeline(
        dispatcher,
        function(value) return json.encode(value) end,
        array
    )
    module.save = function() return {
        rooms = tracker:table(),
        pending = dispatcher:pending()
    } end
    module.restore = function(state)
        local saved = state
        if saved.rooms ~= nil then
            tracker:adopt(saved.rooms)
        end
        for ____, delivery in ipairs(saved.pending or ({})) do
            dispatcher:enqueue(delivery)
        end
    end
    module.unload = function() return dispatcher:stop() end
    watchMucHost(
        config.mucComponent,
        {
            tracker = tracker,
            pipeline = pipeline,
            log = log,
            now = function() return os.time() end
        }
    )
    log("info", "event_sync %s posting to %s", VERSION, config.apiPrefix)
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
end
return ____exports
 end,
}
local ____entry = require("src.main", ...)
return ____entry
