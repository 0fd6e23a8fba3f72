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

local __TS__Unpack = table.unpack or unpack

local function __TS__CountVarargs(...)
    return select("#", ...)
end

local function __TS__SparseArrayNew(...)
    local sparseArray = {...}
    sparseArray.sparseLength = __TS__CountVarargs(...)
    return sparseArray
end

local function __TS__SparseArrayPush(sparseArray, ...)
    local args = {...}
    local argsLen = __TS__CountVarargs(...)
    local listLen = sparseArray.sparseLength
    for i = 1, argsLen do
        sparseArray[listLen + i] = args[i]
    end
    sparseArray.sparseLength = listLen + argsLen
end

local function __TS__SparseArraySpread(sparseArray)
    local _unpack = unpack or table.unpack
    return _unpack(sparseArray, 1, sparseArray.sparseLength)
end

local function __TS__ArraySplice(self, ...)
    local args = {...}
    local len = #self
    local actualArgumentCount = __TS__CountVarargs(...)
    local start = args[1]
    local deleteCount = args[2]
    if start < 0 then
        start = len + start
        if start < 0 then
            start = 0
        end
    elseif start > len then
        start = len
    end
    local itemCount = actualArgumentCount - 2
    if itemCount < 0 then
        itemCount = 0
    end
    local actualDeleteCount
    if actualArgumentCount == 0 then
        actualDeleteCount = 0
    elseif actualArgumentCount == 1 then
        actualDeleteCount = len - start
    else
        actualDeleteCount = deleteCount or 0
        if actualDeleteCount < 0 then
            actualDeleteCount = 0
        end
        if actualDeleteCount > len - start then
            actualDeleteCount = len - start
        end
    end
    local out = {}
    for k = 1, actualDeleteCount do
        local from = start + k
        if self[from] ~= nil then
            out[k] = self[from]
        end
    end
    if itemCount < actualDeleteCount then
        for k = start + 1, len - actualDeleteCount do
            local from = k + actualDeleteCount
            local to = k + itemCount
            if self[from] then
                self[to] = self[from]
            else
                self[to] = nil
            end
        end
        for k = len - actualDeleteCount + itemCount + 1, len do
            self[k] = nil
        end
    elseif itemCount > actualDeleteCount then
        for k = len - actualDeleteCount, start + 1, -1 do
            local from = k + actualDeleteCount
            local to = k + itemCount
            if self[from] then
                self[to] = self[from]
            else
                self[to] = nil
            end
        end
    end
    local j = start + 1
    for i = 3, actualArgumentCount do
        self[j] = args[i]
        j = j + 1
    end
    for k = #self, len - actualDeleteCount + itemCount + 1, -1 do
        self[k] = nil
    end
    return out
end

local function __TS__ArrayIncludes(self, searchElement, fromIndex)
    if fromIndex == nil then
        fromIndex = 0
    end
    local len = #self
    local k = fromIndex
    if fromIndex < 0 then
        k = len + fromIndex
    end
    if k < 0 then
        k = 0
    end
    for i = k + 1, len do
        if self[i] == searchElement then
            return true
        end
    end
    return false
end

local function __TS__ArraySort(self, compareFn)
    if compareFn ~= nil then
        table.sort(
            self,
            function(a, b) return compareFn(nil, a, b) < 0 end
        )
    else
        table.sort(self)
    end
    return self
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

local function __TS__New(target, ...)
    local instance = setmetatable({}, target.prototype)
    instance:____constructor(...)
    return instance
end

local function __TS__ArrayMap(self, callbackfn, thisArg)
    local result = {}
    for i = 1, #self do
        result[i] = callbackfn(thisArg, self[i], i - 1, self)
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

local function __TS__ArrayFind(self, predicate, thisArg)
    for i = 1, #self do
        local elem = self[i]
        if predicate(thisArg, elem, i - 1, self) then
            return elem
        end
    end
    return nil
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

local function __TS__ArraySlice(self, first, last)
    local len = #self
    first = first or 0
    if first < 0 then
        first = len + first
        if first < 0 then
            first = 0
        end
    else
        if first > len then
            first = len
        end
    end
    last = last or len
    if last < 0 then
        last = len + last
        if last < 0 then
            last = 0
        end
    else
        if last > len then
            last = len
        end
    end
    local out = {}
    first = first + 1
    last = last + 1
    local n = 1
    while first < last do
        out[n] = self[first]
        first = first + 1
        n = n + 1
    end
    return out
end

return {
  __TS__Class = __TS__Class,
  __TS__Unpack = __TS__Unpack,
  __TS__SparseArrayNew = __TS__SparseArrayNew,
  __TS__SparseArrayPush = __TS__SparseArrayPush,
  __TS__SparseArraySpread = __TS__SparseArraySpread,
  __TS__ArraySplice = __TS__ArraySplice,
  __TS__ArrayIncludes = __TS__ArrayIncludes,
  __TS__ArraySort = __TS__ArraySort,
  __TS__ArrayFilter = __TS__ArrayFilter,
  __TS__New = __TS__New,
  __TS__ArrayMap = __TS__ArrayMap,
  __TS__ArrayEvery = __TS__ArrayEvery,
  __TS__ArrayFind = __TS__ArrayFind,
  __TS__ObjectAssign = __TS__ObjectAssign,
  __TS__ArraySlice = __TS__ArraySlice
}
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
    local item = self.items[self.head]
    if item ~= nil or self.head > self.tail then
        return item
    end
    self:skipGone()
    return self.items[self.head]
end
function Fifo.prototype.shift(self)
    local item = self.items[self.head]
    if item == nil then
        self:skipGone()
        if self.head > self.tail then
            return nil
        end
        item = self.items[self.head]
    end
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
["src.json_encode"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ESCAPES = {}
do
    local byte = 0
    while byte < 32 do
        ESCAPES[string.char(byte)] = string.format("\\u%04X", byte)
        byte = byte + 1
    end
end
ESCAPES["\""] = "\\\""
ESCAPES["\\"] = "\\\\"
ESCAPES["\b"] = "\\b"
ESCAPES["\f"] = "\\f"
ESCAPES["\n"] = "\\n"
ESCAPES["\r"] = "\\r"
ESCAPES["\t"] = "\\t"
--- Bytes to escape (and DEL, which %c takes too: ESCAPES has no entry for it, so it stays).
____exports.TO_ESCAPE = "[%c\"\\]"
--- The inside of a JSON string for `text`: its escapes, without the quotes.
function ____exports.escapedJson(text)
    local escaped = string.gsub(text, ____exports.TO_ESCAPE, ESCAPES)
    return escaped
end
--- A string as a JSON string.
function ____exports.jsonString(text)
    if (string.find(text, ____exports.TO_ESCAPE)) == nil then
        return ("\"" .. text) .. "\""
    end
    return ("\"" .. ____exports.escapedJson(text)) .. "\""
end
--- Object keys as `"key":`, remembered for the keys payloads use again and again (bounded).
local MAX_KEYS = 256
function ____exports.createJsonEncoder(lib)
    local listText, objectText
    local keys = {}
    local keyCount = 0
    local function keyText(key)
        local text = keys[key]
        if text == nil then
            text = ____exports.jsonString(key) .. ":"
            if keyCount < MAX_KEYS then
                keys[key] = text
                keyCount = keyCount + 1
            end
        end
        return text
    end
    --- A value's text, or undefined for what util.json leaves out of an object (functions…).
    local function valueText(value)
        local kind = type(value)
        if kind == "string" then
            return ____exports.jsonString(value)
        end
        if kind == "number" then
            return tostring(value)
        end
        if kind == "boolean" then
            return value == true and "true" or "false"
        end
        if kind ~= "table" then
            return nil
        end
        if value == lib.null then
            return "null"
        end
        local ____table = value
        if lib.arrayMeta ~= nil and getmetatable(____table) == lib.arrayMeta then
            return listText(____table)
        end
        return objectText(____table)
    end
    listText = function(list)
        if list[1] == nil then
            return (next(list)) == nil and "[]" or lib.encode(list)
        end
        local parts = {}
        for ____, item in ipairs(list) do
            parts[#parts + 1] = valueText(item) or "null"
        end
        return ("[" .. table.concat(parts, ",")) .. "]"
    end
    objectText = function(object)
        local parts = {}
        local n = 0
        for key, item in pairs(object) do
            local prefix = keys[key]
            if prefix == nil then
                if type(key) ~= "string" or key == "__array" or key == "__hash" then
                    return lib.encode(object)
                end
                prefix = keyText(key)
            end
            local text
            if type(item) == "string" then
                text = (string.find(item, ____exports.TO_ESCAPE)) == nil and ("\"" .. item) .. "\"" or ____exports.jsonString(item)
            elseif type(item) == "number" then
                text = tostring(item)
            else
                text = valueText(item)
            end
            if text ~= nil then
                n = n + 1
                parts[n] = prefix .. text
            end
        end
        return ("{" .. table.concat(parts, ",")) .. "}"
    end
    return function(value) return valueText(value) or "null" end
end
return ____exports
 end,
["src.json_text"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____json_encode = require("src.json_encode")
local escapedJson = ____json_encode.escapedJson
local jsonString = ____json_encode.jsonString
local TO_ESCAPE = ____json_encode.TO_ESCAPE
local parts = {}
local count = 0
--- This text holds large pieces (request bodies, in an outbox batch): let go of all at the end.
local holdsLarge = false
--- Lets go of the pieces of the last text when it held large ones (a fresh table: no clearing loop).
local function release()
    if not holdsLarge then
        return
    end
    parts = {}
    holdsLarge = false
end
--- Starts a text; `large`: it will hold large pieces (bodies), not to be kept once it is made.
function ____exports.beginText(large)
    if large == nil then
        large = false
    end
    release()
    count = 0
    holdsLarge = large
end
--- A piece of JSON written as it is (punctuation, a key prefix such as `,"role":`, a number's text).
function ____exports.put(piece)
    local n = count + 1
    parts[n] = piece
    count = n
end
--- A JSON string value.
function ____exports.putString(value)
    if (string.find(value, TO_ESCAPE)) == nil then
        parts[count + 1] = "\""
        parts[count + 2] = value
        parts[count + 3] = "\""
        count = count + 3
    else
        count = count + 1
        parts[count] = jsonString(value)
    end
end
--- `opening` (a key prefix with the value's opening quote, e.g. `,"role":"`), a string value and
-- its closing quote; nothing when the value is absent. (This runs for most fields of every
-- webhook: putString inlined, the counter kept in a local.)
function ____exports.putStringField(opening, value)
    if value == nil then
        return
    end
    local n = count
    parts[n + 1] = opening
    parts[n + 2] = (string.find(value, TO_ESCAPE)) == nil and value or escapedJson(value)
    parts[n + 3] = "\""
    count = n + 3
end
--- `opening` (a prefix ending in `"`, e.g. `,"event_id":"`), a value known to need no escaping
-- (one this module made: an event name, an event id), and the closing quote.
function ____exports.putPlainStringField(opening, value)
    parts[count + 1] = opening
    parts[count + 2] = value
    parts[count + 3] = "\""
    count = count + 3
end
--- `prefix` and a number (written as `tostring` writes it, like the encoder); nothing when absent.
function ____exports.putNumberField(prefix, value)
    if value == nil then
        return
    end
    local n = count
    parts[n + 1] = prefix
    parts[n + 2] = tostring(value)
    count = n + 2
end
--- The text written since `beginText`. Small pieces stay in the table until overwritten (cheaper
-- than clearing them); a text begun as `large` is cleared, so that bodies are not held after
-- their events are delivered.
function ____exports.endText()
    local text = table.concat(parts, "", 1, count)
    release()
    count = 0
    return text
end
return ____exports
 end,
["src.event_names"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Unpack = ____lualib.__TS__Unpack
local __TS__SparseArrayNew = ____lualib.__TS__SparseArrayNew
local __TS__SparseArrayPush = ____lualib.__TS__SparseArrayPush
local __TS__SparseArraySpread = ____lualib.__TS__SparseArraySpread
local ____exports = {}
--- The seed's events, in the order of a room's life: what `api_events` selects by default.
____exports.DEFAULT_EVENT_NAMES = {"muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed"}
local ____array_0 = __TS__SparseArrayNew(__TS__Unpack(____exports.DEFAULT_EVENT_NAMES))
__TS__SparseArrayPush(
    ____array_0,
    "muc-occupant-role-changed",
    "muc-lobby-joined",
    "muc-lobby-left",
    "muc-recording-started",
    "muc-recording-stopped",
    "muc-live-stream-started",
    "muc-live-stream-stopped"
)
--- Every event name: the seed's, then the meeting events.
____exports.EVENT_NAMES = {__TS__SparseArraySpread(____array_0)}
--- Path under `api_prefix` each event is posted to.
____exports.EVENT_PATHS = {
    ["muc-room-created"] = "/events/room/created",
    ["muc-room-destroyed"] = "/events/room/destroyed",
    ["muc-occupant-joined"] = "/events/occupant/joined",
    ["muc-occupant-left"] = "/events/occupant/left",
    ["muc-occupant-role-changed"] = "/events/occupant/role-changed",
    ["muc-lobby-joined"] = "/events/lobby/joined",
    ["muc-lobby-left"] = "/events/lobby/left",
    ["muc-recording-started"] = "/events/recording/started",
    ["muc-recording-stopped"] = "/events/recording/stopped",
    ["muc-live-stream-started"] = "/events/live-stream/started",
    ["muc-live-stream-stopped"] = "/events/live-stream/stopped"
}
return ____exports
 end,
["src.json_values"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local isFiniteNumber, copyValue, spend, copyTable, luaMath
function isFiniteNumber(n)
    return n == n and n ~= math.huge and n ~= -math.huge
end
--- A number as exact decimal text: integers in full (`123456789012345`, `42` for a float 42),
-- other numbers in the fewest digits that read back as the same number. Undefined for
-- infinities and NaN.
function ____exports.numberText(n)
    if not isFiniteNumber(n) then
        return nil
    end
    local ____opt_0 = luaMath.type
    if (____opt_0 and ____opt_0(n)) == "integer" then
        return string.format("%d", n)
    end
    if n == math.floor(n) then
        return string.format("%.0f", n)
    end
    for ____, digits in ipairs({14, 15, 16}) do
        local text = string.format(
            ("%." .. tostring(digits)) .. "g",
            n
        )
        if tonumber(text) == n then
            return text
        end
    end
    return string.format("%.17g", n)
end
--- A number as util.json will write it exactly: an integral float becomes an integer where Lua
-- has them (5.3+); a number `tostring` would not write exactly becomes its exact text (a
-- string); infinities and NaN become undefined (left out).
function ____exports.jsonNumber(n)
    if not isFiniteNumber(n) then
        return nil
    end
    local ____opt_2 = luaMath.type
    if (____opt_2 and ____opt_2(n)) == "integer" then
        return n
    end
    if n == math.floor(n) and luaMath.tointeger ~= nil then
        local integer = luaMath.tointeger(n)
        if integer ~= nil then
            return integer
        end
    end
    return tonumber(tostring(n)) == n and n or ____exports.numberText(n)
end
--- `text` cut to at most `maxBytes` bytes, never inside a UTF-8 sequence.
function ____exports.truncateUtf8(text, maxBytes)
    if #text <= maxBytes then
        return text
    end
    local start = maxBytes
    while start > 1 do
        local byte = string.byte(text, start)
        if byte < 128 or byte >= 192 then
            break
        end
        start = start - 1
    end
    local lead = string.byte(text, start)
    local length = lead >= 240 and 4 or (lead >= 224 and 3 or (lead >= 192 and 2 or 1))
    return string.sub(text, 1, start + length - 1 > maxBytes and start - 1 or maxBytes)
end
function copyValue(value, depth, limits, budget)
    if type(value) == "string" then
        local text = ____exports.truncateUtf8(value, limits.maxStringBytes)
        return spend(budget, #text + 3) and text or nil
    end
    if type(value) == "number" then
        local exact = ____exports.jsonNumber(value)
        return exact ~= nil and spend(budget, 8) and exact or nil
    end
    if type(value) == "boolean" then
        local ____spend_result_4
        if spend(budget, 6) then
            ____spend_result_4 = value
        else
            ____spend_result_4 = nil
        end
        return ____spend_result_4
    end
    if type(value) == "table" and value ~= nil and depth < limits.maxDepth then
        return copyTable(
            value,
            depth + 1,
            limits,
            budget,
            false
        )
    end
    return nil
end
function spend(budget, bytes)
    if budget.bytes < bytes then
        return false
    end
    budget.bytes = budget.bytes - bytes
    return true
end
function copyTable(source, depth, limits, budget, stringKeysOnly)
    local ____table = source
    local meta = getmetatable(____table)
    if meta ~= nil and (next(____table)) == nil then
        return spend(budget, 4) and ____table or nil
    end
    if not spend(budget, 2) then
        return nil
    end
    local copy = {}
    if not stringKeysOnly then
        do
            local i = 1
            while budget.entries > 0 and ____table[i] ~= nil do
                budget.entries = budget.entries - 1
                local item = copyValue(____table[i], depth, limits, budget)
                if item == nil then
                    break
                end
                copy[i] = item
                i = i + 1
            end
        end
    end
    for key, item in pairs(____table) do
        budget.visits = budget.visits - 1
        if budget.entries <= 0 or budget.visits < 0 then
            break
        end
        if type(key) == "string" and #key <= limits.maxKeyBytes and spend(budget, #key + 3) then
            budget.entries = budget.entries - 1
            local copied = copyValue(item, depth, limits, budget)
            if copied ~= nil then
                copy[key] = copied
            end
        end
    end
    if type(meta) == "table" then
        setmetatable(copy, meta)
    end
    return copy
end
luaMath = math
--- A copy of the string-keyed entries of `source` (a JWT user context) and what they hold,
-- within `limits`: strings cut, numbers made exact (see `jsonNumber`), entries past a bound
-- left out. A table's metatable is kept, so lists util.json (or cjson) decoded stay lists,
-- `[]` included; an empty table with a metatable (util.json's `null`, an empty list) is
-- shared as it is.
function ____exports.boundedCopy(source, limits)
    local budget = {entries = limits.maxEntries, bytes = limits.maxBytes, visits = 4 * limits.maxEntries}
    local value = copyTable(
        source,
        1,
        limits,
        budget,
        true
    )
    return {value = value, bytes = limits.maxBytes - budget.bytes}
end
return ____exports
 end,
["src.limits"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Bytes of one string copied from a JWT user context (name, email, id and every context value).
____exports.MAX_CLAIM_BYTES = 512
--- Bytes of a key of the user context; longer keys are left out (cutting them could merge two).
____exports.MAX_CLAIM_KEY_BYTES = 64
--- Entries (keys and list items, at every level) copied from one user context.
____exports.MAX_USER_INFO_ENTRIES = 64
--- Levels of the user context copied: the user object is level 1; deeper tables are left out.
____exports.MAX_USER_INFO_DEPTH = 4
--- Bytes (keys and strings, ~8 per other value) copied from one user context; the rest is left out.
____exports.MAX_USER_INFO_BYTES = 4096
--- People listed in a room's `all_occupants`; later ones are only counted (`all_occupants_omitted`).
____exports.MAX_ALL_OCCUPANTS = 1000
--- Estimated JSON bytes of a room's `all_occupants`; past it people are only counted, as above.
____exports.MAX_ALL_OCCUPANTS_BYTES = 256 * 1024
--- Bytes of request bodies waiting for the API, in all; past it the oldest events are dropped.
____exports.MAX_PENDING_BYTES = 16 * 1024 * 1024
return ____exports
 end,
["src.identity"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local ____json_values = require("src.json_values")
local boundedCopy = ____json_values.boundedCopy
local numberText = ____json_values.numberText
local truncateUtf8 = ____json_values.truncateUtf8
local ____limits = require("src.limits")
local MAX_CLAIM_BYTES = ____limits.MAX_CLAIM_BYTES
local MAX_CLAIM_KEY_BYTES = ____limits.MAX_CLAIM_KEY_BYTES
local MAX_USER_INFO_BYTES = ____limits.MAX_USER_INFO_BYTES
local MAX_USER_INFO_DEPTH = ____limits.MAX_USER_INFO_DEPTH
local MAX_USER_INFO_ENTRIES = ____limits.MAX_USER_INFO_ENTRIES
local USER_INFO_LIMITS = {
    maxEntries = MAX_USER_INFO_ENTRIES,
    maxDepth = MAX_USER_INFO_DEPTH,
    maxBytes = MAX_USER_INFO_BYTES,
    maxStringBytes = MAX_CLAIM_BYTES,
    maxKeyBytes = MAX_CLAIM_KEY_BYTES
}
--- A claim as a string, at most MAX_CLAIM_BYTES: strings as they are, numbers (numeric user
-- ids) as their exact decimal text on every Lua.
local function stringField(user, key)
    local value = user[key]
    if type(value) == "string" then
        return truncateUtf8(value, MAX_CLAIM_BYTES)
    end
    local ____temp_0
    if type(value) == "number" then
        ____temp_0 = numberText(value)
    else
        ____temp_0 = nil
    end
    return ____temp_0
end
local function lengthOf(text)
    return text == nil and 0 or #text + 10
end
--- Copies the seed's three identity fields from a session (text only), and the user context
-- when `includeUserInfo` is on; both bounded (see limits.ts).
function ____exports.identityOf(session, includeUserInfo)
    local user = session and session.jitsi_meet_context_user
    if user == nil or type(user) ~= "table" then
        return nil
    end
    local id = stringField(user, "id")
    local name = stringField(user, "name")
    local email = stringField(user, "email")
    local userInfo = includeUserInfo and boundedCopy(user, USER_INFO_LIMITS) or nil
    return {
        id = id,
        name = name,
        email = email,
        userInfo = userInfo and userInfo.value,
        bytes = lengthOf(id) + lengthOf(name) + lengthOf(email) + (userInfo and userInfo.bytes or 0)
    }
end
--- One identity per session: a session's joins and nick changes share one copy (made again
-- only when the session's user context is replaced). Sessions are weak keys: a closed session
-- is let go.
____exports.IdentityCache = __TS__Class()
local IdentityCache = ____exports.IdentityCache
IdentityCache.name = "IdentityCache"
function IdentityCache.prototype.____constructor(self, includeUserInfo)
    self.includeUserInfo = includeUserInfo
    self.bySession = setmetatable({}, {__mode = "k"})
end
function IdentityCache.prototype.of(self, session)
    if session == nil then
        return nil
    end
    local user = session.jitsi_meet_context_user
    local cached = self.bySession[session]
    if cached ~= nil and cached.user == user then
        return cached.identity
    end
    local identity = ____exports.identityOf(session, self.includeUserInfo)
    self.bySession[session] = {user = user, identity = identity}
    return identity
end
--- An identity kept in storage (the seed's three fields only); undefined when it has none.
function ____exports.storedIdentity(stored)
    local id = type(stored.id) == "string" and stored.id or nil
    local name = type(stored.name) == "string" and stored.name or nil
    local email = type(stored.email) == "string" and stored.email or nil
    if id == nil and name == nil and email == nil then
        return nil
    end
    return {id = id, name = name, email = email, bytes = 0}
end
return ____exports
 end,
["src.attendance"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____limits = require("src.limits")
local MAX_ALL_OCCUPANTS = ____limits.MAX_ALL_OCCUPANTS
local MAX_ALL_OCCUPANTS_BYTES = ____limits.MAX_ALL_OCCUPANTS_BYTES
--- JSON bytes of an entry besides its JID and identity (field names, times, counts).
local ENTRY_OVERHEAD_BYTES = 160
function ____exports.newAttendance()
    return {people = {}, listed = {}, bytes = 0, omitted = 0}
end
--- The bare part of a real JID (`user@host` of `user@host/resource`).
function ____exports.bareJidOf(jid)
    local bare = string.match(jid, "^([^/]*)")
    return bare or jid
end
--- Records a join: a person already listed gets one more session; a new person is listed while
-- the bounds allow, else only counted. Returns their entry, or undefined when not listed.
function ____exports.attend(a, occupantJid, identity, now)
    local bareJid = ____exports.bareJidOf(occupantJid)
    local known = a.people[bareJid]
    local identityBytes = identity and identity.bytes or 0
    if known ~= nil then
        known.sessions = known.sessions + 1
        if known.identity == nil and identity ~= nil and a.bytes + identityBytes <= MAX_ALL_OCCUPANTS_BYTES then
            known.identity = identity
            a.bytes = a.bytes + identityBytes
        end
        return known
    end
    local bytes = #occupantJid + identityBytes + ENTRY_OVERHEAD_BYTES
    if #a.listed >= MAX_ALL_OCCUPANTS or a.bytes + bytes > MAX_ALL_OCCUPANTS_BYTES then
        a.omitted = a.omitted + 1
        return nil
    end
    local person = {occupantJid = occupantJid, joinedAt = now, identity = identity, sessions = 1}
    a.people[bareJid] = person
    local ____a_listed_2 = a.listed
    ____a_listed_2[#____a_listed_2 + 1] = person
    a.bytes = a.bytes + bytes
    return person
end
--- Records that one of their sessions (real full JID `occupantJid`) left at `at`. Jitsi keeps a
-- running speaking total per real full JID, so a rejoin under the same JID replaces that
-- session's figure and a new JID adds to the earlier ones.
function ____exports.recordLeave(person, occupantJid, at, speakerMs)
    person.leftAt = person.leftAt == nil and at or math.max(person.leftAt, at)
    if speakerMs == nil then
        return
    end
    if person.speakerJid ~= nil and person.speakerJid ~= occupantJid then
        person.speakerEarlierMs = (person.speakerEarlierMs or 0) + (person.speakerLatestMs or 0)
    end
    person.speakerJid = occupantJid
    person.speakerLatestMs = speakerMs
end
--- Their total speaking time (ms), undefined when speaker stats are not reported.
function ____exports.speakerTotalMs(person)
    if person.speakerLatestMs == nil then
        return nil
    end
    return (person.speakerEarlierMs or 0) + person.speakerLatestMs
end
return ____exports
 end,
["src.room_upgrade"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____attendance = require("src.attendance")
local attend = ____attendance.attend
local newAttendance = ____attendance.newAttendance
local recordLeave = ____attendance.recordLeave
--- Rebuilds a handed-over room of an older version (a `history` of every join) in today's shape.
function ____exports.upgradeRoom(room)
    local legacy = room
    if legacy.attendance ~= nil then
        return
    end
    local attendance = newAttendance()
    local joins = 0
    for ____, old in ipairs(legacy.history or ({})) do
        do
            local __continue4
            repeat
                if old.occupantJid == nil or old.joinedAt == nil then
                    __continue4 = true
                    break
                end
                joins = joins + 1
                local person = attend(attendance, old.occupantJid, old.identity, old.joinedAt)
                if person ~= nil and old.leftAt ~= nil then
                    recordLeave(person, old.occupantJid, old.leftAt, old.speakerTimeMs)
                end
                old.person = person
                old.seq = joins
                __continue4 = true
            until true
            if not __continue4 then
                break
            end
        end
    end
    legacy.attendance = attendance
    legacy.joins = joins
    legacy.history = nil
end
return ____exports
 end,
["src.jibri_sessions"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArraySplice = ____lualib.__TS__ArraySplice
local __TS__ArrayIncludes = ____lualib.__TS__ArrayIncludes
local __TS__Unpack = ____lualib.__TS__Unpack
local ____exports = {}
local ____json_values = require("src.json_values")
local truncateUtf8 = ____json_values.truncateUtf8
local ____limits = require("src.limits")
local MAX_CLAIM_BYTES = ____limits.MAX_CLAIM_BYTES
--- Jicofo runs one recording session per conference; a few more are tolerated, no more.
local MAX_LIVE = 4
local MAX_ENDED = 8
--- Jicofo's session ids are UUIDs; anything much longer is not one of them.
local MAX_SESSION_ID_BYTES = 128
function ____exports.newJibriMemory()
    return {live = {}, ended = {}}
end
local function modeOf(value)
    return (value == "file" or value == "stream") and value or nil
end
local function bounded(text)
    local ____temp_0
    if text == nil or text == "" then
        ____temp_0 = nil
    else
        ____temp_0 = truncateUtf8(text, MAX_CLAIM_BYTES)
    end
    return ____temp_0
end
local function indexOf(memory, sessionId)
    do
        local i = 0
        while i < #memory.live do
            if memory.live[i + 1].sessionId == sessionId then
                return i
            end
            i = i + 1
        end
    end
    return -1
end
local function remember(memory, sessionId)
    local ____memory_ended_1 = memory.ended
    ____memory_ended_1[#____memory_ended_1 + 1] = sessionId
    if #memory.ended > MAX_ENDED then
        __TS__ArraySplice(memory.ended, 0, #memory.ended - MAX_ENDED)
    end
end
--- The change one status means, if any: `on` of a session not yet on is its start; `off` of a
-- session seen pending or on is its stop (a session that failed before it was on gets only a
-- stop, with its failure_reason). Repeats, unknown statuses, a session whose mode is never
-- given, and an `off` of a session never seen (it may have ended before we looked) say nothing.
function ____exports.noteJibriStatus(memory, fields)
    local sessionId = fields.sessionId
    if sessionId == nil or sessionId == "" or #sessionId > MAX_SESSION_ID_BYTES then
        return nil
    end
    if __TS__ArrayIncludes(memory.ended, sessionId) then
        return nil
    end
    local at = indexOf(memory, sessionId)
    local mode = modeOf(fields.recordingMode)
    if fields.status == "off" then
        if at < 0 then
            return nil
        end
        local session = __TS__Unpack(__TS__ArraySplice(memory.live, at, 1))
        remember(memory, sessionId)
        local known = mode or session.mode
        if known == nil then
            return nil
        end
        return {
            kind = "jibri-stopped",
            sessionId = sessionId,
            mode = known,
            initiator = bounded(fields.initiator),
            failureReason = bounded(fields.failureReason),
            stopReason = "off"
        }
    end
    if fields.status ~= "pending" and fields.status ~= "on" then
        return nil
    end
    local session = at >= 0 and memory.live[at + 1] or nil
    if session == nil then
        if #memory.live >= MAX_LIVE then
            return nil
        end
        session = {sessionId = sessionId, on = false}
        local ____memory_live_2 = memory.live
        ____memory_live_2[#____memory_live_2 + 1] = session
    end
    session.mode = mode or session.mode
    if fields.status == "pending" or session.on or session.mode == nil then
        return nil
    end
    session.on = true
    return {
        kind = "jibri-started",
        sessionId = sessionId,
        mode = session.mode,
        initiator = bounded(fields.initiator)
    }
end
--- Focus left the room (Jicofo stops its sessions with it) or the room is destroyed: every
-- session that is on stops now; pending ones are forgotten (they never started).
function ____exports.endJibriSessions(memory, reason)
    local changes = {}
    for ____, session in ipairs(memory.live) do
        remember(memory, session.sessionId)
        if session.on and session.mode ~= nil then
            changes[#changes + 1] = {kind = "jibri-stopped", sessionId = session.sessionId, mode = session.mode, stopReason = reason}
        end
    end
    __TS__ArraySplice(memory.live, 0, #memory.live)
    return changes
end
return ____exports
 end,
["src.occupant_traits"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____json_values = require("src.json_values")
local truncateUtf8 = ____json_values.truncateUtf8
local ____limits = require("src.limits")
local MAX_CLAIM_BYTES = ____limits.MAX_CLAIM_BYTES
local ROLES = {}
for ____, role in ipairs({"moderator", "participant", "visitor"}) do
    ROLES[role] = true
end
local AFFILIATIONS = {}
for ____, affiliation in ipairs({"owner", "admin", "member", "none"}) do
    AFFILIATIONS[affiliation] = true
end
--- Prosody's `occupant.role` as a payload role; undefined for `none`/nil (not inside) or junk.
function ____exports.roleOf(value)
    return type(value) == "string" and ROLES[value] ~= nil and value or nil
end
--- `room:get_affiliation(jid)` as a payload affiliation: nil is `none`; `outcast` and junk undefined.
function ____exports.affiliationOf(value)
    if value == nil then
        return "none"
    end
    return type(value) == "string" and AFFILIATIONS[value] ~= nil and value or nil
end
--- The resource of an in-room JID (`room@muc/abcd1234` → `abcd1234`); the JID itself without one.
function ____exports.participantIdOf(inRoomJid)
    local resource = string.match(inRoomJid, "^[^/]*/(.*)$")
    return resource or inRoomJid
end
--- A client-sent display name, bounded; undefined when absent or empty.
function ____exports.displayNickOf(text)
    if text == nil or text == "" then
        return nil
    end
    return truncateUtf8(text, MAX_CLAIM_BYTES)
end
return ____exports
 end,
["src.room_state"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- The role and affiliation an occupant record has now.
function ____exports.standingOf(occupant)
    return {role = occupant.role, affiliation = occupant.affiliation}
end
return ____exports
 end,
["src.rooms"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__ArraySort = ____lualib.__TS__ArraySort
local ____exports = {}
local refresh, leave
local ____attendance = require("src.attendance")
local attend = ____attendance.attend
local newAttendance = ____attendance.newAttendance
local recordLeave = ____attendance.recordLeave
local ____room_upgrade = require("src.room_upgrade")
local upgradeRoom = ____room_upgrade.upgradeRoom
local ____room_state = require("src.room_state")
local standingOf = ____room_state.standingOf
function refresh(room, facts)
    if facts.meetingId ~= nil then
        room.meetingId = facts.meetingId
    end
    room.extraPayload = facts.extraPayload
    if facts.persistent ~= nil then
        room.persistent = facts.persistent
    end
    if facts.breakoutName ~= nil then
        room.breakoutName = facts.breakoutName
    end
end
function leave(room, occupant, reason, speakerTime, now)
    room.present[occupant.nick] = nil
    room.presentCount = room.presentCount - 1
    occupant.leftAt = now
    occupant.speakerTimeMs = speakerTime(occupant.occupantJid)
    if occupant.person ~= nil then
        recordLeave(occupant.person, occupant.occupantJid, now, occupant.speakerTimeMs)
    end
    return {
        kind = "occupant-left",
        room = room,
        occupant = occupant,
        activeCount = room.presentCount,
        standing = standingOf(occupant),
        reason = reason
    }
end
____exports.standingOf = standingOf
--- The node part of a room JID (`catchup` of `catchup@conference.example.com`).
function ____exports.roomNameOf(roomJid)
    local node = string.match(roomJid, "^([^@]*)@")
    return node or roomJid
end
--- `disconnect_reason` of those still inside when their room is destroyed.
____exports.ROOM_DESTROYED_REASON = "room_destroyed"
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
    for ____, room in pairs(rooms) do
        upgradeRoom(room)
    end
    self.rooms = rooms
end
function RoomTracker.prototype.roomCreated(self, roomJid, facts, now)
    local events = {}
    self:track(roomJid, facts, now, events)
    return events
end
function RoomTracker.prototype.occupantJoined(self, roomJid, facts, joining, now)
    local events = {}
    local room = self:track(roomJid, facts, now, events)
    local ____joining_0 = joining
    local nick = ____joining_0.nick
    local occupantJid = ____joining_0.occupantJid
    local identity = ____joining_0.identity
    local traits = ____joining_0.traits
    if room.present[nick] ~= nil then
        return events
    end
    room.joins = room.joins + 1
    local person = attend(room.attendance, occupantJid, identity, now)
    local occupant = {
        nick = nick,
        occupantJid = occupantJid,
        joinedAt = now,
        identity = identity,
        traits = traits,
        role = traits and traits.role,
        affiliation = traits and traits.affiliation,
        person = person,
        seq = room.joins
    }
    room.present[nick] = occupant
    room.presentCount = room.presentCount + 1
    events[#events + 1] = {
        kind = "occupant-joined",
        room = room,
        occupant = occupant,
        activeCount = room.presentCount,
        standing = standingOf(occupant)
    }
    return events
end
function RoomTracker.prototype.occupantLeft(self, roomJid, facts, nick, reason, speakerTime, now)
    local room = self.rooms[roomJid]
    local occupant = room and room.present[nick]
    if room == nil or occupant == nil then
        return {}
    end
    refresh(room, facts)
    return {leave(
        room,
        occupant,
        reason,
        speakerTime,
        now
    )}
end
function RoomTracker.prototype.occupant(self, roomJid, nick)
    local ____opt_7 = self.rooms[roomJid]
    return ____opt_7 and ____opt_7.present[nick]
end
function RoomTracker.prototype.room(self, roomJid, facts, now, events)
    return self:track(roomJid, facts, now, events)
end
function RoomTracker.prototype.roomDestroyed(self, roomJid, facts, speakerTime, now, reason)
    if reason == nil then
        reason = ____exports.ROOM_DESTROYED_REASON
    end
    local room = self.rooms[roomJid]
    if room == nil then
        return {}
    end
    refresh(room, facts)
    local events = {}
    local inside = {}
    for ____, occupant in pairs(room.present) do
        inside[#inside + 1] = occupant
    end
    __TS__ArraySort(
        inside,
        function(____, a, b) return a.seq - b.seq end
    )
    for ____, occupant in ipairs(inside) do
        events[#events + 1] = leave(
            room,
            occupant,
            reason,
            speakerTime,
            now
        )
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
    local ____roomJid_11 = roomJid
    local ____exports_roomNameOf_result_12 = ____exports.roomNameOf(roomJid)
    local ____now_13 = now
    local ____temp_14 = {}
    local ____newAttendance_result_15 = newAttendance()
    local ____opt_9 = facts.breakout
    local room = {
        roomJid = ____roomJid_11,
        roomName = ____exports_roomNameOf_result_12,
        createdAt = ____now_13,
        present = ____temp_14,
        presentCount = 0,
        attendance = ____newAttendance_result_15,
        joins = 0,
        lastSequence = 0,
        breakout = ____opt_9 and ____opt_9(),
        meetingId = facts.meetingId,
        breakoutName = facts.breakoutName,
        extraPayload = facts.extraPayload,
        persistent = facts.persistent
    }
    self.rooms[roomJid] = room
    events[#events + 1] = {kind = "room-created", room = room}
    return room
end
return ____exports
 end,
["src.meeting_events"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
return ____exports
 end,
["src.payload_occupants"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____attendance = require("src.attendance")
local speakerTotalMs = ____attendance.speakerTotalMs
--- Every field this module defines, in payloads and occupants: other sources may add fields
-- but never set one of these, even where an event leaves it out (a `left_at` on a join, say).
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
    "breakout_room_name",
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
    "total_dominant_speaker_time",
    "sessions",
    "all_occupants_omitted",
    "disconnect_reason",
    "role",
    "affiliation",
    "nick",
    "participant_id",
    "kind",
    "previous_role",
    "previous_affiliation",
    "actor",
    "jid",
    "session_id",
    "recording_mode",
    "initiator",
    "failure_reason",
    "started_at",
    "stopped_at",
    "stop_reason"
}) do
    RESERVED_FIELDS[field] = true
end
--- util.json's markers: an object with one of these keys is written in util.json's own shape
-- (`"__hash":[…]`), so a field of that name could not reach the API as itself. Left out.
local JSON_MARKERS = {}
JSON_MARKERS.__array = true
JSON_MARKERS.__hash = true
--- Whether other sources may not set `field`: one this module defines, or a util.json marker.
function ____exports.isReservedField(field)
    return RESERVED_FIELDS[field] ~= nil or JSON_MARKERS[field] ~= nil
end
--- Copies the fields of `extra` that are not ours into `target`.
function ____exports.addExtra(target, extra)
    if extra == nil then
        return
    end
    local fields = target
    for key, value in pairs(extra) do
        if not ____exports.isReservedField(key) then
            fields[key] = value
        end
    end
end
local function withIdentity(payload, identity)
    local fields = payload
    fields.name = identity and identity.name
    fields.email = identity and identity.email
    fields.id = identity and identity.id
    ____exports.addExtra(payload, identity and identity.userInfo)
    return payload
end
--- An occupant at one event: `standing` is their role and affiliation then.
function ____exports.occupantPayload(occupant, standing, withLeftAt)
    local traits = occupant.traits
    local ____withIdentity_23 = withIdentity
    local ____occupant_occupantJid_16 = occupant.occupantJid
    local ____occupant_joinedAt_17 = occupant.joinedAt
    local ____withLeftAt_8
    if withLeftAt then
        ____withLeftAt_8 = occupant.leftAt
    else
        ____withLeftAt_8 = nil
    end
    local ____standing_role_18 = standing.role
    local ____standing_affiliation_19 = standing.affiliation
    local ____temp_20 = traits and traits.displayNick
    local ____temp_21 = traits and traits.participantId
    local ____temp_22 = traits and traits.kind
    local ____withLeftAt_15
    if withLeftAt then
        ____withLeftAt_15 = occupant.speakerTimeMs
    else
        ____withLeftAt_15 = nil
    end
    return ____withIdentity_23({
        occupant_jid = ____occupant_occupantJid_16,
        joined_at = ____occupant_joinedAt_17,
        left_at = ____withLeftAt_8,
        role = ____standing_role_18,
        affiliation = ____standing_affiliation_19,
        nick = ____temp_20,
        participant_id = ____temp_21,
        kind = ____temp_22,
        total_dominant_speaker_time = ____withLeftAt_15
    }, occupant.identity)
end
--- One person's `all_occupants` entry: their first join, last leave and all their sessions.
function ____exports.personPayload(person)
    return withIdentity(
        {
            occupant_jid = person.occupantJid,
            joined_at = person.joinedAt,
            left_at = person.leftAt,
            total_dominant_speaker_time = speakerTotalMs(person),
            sessions = person.sessions > 1 and person.sessions or nil
        },
        person.identity
    )
end
--- Someone in a lobby, shaped like an occupant.
function ____exports.visitorPayload(visitor)
    return withIdentity({
        occupant_jid = visitor.occupantJid,
        joined_at = visitor.joinedAt,
        left_at = visitor.leftAt,
        nick = visitor.displayNick,
        participant_id = visitor.participantId
    }, visitor.identity)
end
function ____exports.actorPayload(actor)
    if actor == nil or actor.jid == nil and actor.identity == nil then
        return nil
    end
    local identity = actor.identity
    return {jid = actor.jid, name = identity and identity.name, email = identity and identity.email, id = identity and identity.id}
end
return ____exports
 end,
["src.payloads"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____event_names = require("src.event_names")
local EVENT_NAMES = ____event_names.EVENT_NAMES
local EVENT_PATHS = ____event_names.EVENT_PATHS
local ____payload_occupants = require("src.payload_occupants")
local actorPayload = ____payload_occupants.actorPayload
local addExtra = ____payload_occupants.addExtra
local occupantPayload = ____payload_occupants.occupantPayload
local personPayload = ____payload_occupants.personPayload
local visitorPayload = ____payload_occupants.visitorPayload
____exports.EVENT_NAMES = EVENT_NAMES
____exports.EVENT_PATHS = EVENT_PATHS
--- The event name each tracker event is reported under.
function ____exports.eventNameOf(event)
    repeat
        local ____switch3 = event.kind
        local ____cond3 = ____switch3 == "room-created"
        if ____cond3 then
            return "muc-room-created"
        end
        ____cond3 = ____cond3 or ____switch3 == "occupant-joined"
        if ____cond3 then
            return "muc-occupant-joined"
        end
        ____cond3 = ____cond3 or ____switch3 == "occupant-left"
        if ____cond3 then
            return "muc-occupant-left"
        end
        ____cond3 = ____cond3 or ____switch3 == "room-destroyed"
        if ____cond3 then
            return "muc-room-destroyed"
        end
        ____cond3 = ____cond3 or ____switch3 == "role-changed"
        if ____cond3 then
            return "muc-occupant-role-changed"
        end
        ____cond3 = ____cond3 or ____switch3 == "lobby-joined"
        if ____cond3 then
            return "muc-lobby-joined"
        end
        ____cond3 = ____cond3 or ____switch3 == "lobby-left"
        if ____cond3 then
            return "muc-lobby-left"
        end
        ____cond3 = ____cond3 or ____switch3 == "jibri-started"
        if ____cond3 then
            return event.session.mode == "stream" and "muc-live-stream-started" or "muc-recording-started"
        end
        ____cond3 = ____cond3 or ____switch3 == "jibri-stopped"
        if ____cond3 then
            return event.session.mode == "stream" and "muc-live-stream-stopped" or "muc-recording-stopped"
        end
    until true
end
--- The delivery queue a room's events go into (see BuiltEvent.roomJid).
function ____exports.queueJidOf(room)
    local ____opt_0 = room.breakout
    return ____opt_0 and ____opt_0.mainRoomJid or room.roomJid
end
--- Builds the event name and JSON-ready payload of one room event.
function ____exports.buildPayload(event, meta, asJsonArray)
    local room = event.room
    local breakout = room.breakout
    local ____exports_eventNameOf_result_9 = ____exports.eventNameOf(event)
    local ____meta_eventId_10 = meta.eventId
    local ____meta_timestampMs_11 = meta.timestampMs
    local ____meta_sequence_12 = meta.sequence
    local ____temp_13 = breakout and breakout.mainRoomName or room.roomName
    local ____temp_14 = breakout and breakout.mainRoomJid or room.roomJid
    local ____temp_15 = breakout ~= nil
    local ____temp_16 = breakout and breakout.breakoutRoomId
    local ____temp_8
    if breakout ~= nil then
        ____temp_8 = room.breakoutName
    else
        ____temp_8 = nil
    end
    local payload = {
        event_name = ____exports_eventNameOf_result_9,
        event_id = ____meta_eventId_10,
        event_timestamp_ms = ____meta_timestampMs_11,
        room_sequence = ____meta_sequence_12,
        room_name = ____temp_13,
        room_jid = ____temp_14,
        is_breakout = ____temp_15,
        breakout_room_id = ____temp_16,
        breakout_room_name = ____temp_8,
        meeting_id = room.meetingId
    }
    repeat
        local ____switch6 = event.kind
        local ____cond6 = ____switch6 == "room-created"
        if ____cond6 then
            payload.created_at = room.createdAt
            break
        end
        ____cond6 = ____cond6 or ____switch6 == "occupant-joined"
        if ____cond6 then
            payload.occupant = occupantPayload(event.occupant, event.standing, false)
            payload.active_occupants_count = event.activeCount
            break
        end
        ____cond6 = ____cond6 or ____switch6 == "occupant-left"
        if ____cond6 then
            payload.occupant = occupantPayload(event.occupant, event.standing, true)
            payload.active_occupants_count = event.activeCount
            payload.disconnect_reason = event.reason
            break
        end
        ____cond6 = ____cond6 or ____switch6 == "room-destroyed"
        if ____cond6 then
            do
                local all = {}
                for ____, person in ipairs(room.attendance.listed) do
                    all[#all + 1] = personPayload(person)
                end
                payload.created_at = room.createdAt
                payload.all_occupants_omitted = room.attendance.omitted > 0 and room.attendance.omitted or nil
                payload.destroyed_at = event.destroyedAt
                payload.all_occupants = asJsonArray(all)
                break
            end
        end
        ____cond6 = ____cond6 or ____switch6 == "role-changed"
        if ____cond6 then
            payload.occupant = occupantPayload(event.occupant, event.standing, false)
            payload.previous_role = event.previousRole
            payload.previous_affiliation = event.previousAffiliation
            payload.actor = actorPayload(event.actor)
            break
        end
        ____cond6 = ____cond6 or ____switch6 == "lobby-joined"
        if ____cond6 then
            payload.occupant = visitorPayload(event.visitor)
            break
        end
        ____cond6 = ____cond6 or ____switch6 == "lobby-left"
        if ____cond6 then
            payload.occupant = visitorPayload(event.visitor)
            payload.disconnect_reason = event.reason
            break
        end
        ____cond6 = ____cond6 or (____switch6 == "jibri-started" or ____switch6 == "jibri-stopped")
        if ____cond6 then
            payload.session_id = event.session.sessionId
            payload.recording_mode = event.session.mode
            payload.initiator = actorPayload(event.session.initiator)
            payload.failure_reason = event.session.failureReason
            payload.stop_reason = event.session.stopReason
            break
        end
    until true
    addExtra(payload, room.extraPayload)
    return {
        roomJid = ____exports.queueJidOf(room),
        payload = payload
    }
end
return ____exports
 end,
["src.delivery.types"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
return ____exports
 end,
["src.delivery.outbox_records"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayFilter = ____lualib.__TS__ArrayFilter
local ____exports = {}
local ____json_text = require("src.json_text")
local beginText = ____json_text.beginText
local endText = ____json_text.endText
local put = ____json_text.put
local putNumberField = ____json_text.putNumberField
local putPlainStringField = ____json_text.putPlainStringField
local putStringField = ____json_text.putStringField
local ____payloads = require("src.payloads")
local EVENT_NAMES = ____payloads.EVENT_NAMES
____exports.OUTBOX_FORMAT = 2
local KNOWN_EVENTS = {}
for ____, name in ipairs(EVENT_NAMES) do
    KNOWN_EVENTS[name] = true
end
function ____exports.storedDelivery(delivery)
    return {
        event_name = delivery.eventName,
        event_id = delivery.eventId,
        created_at_ms = delivery.createdAtMs,
        room_jid = delivery.roomJid,
        path = delivery.path,
        body = delivery.body,
        attempts = delivery.attempts
    }
end
--- A delivery's entry in `deliveries_json`: the fields of StoredDelivery, as one JSON object.
local function putDelivery(delivery)
    putPlainStringField("{\"event_name\":\"", delivery.eventName)
    putStringField(",\"event_id\":\"", delivery.eventId)
    putNumberField(",\"created_at_ms\":", delivery.createdAtMs)
    putStringField(",\"room_jid\":\"", delivery.roomJid)
    putStringField(",\"path\":\"", delivery.path)
    putStringField(",\"body\":\"", delivery.body)
    putNumberField(",\"attempts\":", delivery.attempts)
    put("}")
end
--- The record of a batch: its live deliveries, then the items this version could not read (kept
-- as they were, through `encode`), as one JSON text written in one piece (json_text.ts).
function ____exports.batchRecord(live, foreign, encode)
    local foreignTexts = {}
    for ____, item in ipairs(foreign) do
        foreignTexts[#foreignTexts + 1] = encode(item)
    end
    beginText(true)
    put("[")
    local first = true
    for ____, delivery in ipairs(live) do
        if not first then
            put(",")
        end
        putDelivery(delivery)
        first = false
    end
    for ____, text in ipairs(foreignTexts) do
        if not first then
            put(",")
        end
        put(text)
        first = false
    end
    put("]")
    return {
        format = ____exports.OUTBOX_FORMAT,
        deliveries_json = endText()
    }
end
--- The items a stored batch holds (each to be read by deliveryFromStored), or undefined when it is not a format this version reads.
function ____exports.batchItems(record, codec)
    if record == nil then
        return nil
    end
    if record.format == 1 then
        return type(record.deliveries) == "table" and record.deliveries or nil
    end
    if record.format ~= ____exports.OUTBOX_FORMAT or type(record.deliveries_json) ~= "string" then
        return nil
    end
    local ok, list = pcall(codec.decode, record.deliveries_json)
    return ok and type(list) == "table" and list ~= nil and list or nil
end
--- The delivery a stored record describes, or undefined when it is not one this version wrote.
function ____exports.deliveryFromStored(stored)
    if type(stored) ~= "table" or stored == nil then
        return nil
    end
    local s = stored
    if type(s.event_name) ~= "string" or not (KNOWN_EVENTS[s.event_name] ~= nil) or type(s.event_id) ~= "string" or type(s.created_at_ms) ~= "number" or type(s.room_jid) ~= "string" or type(s.path) ~= "string" or type(s.body) ~= "string" then
        return nil
    end
    return {
        eventName = s.event_name,
        eventId = s.event_id,
        createdAtMs = s.created_at_ms,
        roomJid = s.room_jid,
        path = s.path,
        body = s.body,
        attempts = type(s.attempts) == "number" and s.attempts or 0
    }
end
--- The outbox's batch records in storage, oldest first, except those of `own` (this instance's),
-- all read before anything is taken over: a read that fails leaves everything for a retry.
-- `others` counts the records whose keys are not batch keys (not written by an outbox).
function ____exports.readBatches(store, own)
    local listed = store:keys()
    if listed.error ~= nil then
        return {error = listed.error}
    end
    local batchKeys = __TS__ArrayFilter(
        listed.keys,
        function(____, key) return (string.find(key, "^%d+%-%d+$")) ~= nil end
    )
    local keys = __TS__ArrayFilter(
        batchKeys,
        function(____, key) return not (own[key] ~= nil) end
    )
    table.sort(keys)
    local records = {}
    for ____, key in ipairs(keys) do
        local read = store:get(key)
        if read.error ~= nil then
            return {error = read.error}
        end
        records[#records + 1] = {key, read.record}
    end
    return {records = records, others = #listed.keys - #batchKeys}
end
return ____exports
 end,
["src.delivery.dead_letters"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local __TS__ArrayFilter = ____lualib.__TS__ArrayFilter
local ____exports = {}
local written, letterOf
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
local ____outbox_records = require("src.delivery.outbox_records")
local deliveryFromStored = ____outbox_records.deliveryFromStored
local storedDelivery = ____outbox_records.storedDelivery
function written(entry)
    local onWritten = entry.onWritten
    entry.onWritten = nil
    if onWritten ~= nil then
        onWritten()
    end
end
function letterOf(key, record)
    if type(record) ~= "table" or record.format ~= ____exports.DEAD_LETTER_FORMAT then
        return nil
    end
    local delivery = deliveryFromStored(record.delivery)
    if delivery == nil then
        return nil
    end
    return {
        key = key,
        delivery = delivery,
        status = record.status,
        error = tostring(record.error),
        attempts = record.attempts,
        deadAtMs = record.dead_at_ms
    }
end
____exports.DEAD_LETTER_FORMAT = 1
local function pad(n, width)
    return string.format(
        ("%0" .. tostring(width)) .. "d",
        n
    )
end
____exports.DeadLetters = __TS__Class()
local DeadLetters = ____exports.DeadLetters
DeadLetters.name = "DeadLetters"
function DeadLetters.prototype.____constructor(self, store, max, log, metrics)
    self.store = store
    self.max = max
    self.log = log
    self.metrics = metrics
    self.order = __TS__New(Fifo)
    self.byKey = {}
    self.queued = {}
    self.removals = {}
    self.live = 0
    self.droppedInBurst = 0
    self.added = 0
end
function DeadLetters.prototype.load(self)
    local listed = self.store:keys()
    if listed.error ~= nil then
        return listed.error
    end
    local keys = __TS__ArrayFilter(
        listed.keys,
        function(____, key) return (string.find(key, "^%d+%-%d+%-")) ~= nil end
    )
    table.sort(keys)
    for ____, key in ipairs(keys) do
        self:track(key)
    end
    self.metrics:count(self.live)
    return nil
end
function DeadLetters.prototype.count(self)
    return self.live
end
function DeadLetters.prototype.add(self, delivery, ____error, status, nowMs, onWritten)
    self.added = self.added + 1
    local entry = self:track((((pad(nowMs, 15) .. "-") .. pad(self.added, 9)) .. "-") .. delivery.eventId)
    entry.onWritten = onWritten
    local record = {
        format = ____exports.DEAD_LETTER_FORMAT,
        delivery = storedDelivery(delivery),
        status = status,
        error = ____error,
        attempts = delivery.attempts,
        dead_at_ms = nowMs
    }
    self.queued[entry] = record
    self:trim()
    self.metrics:count(self.live)
end
function DeadLetters.prototype.flush(self)
    local firstError
    for entry, record in pairs(self.queued) do
        local ____error = self.store:set(entry.key, record)
        if ____error ~= nil then
            if firstError == nil then
                firstError = "dead letters: " .. ____error
            end
        else
            self.queued[entry] = nil
            written(entry)
        end
    end
    self.removals = __TS__ArrayFilter(
        self.removals,
        function(____, key)
            local ____error = self.store:set(key, nil)
            if ____error ~= nil then
                if firstError == nil then
                    firstError = "dead letters: " .. ____error
                end
            end
            return ____error ~= nil
        end
    )
    return firstError
end
function DeadLetters.prototype.list(self, selector, limit)
    if limit == nil then
        limit = math.huge
    end
    local letters = {}
    local suffix = selector.kind == "event" and "-" .. selector.eventId or nil
    local seen = 0
    for ____, entry in ipairs(self.order:toArray()) do
        do
            local __continue18
            repeat
                if entry.gone == true then
                    __continue18 = true
                    break
                end
                seen = seen + 1
                if suffix ~= nil and string.sub(entry.key, -#suffix) ~= suffix then
                    __continue18 = true
                    break
                end
                if #letters >= limit then
                    if selector.kind == "all" then
                        return {letters = letters, more = self.live - seen + 1}
                    end
                    __continue18 = true
                    break
                end
                local queued = self.queued[entry]
                local read = queued ~= nil and ({record = queued}) or self.store:get(entry.key)
                if read.error ~= nil then
                    return {letters = letters, more = 0, error = read.error}
                end
                local ____temp_0
                if read.record == nil then
                    ____temp_0 = nil
                else
                    ____temp_0 = letterOf(entry.key, read.record)
                end
                local letter = ____temp_0
                if letter ~= nil and (selector.kind ~= "room" or letter.delivery.roomJid == selector.roomJid) then
                    letters[#letters + 1] = letter
                end
                __continue18 = true
            until true
            if not __continue18 then
                break
            end
        end
    end
    return {letters = letters, more = 0}
end
function DeadLetters.prototype.remove(self, keys)
    local removed = 0
    local firstError
    for ____, key in ipairs(keys) do
        do
            local __continue27
            repeat
                local entry = self.byKey[key]
                if entry == nil or entry.gone == true then
                    __continue27 = true
                    break
                end
                local ____table_queued_has_result_1
                if self.queued[entry] ~= nil then
                    ____table_queued_has_result_1 = nil
                else
                    ____table_queued_has_result_1 = self.store:set(key, nil)
                end
                local ____error = ____table_queued_has_result_1
                if ____error ~= nil then
                    if firstError == nil then
                        firstError = ____error
                    end
                    __continue27 = true
                    break
                end
                self.queued[entry] = nil
                written(entry)
                self:forget(entry)
                removed = removed + 1
                __continue27 = true
            until true
            if not __continue27 then
                break
            end
        end
    end
    self.metrics:count(self.live)
    return {removed = removed, error = firstError}
end
function DeadLetters.prototype.track(self, key)
    local entry = {key = key}
    self.order:push(entry)
    self.byKey[key] = entry
    self.live = self.live + 1
    return entry
end
function DeadLetters.prototype.forget(self, entry)
    entry.gone = true
    self.byKey[entry.key] = nil
    self.live = self.live - 1
end
function DeadLetters.prototype.trim(self)
    while self.live > self.max do
        do
            local __continue34
            repeat
                local oldest = self.order:shift()
                if oldest == nil then
                    return
                end
                if oldest.gone == true then
                    __continue34 = true
                    break
                end
                if self.queued[oldest] ~= nil then
                    self.queued[oldest] = nil
                else
                    local ____self_removals_2 = self.removals
                    ____self_removals_2[#____self_removals_2 + 1] = oldest.key
                end
                written(oldest)
                self:forget(oldest)
                if self.droppedInBurst == 0 then
                    self.log("warn", "More than %d dead letters (api_dead_letter_max): dropping the oldest, starting with %s", self.max, oldest.key)
                end
                self.droppedInBurst = self.droppedInBurst + 1
                self.metrics:overflow()
                __continue34 = true
            until true
            if not __continue34 then
                break
            end
        end
    end
    if self.live < self.max then
        self.droppedInBurst = 0
    end
end
return ____exports
 end,
["src.admin_commands"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__ArrayMap = ____lualib.__TS__ArrayMap
local __TS__ArrayEvery = ____lualib.__TS__ArrayEvery
local ____exports = {}
--- At most this many dead letters are listed (the rest are counted).
____exports.LIST_LIMIT = 50
--- Rooms shown in the status overview, those with the most undelivered events first.
local STATUS_ROOMS = 10
function ____exports.isoTime(ms)
    return os.date(
        "!%Y-%m-%dT%H:%M:%SZ",
        math.floor(ms / 1000)
    )
end
--- `all`, an event id, or a room JID (anything with an `@`).
local function selectorOf(text)
    if text == "all" then
        return {kind = "all"}
    end
    if (string.find(text, "@", 1, true)) ~= nil then
        return {kind = "room", roomJid = text}
    end
    return {kind = "event", eventId = text}
end
local function describeLetter(letter)
    return (((((((((____exports.isoTime(letter.deadAtMs) .. "  ") .. letter.delivery.eventId) .. "  ") .. letter.delivery.eventName) .. "  ") .. letter.delivery.roomJid) .. "  attempts ") .. tostring(letter.attempts)) .. ": ") .. letter.error
end
local noOutbox = {ok = false, error = "there are no dead letters with api_outbox = false"}
____exports.AdminCommands = __TS__Class()
local AdminCommands = ____exports.AdminCommands
AdminCommands.name = "AdminCommands"
function AdminCommands.prototype.____constructor(self, sources)
    self.sources = sources
end
function AdminCommands.prototype.status(self)
    local ____self_sources_0 = self.sources
    local host = ____self_sources_0.host
    local api = ____self_sources_0.api
    local dispatcher = ____self_sources_0.dispatcher
    local durable = ____self_sources_0.durable
    local connections = ____self_sources_0.connections
    local backlog = dispatcher:backlog()
    table.sort(
        backlog,
        function(a, b) return a.undelivered > b.undelivered end
    )
    local onWire = 0
    for ____, room in ipairs(backlog) do
        onWire = onWire + room.onWire
    end
    local lines = {
        (host .. " posting to ") .. api,
        ((((("  undelivered: " .. tostring(dispatcher:undelivered())) .. " in ") .. tostring(#backlog)) .. " rooms (") .. tostring(onWire)) .. " on the wire)",
        durable ~= nil and (("  outbox: " .. tostring(durable.outbox:size())) .. " events; dead letters: ") .. tostring(durable.deadLetters:count()) or "  outbox: off (api_outbox = false): undelivered events are in memory only"
    }
    if connections ~= nil then
        lines[#lines + 1] = "  connections: " .. connections()
    end
    do
        local i = 0
        while i < #backlog and i < STATUS_ROOMS do
            local room = backlog[i + 1]
            lines[#lines + 1] = ((((("    " .. room.roomJid) .. ": ") .. tostring(room.undelivered)) .. " undelivered, ") .. tostring(room.onWire)) .. " on the wire"
            i = i + 1
        end
    end
    if #backlog > STATUS_ROOMS then
        lines[#lines + 1] = ("    … and " .. tostring(#backlog - STATUS_ROOMS)) .. " more rooms"
    end
    local failure = dispatcher:latestFailure()
    lines[#lines + 1] = failure == nil and "  last failure: none" or (((((("  last failure: " .. ____exports.isoTime(failure.atMs)) .. " ") .. failure.eventName) .. " for ") .. failure.roomJid) .. ": ") .. failure.reason
    return lines
end
function AdminCommands.prototype.deadLetters(self, selector)
    if selector == nil then
        selector = "all"
    end
    local durable = self.sources.durable
    if durable == nil then
        return noOutbox
    end
    local listed = durable.deadLetters:list(
        selectorOf(selector),
        ____exports.LIST_LIMIT
    )
    if listed.error ~= nil then
        return {ok = false, error = "cannot read the dead letters: " .. listed.error}
    end
    local lines = __TS__ArrayMap(
        listed.letters,
        function(____, letter) return describeLetter(letter) end
    )
    if listed.more > 0 then
        lines[#lines + 1] = ("… and " .. tostring(listed.more)) .. " more"
    end
    return {
        ok = true,
        lines = lines,
        summary = tostring(#listed.letters + listed.more) .. " dead letters"
    }
end
function AdminCommands.prototype.replay(self, selector)
    local durable = self.sources.durable
    if durable == nil then
        return noOutbox
    end
    local listed = durable.deadLetters:list(selectorOf(selector))
    if listed.error ~= nil then
        return {ok = false, error = "cannot read the dead letters: " .. listed.error}
    end
    for ____, letter in ipairs(listed.letters) do
        letter.delivery.attempts = 0
        self.sources.dispatcher:replay(letter.delivery)
    end
    durable.replayed(#listed.letters)
    durable.flush()
    if not __TS__ArrayEvery(
        listed.letters,
        function(____, letter) return durable.holds(letter.delivery) end
    ) then
        return {
            ok = false,
            error = tostring(#listed.letters) .. " dead letters queued for delivery again, but the outbox could not be written: they stay dead letters too"
        }
    end
    local removal = durable.deadLetters:remove(__TS__ArrayMap(
        listed.letters,
        function(____, letter) return letter.key end
    ))
    if removal.error ~= nil then
        return {
            ok = false,
            error = ((((tostring(#listed.letters) .. " dead letters queued for delivery again; ") .. tostring(#listed.letters - removal.removed)) .. " could not be removed (") .. removal.error) .. ")"
        }
    end
    return {
        ok = true,
        lines = {},
        summary = tostring(#listed.letters) .. " dead letters queued for delivery again"
    }
end
function AdminCommands.prototype.discard(self, selector)
    local durable = self.sources.durable
    if durable == nil then
        return noOutbox
    end
    local listed = durable.deadLetters:list(selectorOf(selector))
    if listed.error ~= nil then
        return {ok = false, error = "cannot read the dead letters: " .. listed.error}
    end
    local removal = durable.deadLetters:remove(__TS__ArrayMap(
        listed.letters,
        function(____, letter) return letter.key end
    ))
    if removal.error ~= nil then
        return {
            ok = false,
            error = ((((tostring(removal.removed) .. " of ") .. tostring(#listed.letters)) .. " dead letters discarded; the rest could not be removed (") .. removal.error) .. ")"
        }
    end
    return {
        ok = true,
        lines = {},
        summary = tostring(removal.removed) .. " dead letters discarded"
    }
end
return ____exports
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
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local function splitUrl(url)
    if (string.find(url, "[%c ]")) ~= nil then
        return nil
    end
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
--- Event URLs remembered at most (paths are a handful; a crashed run's records may bring others).
local MAX_EVENT_URLS = 64
--- `eventUrl` for each path, made once: a URL is longer than the strings Lua keeps unique, so each new one is an allocation.
____exports.EventUrls = __TS__Class()
local EventUrls = ____exports.EventUrls
EventUrls.name = "EventUrls"
function EventUrls.prototype.____constructor(self)
    self.urls = {}
    self.count = 0
end
function EventUrls.prototype.of(self, prefix, path)
    local url = self.urls[path]
    if url == nil then
        url = ____exports.eventUrl(prefix, path)
        if self.count < MAX_EVENT_URLS then
            self.urls[path] = url
            self.count = self.count + 1
        end
    end
    return url
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
    local hostHeader = port == defaultPort and hostForHeader or (hostForHeader .. ":") .. tostring(port)
    local ____temp_1 = {
        scheme = scheme,
        host = host,
        port = port,
        hostHeader = hostHeader,
        key = (((scheme .. "://") .. hostForHeader) .. ":") .. tostring(port)
    }
    local ____target_2 = target
    local ____temp_0
    if parts.userinfo == nil then
        ____temp_0 = nil
    else
        ____temp_0 = percentDecode(parts.userinfo)
    end
    return {origin = ____temp_1, target = ____target_2, userinfo = ____temp_0, postHead = ((("POST " .. target) .. " HTTP/1.1\r\nHost: ") .. hostHeader) .. "\r\n"}
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
["src.service_kinds"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- util.lib.lua `RECORDER_PREFIXES` (option `recorder_prefixes`): Jibri's real JIDs.
____exports.DEFAULT_RECORDER_PREFIXES = {"recorder@recorder.", "jibria@recorder.", "jibrib@recorder."}
--- util.lib.lua `TRANSCRIBER_PREFIXES` (option `transcriber_prefixes`): Jigasi transcribers' real JIDs.
____exports.DEFAULT_TRANSCRIBER_PREFIXES = {"transcriber@recorder.", "transcribera@recorder.", "transcriberb@recorder."}
--- util.lib.lua `INBOUND_`/`OUTBOUND_SIP_JIBRI_PREFIXES`: the `<email/>` of a SIP Jibri's presence.
local SIP_JIBRI_EMAIL_PREFIXES = {
    "inbound-sip-jibri@",
    "sipjibriina@",
    "outbound-sip-jibri@",
    "sipjibriouta@",
    "sipjibrioutb@"
}
--- util.lib.lua starts_with_one_of: a plain (not pattern) prefix test.
local function startsWithOneOf(text, prefixes)
    for ____, prefix in ipairs(prefixes) do
        if string.sub(text, 1, #prefix) == prefix then
            return true
        end
    end
    return false
end
--- A real JID of Jitsi's hidden domain (`recorder.<domain>`, where Jibri and Jigasi log in).
local function onHiddenDomain(realJid)
    return (string.find(realJid, "^[^@/]*@recorder%.")) ~= nil
end
--- The kind of an occupant: a transcriber first (a transcribing Jigasi is no phone call), then
-- a SIP call (Jigasi's, or a SIP Jibri's: a phone call, not a recording), then Jibri recording
-- or streaming, else a person.
function ____exports.serviceKindOf(markers, prefixes)
    if startsWithOneOf(markers.realJid, prefixes.transcriber) then
        return "transcriber"
    end
    if markers.transcriberFeature and onHiddenDomain(markers.realJid) then
        return "transcriber"
    end
    if markers.jigasiInitiator then
        return "sip"
    end
    if markers.jibriFeature and markers.email ~= nil and startsWithOneOf(markers.email, SIP_JIBRI_EMAIL_PREFIXES) then
        return "sip"
    end
    if startsWithOneOf(markers.realJid, prefixes.recorder) then
        return "recorder"
    end
    return "participant"
end
--- Kinds `exclude_service_participants` leaves out of the occupant events: machines, not callers.
function ____exports.isLeftOutKind(kind)
    return kind == "recorder" or kind == "transcriber"
end
return ____exports
 end,
["src.service_options"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____option_readers = require("src.option_readers")
local readBoolean = ____option_readers.readBoolean
local readStringList = ____option_readers.readStringList
local ____service_kinds = require("src.service_kinds")
local DEFAULT_RECORDER_PREFIXES = ____service_kinds.DEFAULT_RECORDER_PREFIXES
local DEFAULT_TRANSCRIBER_PREFIXES = ____service_kinds.DEFAULT_TRANSCRIBER_PREFIXES
--- A list of bare JIDs (`user@domain`, no resource).
local function readBareJids(read, name, errors)
    local jids = readStringList(read, name, errors) or ({})
    for ____, jid in ipairs(jids) do
        if (string.find(jid, "^[^@/]+@[^@/]+$")) == nil then
            errors:add(
                name,
                "must list bare JIDs such as \"focus@auth.example.com\", got " .. string.format("%q", jid)
            )
            return {}
        end
    end
    return jids
end
--- Real-JID prefixes; an empty one would match everyone, so it is an error.
local function readPrefixes(read, name, errors)
    local prefixes = readStringList(read, name, errors)
    if prefixes == nil then
        return nil
    end
    for ____, prefix in ipairs(prefixes) do
        if prefix == "" then
            errors:add(name, "has an empty prefix, which every JID starts with")
            return nil
        end
    end
    return prefixes
end
function ____exports.readServiceOptions(read, errors)
    return {
        focusJids = readBareJids(read, "focus_jids", errors),
        excludeServiceParticipants = readBoolean(read, "exclude_service_participants", false, errors),
        prefixes = {
            recorder = readPrefixes(read, "recorder_prefixes", errors) or DEFAULT_RECORDER_PREFIXES,
            transcriber = readPrefixes(read, "transcriber_prefixes", errors) or DEFAULT_TRANSCRIBER_PREFIXES
        }
    }
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
local ____event_names = require("src.event_names")
local DEFAULT_EVENT_NAMES = ____event_names.DEFAULT_EVENT_NAMES
local EVENT_NAMES = ____event_names.EVENT_NAMES
local ____service_options = require("src.service_options")
local readServiceOptions = ____service_options.readServiceOptions
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
--- A Jitsi component's host: the option when set, else `<prefix>.<muc_mapper_domain_base>` when that is.
local function readJitsiComponent(read, name, prefix, errors)
    local explicit = readOptionalString(read, name, errors)
    if explicit ~= nil then
        return explicit
    end
    local domainBase = read("muc_mapper_domain_base")
    return type(domainBase) == "string" and domainBase ~= "" and (prefix .. ".") .. domainBase or nil
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
--- `api_events`: the event names to send; the seed's four by default.
local function readEvents(read, errors)
    local name = "api_events"
    local selected = {}
    local listed = readStringList(read, name, errors)
    if listed == nil then
        for ____, event in ipairs(DEFAULT_EVENT_NAMES) do
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
        breakoutComponent = readJitsiComponent(read, "breakout_component", "breakout", errors),
        lobbyComponent = readJitsiComponent(read, "lobby_component", "lobby", errors),
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
        pipelineDepth = readPipelineDepth(read, keepAlive, errors, warnings),
        services = readServiceOptions(read, errors)
    }
    local lobby = config.lobbyComponent
    if lobby ~= nil and (lobby == mucComponent or lobby == config.breakoutComponent) then
        errors:add("lobby_component", "must name Jitsi's lobby component, not " .. (lobby == mucComponent and "muc_component" or "breakout_component"))
    end
    if #errors.messages > 0 then
        return {ok = false, errors = errors.messages}
    end
    return {ok = true, config = config, warnings = warnings}
end
return ____exports
 end,
["src.journal_meeting"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____identity = require("src.identity")
local storedIdentity = ____identity.storedIdentity
local ____jibri_sessions = require("src.jibri_sessions")
local newJibriMemory = ____jibri_sessions.newJibriMemory
function ____exports.meetingRecordOf(room)
    local jibri
    local ____opt_0 = room.jibri
    for ____, session in ipairs(____opt_0 and ____opt_0.live or ({})) do
        if session.on and session.mode ~= nil then
            if jibri == nil then
                jibri = {}
            end
            jibri[#jibri + 1] = {session_id = session.sessionId, mode = session.mode}
        end
    end
    local lobby
    for lobbyNick, visitor in pairs(room.lobby or ({})) do
        if lobby == nil then
            lobby = {}
        end
        local identity = visitor.identity
        lobby[#lobby + 1] = {
            lobby_nick = lobbyNick,
            occupant_jid = visitor.occupantJid,
            joined_at = visitor.joinedAt,
            participant_id = visitor.participantId,
            nick = visitor.displayNick,
            id = identity and identity.id,
            name = identity and identity.name,
            email = identity and identity.email
        }
    end
    return {jibri = jibri, lobby = lobby}
end
--- Puts a record's sessions and lobby back on a rebuilt room (fields of older records absent).
function ____exports.restoreMeeting(room, record)
    if type(record.jibri) == "table" then
        local memory = newJibriMemory()
        for ____, session in ipairs(record.jibri) do
            local ____memory_live_8 = memory.live
            ____memory_live_8[#____memory_live_8 + 1] = {sessionId = session.session_id, mode = session.mode, on = true}
        end
        room.jibri = memory
    end
    if type(record.lobby) == "table" then
        local lobby = {}
        for ____, stored in ipairs(record.lobby) do
            lobby[stored.lobby_nick] = {
                occupantJid = stored.occupant_jid,
                joinedAt = stored.joined_at,
                participantId = stored.participant_id,
                displayNick = stored.nick,
                identity = storedIdentity(stored)
            }
        end
        room.lobby = lobby
    end
end
return ____exports
 end,
["src.room_records"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ObjectAssign = ____lualib.__TS__ObjectAssign
local __TS__ArrayFilter = ____lualib.__TS__ArrayFilter
local ____exports = {}
local ____attendance = require("src.attendance")
local attend = ____attendance.attend
local newAttendance = ____attendance.newAttendance
local ____identity = require("src.identity")
local storedIdentity = ____identity.storedIdentity
local ____json_text = require("src.json_text")
local beginText = ____json_text.beginText
local endText = ____json_text.endText
local put = ____json_text.put
local putNumberField = ____json_text.putNumberField
local putString = ____json_text.putString
local putStringField = ____json_text.putStringField
local ____journal_meeting = require("src.journal_meeting")
local meetingRecordOf = ____journal_meeting.meetingRecordOf
local restoreMeeting = ____journal_meeting.restoreMeeting
--- 3: the people inside as one JSON text (`occupants_json`), each person's entry made once when
-- they join; 2 (still read): a list of tables (`occupants`), which storage serialized field by
-- field for every person in every write round.
____exports.ROOM_JOURNAL_FORMAT = 3
--- After a crash a room's closing events are numbered from its last written `room_sequence`
-- plus this: events of the last write round before the crash may have been delivered without
-- being written, and a receiver should not see one number twice (it could, if more than this
-- many events of one room were delivered in that last 0.1 s).
____exports.CRASH_SEQUENCE_GAP = 100
function ____exports.journaledOccupant(occupant)
    local ____occupant_nick_6 = occupant.nick
    local ____occupant_occupantJid_7 = occupant.occupantJid
    local ____occupant_joinedAt_8 = occupant.joinedAt
    local ____occupant_seq_9 = occupant.seq
    local ____opt_0 = occupant.identity
    local ____temp_10 = ____opt_0 and ____opt_0.id
    local ____opt_2 = occupant.identity
    local ____temp_11 = ____opt_2 and ____opt_2.name
    local ____opt_4 = occupant.identity
    return {
        nick = ____occupant_nick_6,
        occupant_jid = ____occupant_occupantJid_7,
        joined_at = ____occupant_joinedAt_8,
        seq = ____occupant_seq_9,
        id = ____temp_10,
        name = ____temp_11,
        email = ____opt_4 and ____opt_4.email,
        role = occupant.role,
        affiliation = occupant.affiliation,
        traits = occupant.traits
    }
end
--- `journaledOccupant(occupant)` as JSON text, written directly (json_text.ts): the same fields
-- and values as the encoder would write (spec/payload_text_spec.lua compares them), in a
-- fraction of the instructions and allocations; made once per person (room_journal.ts).
function ____exports.journaledOccupantJson(occupant)
    local identity = occupant.identity
    local traits = occupant.traits
    beginText()
    putStringField("{\"nick\":\"", occupant.nick)
    putStringField(",\"occupant_jid\":\"", occupant.occupantJid)
    putNumberField(",\"joined_at\":", occupant.joinedAt)
    putNumberField(",\"seq\":", occupant.seq)
    if identity ~= nil then
        putStringField(",\"id\":\"", identity.id)
        putStringField(",\"name\":\"", identity.name)
        putStringField(",\"email\":\"", identity.email)
    end
    putStringField(",\"role\":\"", occupant.role)
    putStringField(",\"affiliation\":\"", occupant.affiliation)
    if traits ~= nil then
        put(",\"traits\":{\"participantId\":")
        putString(traits.participantId)
        putStringField(",\"kind\":\"", traits.kind)
        putStringField(",\"role\":\"", traits.role)
        putStringField(",\"affiliation\":\"", traits.affiliation)
        putStringField(",\"displayNick\":\"", traits.displayNick)
        put("}")
    end
    put("}")
    return endText()
end
--- The people inside as one JSON list of their entries' texts (format 3's `occupants_json`).
function ____exports.occupantsJsonOf(entries)
    beginText()
    put("[")
    do
        local i = 0
        while i < #entries do
            if i > 0 then
                put(",")
            end
            put(entries[i + 1])
            i = i + 1
        end
    end
    put("]")
    return endText()
end
function ____exports.roomRecord(room, occupantsJson)
    return __TS__ObjectAssign(
        {
            format = ____exports.ROOM_JOURNAL_FORMAT,
            room_jid = room.roomJid,
            room_name = room.roomName,
            created_at = room.createdAt,
            sequence = room.lastSequence,
            persistent = room.persistent == true,
            meeting_id = room.meetingId,
            breakout = room.breakout,
            breakout_name = room.breakoutName,
            occupants_json = occupantsJson
        },
        meetingRecordOf(room)
    )
end
local function textOrNothing(value)
    return type(value) == "string" and value or nil
end
--- Traits read back from a record: only text fields (a damaged record must not put a number where a payload has text).
local function storedTraits(value)
    if type(value) ~= "table" or value == nil then
        return nil
    end
    local traits = value
    local participantId = textOrNothing(traits.participantId)
    local kind = textOrNothing(traits.kind)
    if participantId == nil or kind == nil then
        return nil
    end
    return {
        role = textOrNothing(traits.role),
        affiliation = textOrNothing(traits.affiliation),
        displayNick = textOrNothing(traits.displayNick),
        participantId = participantId,
        kind = kind
    }
end
function ____exports.rebuildRoom(record, occupants)
    local room = {
        roomJid = record.room_jid,
        roomName = record.room_name,
        createdAt = record.created_at,
        present = {},
        presentCount = 0,
        attendance = newAttendance(),
        joins = 0,
        lastSequence = record.sequence + ____exports.CRASH_SEQUENCE_GAP,
        breakout = record.breakout,
        breakoutName = record.breakout_name,
        meetingId = record.meeting_id,
        persistent = record.persistent == true
    }
    restoreMeeting(room, record)
    local inside = __TS__ArrayFilter(
        occupants,
        function(____, stored) return type(stored) == "table" and type(stored.nick) == "string" and type(stored.occupant_jid) == "string" and type(stored.joined_at) == "number" end
    )
    table.sort(
        inside,
        function(a, b) return (a.seq or 0) < (b.seq or 0) end
    )
    for ____, stored in ipairs(inside) do
        local identity = storedIdentity(stored)
        room.joins = room.joins + 1
        local person = attend(room.attendance, stored.occupant_jid, identity, stored.joined_at)
        room.present[stored.nick] = {
            nick = stored.nick,
            occupantJid = stored.occupant_jid,
            joinedAt = stored.joined_at,
            identity = identity,
            traits = storedTraits(stored.traits),
            role = textOrNothing(stored.role),
            affiliation = textOrNothing(stored.affiliation),
            person = person,
            seq = room.joins
        }
        room.presentCount = room.presentCount + 1
    end
    return room
end
--- The rooms as a table the tracker can adopt.
function ____exports.roomTableOf(rooms)
    local ____table = {}
    for ____, open in ipairs(rooms) do
        ____table[open.room.roomJid] = open.room
    end
    return ____table
end
return ____exports
 end,
["src.room_journal"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
local ____room_records = require("src.room_records")
local journaledOccupantJson = ____room_records.journaledOccupantJson
local occupantsJsonOf = ____room_records.occupantsJsonOf
local rebuildRoom = ____room_records.rebuildRoom
local ROOM_JOURNAL_FORMAT = ____room_records.ROOM_JOURNAL_FORMAT
local roomRecord = ____room_records.roomRecord
do
    local ____room_records = require("src.room_records")
    ____exports.CRASH_SEQUENCE_GAP = ____room_records.CRASH_SEQUENCE_GAP
    ____exports.ROOM_JOURNAL_FORMAT = ____room_records.ROOM_JOURNAL_FORMAT
    ____exports.roomTableOf = ____room_records.roomTableOf
end
--- The storage key of a room's record: two 31-bit polynomial hashes of the JID (collisions are
-- out of reach for any number of rooms a server has) and the first letters of its name for a
-- person reading the data directory. Short whatever the JID: the `internal` backend makes each
-- key a file name, and a long or non-ASCII room name would exceed what a file system allows.
function ____exports.roomKeyOf(roomJid)
    local h1 = 7
    local h2 = 11
    do
        local i = 1
        while i <= #roomJid do
            local byte = string.byte(roomJid, i)
            h1 = (h1 * 31 + byte) % 2147483647
            h2 = (h2 * 131 + byte) % 2147483629
            i = i + 1
        end
    end
    local readable = string.gsub(
        string.sub(roomJid, 1, 24),
        "[^%w]",
        ""
    )
    return string.format(
        "room %d-%d-%d %s",
        #roomJid,
        h1,
        h2,
        readable
    )
end
--- Room keys remembered at most; past it the memory starts afresh.
local MAX_CACHED_KEYS = 1000
____exports.RoomJournal = __TS__Class()
local RoomJournal = ____exports.RoomJournal
RoomJournal.name = "RoomJournal"
function RoomJournal.prototype.____constructor(self, store, codec)
    self.store = store
    self.codec = codec
    self.changes = {}
    self.written = {}
    self.keys = {}
    self.keyCount = 0
    self.entries = {}
    self.holding = false
    setmetatable(self.entries, {__mode = "k"})
end
function RoomJournal.prototype.keyOf(self, roomJid)
    local key = self.keys[roomJid]
    if key == nil then
        key = ____exports.roomKeyOf(roomJid)
        if self.keyCount >= MAX_CACHED_KEYS then
            self.keys = {}
            self.keyCount = 0
        end
        self.keys[roomJid] = key
        self.keyCount = self.keyCount + 1
    end
    return key
end
function RoomJournal.prototype.observe(self, events)
    for ____, event in ipairs(events) do
        local key = self:keyOf(event.room.roomJid)
        if event.kind ~= "room-destroyed" then
            self.changes[key] = event.room
        elseif self.written[key] ~= nil then
            self.changes[key] = false
        else
            self.changes[key] = nil
        end
    end
end
function RoomJournal.prototype.flush(self)
    if self.holding then
        return nil
    end
    local firstError
    for key, room in pairs(self.changes) do
        do
            local __continue17
            repeat
                local ____self_2 = self.store
                local ____self_2_set_3 = ____self_2.set
                local ____key_1 = key
                local ____temp_0
                if room == false then
                    ____temp_0 = nil
                else
                    ____temp_0 = roomRecord(
                        room,
                        self:occupantsJson(room)
                    )
                end
                local ____error = ____self_2_set_3(____self_2, ____key_1, ____temp_0)
                if ____error ~= nil then
                    if firstError == nil then
                        firstError = ____error
                    end
                    __continue17 = true
                    break
                end
                self.changes[key] = nil
                if room == false then
                    self.written[key] = nil
                else
                    self.written[key] = true
                end
                __continue17 = true
            until true
            if not __continue17 then
                break
            end
        end
    end
    return firstError
end
function RoomJournal.prototype.handedOver(self, rooms)
    for roomJid in pairs(rooms) do
        self.written[____exports.roomKeyOf(roomJid)] = true
    end
end
function RoomJournal.prototype.keep(self, room)
    self.changes[____exports.roomKeyOf(room.roomJid)] = room
end
function RoomJournal.prototype.pending(self)
    return (next(self.changes)) ~= nil
end
function RoomJournal.prototype.forget(self, rooms)
    for roomJid in pairs(rooms) do
        local key = ____exports.roomKeyOf(roomJid)
        if self.written[key] ~= nil then
            self.changes[key] = false
        else
            self.changes[key] = nil
        end
    end
end
function RoomJournal.prototype.occupantsJson(self, room)
    local texts = {}
    for ____, occupant in pairs(room.present) do
        local entry = self.entries[occupant]
        if entry == nil or entry.role ~= occupant.role or entry.affiliation ~= occupant.affiliation then
            entry = {
                text = journaledOccupantJson(occupant),
                role = occupant.role,
                affiliation = occupant.affiliation
            }
            self.entries[occupant] = entry
        end
        texts[#texts + 1] = entry.text
    end
    return occupantsJsonOf(texts)
end
function RoomJournal.prototype.occupantsOf(self, record)
    if record.format == 2 then
        return type(record.occupants) == "table" and record.occupants or nil
    end
    if record.format ~= ROOM_JOURNAL_FORMAT or type(record.occupants_json) ~= "string" then
        return nil
    end
    local ok, list = pcall(self.codec.decode, record.occupants_json)
    return ok and type(list) == "table" and list ~= nil and list or nil
end
function RoomJournal.prototype.openRooms(self)
    local listed = self.store:keys()
    if listed.error ~= nil then
        return {rooms = {}, skipped = 0, error = listed.error}
    end
    local rooms = {}
    local skipped = 0
    for ____, key in ipairs(listed.keys) do
        do
            local __continue37
            repeat
                local read = self.store:get(key)
                if read.error ~= nil then
                    return {rooms = {}, skipped = 0, error = read.error}
                end
                local record = read.record
                local ____temp_4
                if record == nil then
                    ____temp_4 = nil
                else
                    ____temp_4 = self:occupantsOf(record)
                end
                local occupants = ____temp_4
                if record == nil or occupants == nil then
                    skipped = skipped + 1
                    __continue37 = true
                    break
                end
                self.written[key] = true
                rooms[#rooms + 1] = {
                    room = rebuildRoom(record, occupants),
                    persistent = record.persistent == true
                }
                __continue37 = true
            until true
            if not __continue37 then
                break
            end
        end
    end
    return {rooms = rooms, skipped = skipped}
end
return ____exports
 end,
["src.crash_recovery"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ObjectAssign = ____lualib.__TS__ObjectAssign
local __TS__New = ____lualib.__TS__New
local __TS__Unpack = ____lualib.__TS__Unpack
local __TS__ArraySort = ____lualib.__TS__ArraySort
local ____exports = {}
local ____room_journal = require("src.room_journal")
local roomTableOf = ____room_journal.roomTableOf
local ____jibri_sessions = require("src.jibri_sessions")
local endJibriSessions = ____jibri_sessions.endJibriSessions
local ____rooms = require("src.rooms")
local RoomTracker = ____rooms.RoomTracker
____exports.CRASH_REASON = "server_crash"
local function noSpeakerTime()
    return nil
end
--- The Jibri sessions that were on and the people waiting in the lobby, closed before the
-- room's lefts: `stop_reason` and `disconnect_reason` `server_crash`.
local function meetingEnds(room, now)
    local events = {}
    if room.jibri ~= nil then
        for ____, ____value in ipairs(endJibriSessions(room.jibri, ____exports.CRASH_REASON)) do
            local kind = ____value.kind
            local sessionId = ____value.sessionId
            local mode = ____value.mode
            local stopReason = ____value.stopReason
            events[#events + 1] = {kind = kind, room = room, session = {sessionId = sessionId, mode = mode, stopReason = stopReason}}
        end
    end
    if room.lobby ~= nil then
        local waiting = {}
        for nick, visitor in pairs(room.lobby) do
            waiting[#waiting + 1] = {nick, visitor}
        end
        table.sort(
            waiting,
            function(a, b) return a[2].joinedAt < b[2].joinedAt or a[2].joinedAt == b[2].joinedAt and a[1] < b[1] end
        )
        for ____, ____value in ipairs(waiting) do
            local visitor = ____value[2]
            events[#events + 1] = {
                kind = "lobby-left",
                room = room,
                visitor = __TS__ObjectAssign({}, visitor, {leftAt = now}),
                reason = ____exports.CRASH_REASON
            }
        end
        room.lobby = nil
    end
    return events
end
function ____exports.closingEvents(tracker, open, now)
    local crashed = __TS__New(RoomTracker)
    crashed:adopt(roomTableOf(open))
    local live = tracker:table()
    for ____, ____value in ipairs(open) do
        local room = ____value.room
        local persistent = ____value.persistent
        if persistent and not (live[room.roomJid] ~= nil) then
            live[room.roomJid] = room
        end
    end
    local events = {}
    local ordered = {__TS__Unpack(open)}
    table.sort(
        ordered,
        function(a, b) return a.room.roomJid < b.room.roomJid end
    )
    for ____, ____value in ipairs(ordered) do
        local room = ____value.room
        local persistent = ____value.persistent
        local closing
        if persistent then
            closing = {}
            local inside = {}
            for ____, occupant in pairs(room.present) do
                inside[#inside + 1] = occupant
            end
            __TS__ArraySort(
                inside,
                function(____, a, b) return a.seq - b.seq end
            )
            for ____, occupant in ipairs(inside) do
                for ____, left in ipairs(crashed:occupantLeft(
                    room.roomJid,
                    {},
                    occupant.nick,
                    ____exports.CRASH_REASON,
                    noSpeakerTime,
                    now
                )) do
                    closing[#closing + 1] = left
                end
            end
        else
            closing = crashed:roomDestroyed(
                room.roomJid,
                {},
                noSpeakerTime,
                now,
                ____exports.CRASH_REASON
            )
        end
        for ____, event in ipairs(meetingEnds(room, now)) do
            events[#events + 1] = event
        end
        for ____, event in ipairs(closing) do
            events[#events + 1] = event
        end
    end
    return events
end
return ____exports
 end,
["src.durability_config"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____option_readers = require("src.option_readers")
local OptionErrors = ____option_readers.OptionErrors
local readBoolean = ____option_readers.readBoolean
local readNumber = ____option_readers.readNumber
local readOptionalString = ____option_readers.readOptionalString
____exports.DEFAULT_OUTBOX_STORE = "event_sync_outbox"
____exports.DEFAULT_SHUTDOWN_TIMEOUT = 5
____exports.DEFAULT_DEAD_LETTER_MAX = 10000
--- Seconds between outbox writes: what a crash can lose, and what batches a burst into one write.
____exports.OUTBOX_FLUSH_INTERVAL = 0.1
function ____exports.readDurabilityConfig(read)
    local errors = __TS__New(OptionErrors)
    local storeName = readOptionalString(read, "api_outbox_store", errors) or ____exports.DEFAULT_OUTBOX_STORE
    if (string.find(storeName, "^[%w_]+$")) == nil then
        errors:add(
            "api_outbox_store",
            "must be letters, digits and '_' only (a storage name), got " .. string.format("%q", storeName)
        )
    end
    local config = {
        outbox = readBoolean(read, "api_outbox", true, errors),
        storeName = storeName,
        shutdownTimeout = readNumber(
            read,
            "api_shutdown_timeout",
            ____exports.DEFAULT_SHUTDOWN_TIMEOUT,
            errors,
            "seconds"
        ),
        deadLetterMax = readNumber(
            read,
            "api_dead_letter_max",
            ____exports.DEFAULT_DEAD_LETTER_MAX,
            errors,
            "count"
        )
    }
    return {config = config, errors = errors.messages}
end
return ____exports
 end,
["src.event_ids"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Ids' worth of random bytes read at once.
local IDS_PER_READ = 16
function ____exports.createIdSource(randomBytes)
    local bytes = ""
    local at = 1
    return function()
        if at + 15 > #bytes then
            bytes = randomBytes(16 * IDS_PER_READ)
            at = 1
        end
        local b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12, b13, b14, b15, b16 = string.byte(bytes, at, at + 15)
        at = at + 16
        return string.format(
            "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
            b1,
            b2,
            b3,
            b4,
            b5,
            b6,
            b7 % 16 + 64,
            b8,
            b9 % 64 + 128,
            b10,
            b11,
            b12,
            b13,
            b14,
            b15,
            b16
        )
    end
end
return ____exports
 end,
["src.exclusions"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Rooms and occupants that are infrastructure, not people: Jicofo's health-check rooms and
-- Jicofo's own focus occupant. Reporting them would flood receivers with noise, and
-- operators of the Lua event_sync expect them to be skipped.
local HEALTH_CHECK_ROOM_PREFIX = "__jicofo-health-check"
--- Jicofo's default account (`focus@auth.<domain>`) and MUC nick (`jicofo.xmpp.client.username`).
local FOCUS_NODE = "focus"
--- True for Jicofo's health-check rooms (`__jicofo-health-check-<uuid>@conference...`).
function ____exports.isHealthCheckRoom(roomJid)
    return string.sub(roomJid, 1, #HEALTH_CHECK_ROOM_PREFIX) == HEALTH_CHECK_ROOM_PREFIX
end
--- A rule from lists of bare JIDs (lower-cased: JID nodes and domains ignore case).
function ____exports.focusRule(focusJids, admins)
    local rule = {jids = {}, admins = {}}
    for ____, jid in ipairs(focusJids) do
        rule.jids[string.lower(jid)] = true
    end
    for ____, jid in ipairs(admins) do
        rule.admins[string.lower(jid)] = true
    end
    return rule
end
--- True for Jicofo's focus occupant: a real JID `focus@…` (Jicofo's default account), a bare
-- JID listed in `focus_jids`, or an admin account in the room under its own account name or
-- `focus` (Jicofo joins as `jicofo.xmpp.client.username`: jicofo ChatRoomImpl.kt `join()`;
-- a person's Jitsi Meet client joins under a random endpoint id).
function ____exports.isFocusOccupant(realJid, inRoomJid, rule)
    local node, domain = string.match(realJid, "^([^@/]*)@([^/]*)")
    if node == FOCUS_NODE then
        return true
    end
    if rule == nil or node == nil or domain == nil then
        return false
    end
    local bare = string.lower((node .. "@") .. domain)
    if rule.jids[bare] ~= nil then
        return true
    end
    if not (rule.admins[bare] ~= nil) or inRoomJid == nil then
        return false
    end
    local nick = string.match(inRoomJid, "^[^/]*/(.*)$")
    return nick == node or nick == FOCUS_NODE
end
return ____exports
 end,
["src.leave_reasons"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
--- Status codes of the room's broadcast, most telling first (XEP-0045 §15.6).
local CODE_REASONS = {
    {"301", "banned"},
    {"307", "kicked"},
    {"321", "removed"},
    {"322", "removed"},
    {"333", "connection_lost"}
}
--- Jitsi's status text for a client moving between a main room and a breakout room.
____exports.SWITCH_ROOM_STATUS = "switch_room"
--- mod_presence's status text when a session ends with an error (`Disconnected: <error>`).
local DISCONNECTED_PREFIX = "Disconnected: "
function ____exports.leaveReason(clues)
    if clues.roomDestroying then
        return "room_destroyed"
    end
    if clues.nickChange then
        return "nick_change"
    end
    local codes = clues.statusCodes
    if codes ~= nil then
        for ____, ____value in ipairs(CODE_REASONS) do
            local code = ____value[1]
            local reason = ____value[2]
            if codes[code] ~= nil then
                return reason
            end
        end
    end
    local text = clues.statusText
    if text == ____exports.SWITCH_ROOM_STATUS then
        return "switch_room"
    end
    if clues.serverStopping then
        return "server_shutdown"
    end
    if clues.connectionLost == true then
        return "connection_lost"
    end
    if clues.localClient ~= true and text ~= nil and string.sub(text, 1, #DISCONNECTED_PREFIX) == DISCONNECTED_PREFIX then
        return "connection_lost"
    end
    return "left"
end
return ____exports
 end,
["src.lobby"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ObjectAssign = ____lualib.__TS__ObjectAssign
local ____exports = {}
--- Why someone stopped waiting. The lobby room destroyed (lobby turned off, main room
-- destroyed) first; then a kick or ban from the lobby room (Jitsi's "deny"); then membership
-- of the main room (Jitsi's "admit" invites them, which makes them a member); else they left.
function ____exports.lobbyLeaveReason(clues)
    if clues.leave == "room_destroyed" then
        return "room_destroyed"
    end
    if clues.leave == "kicked" or clues.leave == "banned" then
        return "denied"
    end
    return clues.admitted and "admitted" or "left"
end
--- A main-room affiliation that lets someone in past the lobby.
function ____exports.isAdmittedAffiliation(affiliation)
    return affiliation == "member" or affiliation == "admin" or affiliation == "owner"
end
--- Whether a lobby occupant is a moderator watching the lobby, not someone waiting: Jitsi's
-- moderators join the lobby room too, with their main-room affiliation (owner) and so the
-- moderator role.
function ____exports.isLobbyModerator(role, mainAffiliation)
    return role == "moderator" or mainAffiliation == "owner" or mainAffiliation == "admin"
end
--- Someone knocked: records them on the main room (tracked from now on if it was not) and
-- returns its `lobby/joined`. Nothing when that in-lobby JID is already recorded.
function ____exports.lobbyKnocked(tracker, mainRoomJid, facts, lobbyNick, visitor)
    local events = {}
    local room = tracker:room(mainRoomJid, facts, visitor.joinedAt, events)
    if room.lobby == nil then
        room.lobby = {}
    end
    if room.lobby[lobbyNick] ~= nil then
        return events
    end
    room.lobby[lobbyNick] = visitor
    events[#events + 1] = {kind = "lobby-joined", room = room, visitor = visitor}
    return events
end
--- Someone stopped waiting: returns the main room's `lobby/left` and forgets them. Nothing for
-- someone not recorded (a moderator, a knock not seen) or once the main room is no longer
-- tracked (its `destroyed` was reported).
function ____exports.lobbyLeft(tracker, mainRoomJid, facts, lobbyNick, reason, now)
    local ____opt_2 = tracker:table()[mainRoomJid]
    local ____opt_0 = ____opt_2 and ____opt_2.lobby
    local visitor = ____opt_0 and ____opt_0[lobbyNick]
    if visitor == nil then
        return {}
    end
    local events = {}
    local room = tracker:room(mainRoomJid, facts, now, events)
    local ____opt_4 = room.lobby
    if ____opt_4 ~= nil then
        ____opt_4[lobbyNick] = nil
    end
    events[#events + 1] = {
        kind = "lobby-left",
        room = room,
        visitor = __TS__ObjectAssign({}, visitor, {leftAt = now}),
        reason = reason
    }
    return events
end
--- Someone waiting changed their nick in the lobby room (Prosody's nick change is a
-- `muc-occupant-left` of the old one): still waiting, under the new in-lobby JID. No event.
function ____exports.lobbyRenamed(tracker, mainRoomJid, lobbyNick, newNick)
    local ____opt_6 = tracker:table()[mainRoomJid]
    local lobby = ____opt_6 and ____opt_6.lobby
    local visitor = lobby and lobby[lobbyNick]
    if lobby == nil or visitor == nil then
        return
    end
    lobby[lobbyNick] = nil
    lobby[newNick] = visitor
end
return ____exports
 end,
["src.lua_tables"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____json_values = require("src.json_values")
local jsonNumber = ____json_values.jsonNumber
--- A shallow copy of a table's string-keyed entries; undefined when `value` is not a table.
-- Numbers are made exact for util.json (see `jsonNumber`; infinities and NaN, which would make
-- the body invalid JSON, are left out).
function ____exports.copyStringKeys(value)
    if type(value) ~= "table" or value == nil then
        return nil
    end
    local copy = {}
    for key, item in pairs(value) do
        if type(key) == "string" then
            local ____key_1 = key
            local ____temp_0
            if type(item) == "number" then
                ____temp_0 = jsonNumber(item)
            else
                ____temp_0 = item
            end
            copy[____key_1] = ____temp_0
        end
    end
    return copy
end
return ____exports
 end,
["src.delivery.http_head"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local trimmed, SPACE, TAB
function trimmed(value)
    local lastByte = string.byte(value, #value)
    if lastByte ~= SPACE and lastByte ~= TAB and string.byte(value, 1) == SPACE then
        local second = string.byte(value, 2)
        if second ~= SPACE and second ~= TAB then
            return string.sub(value, 2)
        end
    end
    local first = string.find(value, "[^ \t]")
    if first == nil then
        return ""
    end
    local last = #value
    do
        local byte = string.byte(value, last)
        while byte == SPACE or byte == TAB do
            last = last - 1
            byte = string.byte(value, last)
        end
    end
    return string.sub(value, first, last)
end
--- One header line, matched where it starts (its LF) in the buffer: name (a token), colon,
-- value (blanks around it included: see `trimmed`), the line's CR, and the position after
-- that CR.
local HEADER_LINE = "^\n([!#$%%&'*+%-.^_`|~%w]+):([^\r\n]*)\r()"
local STATUS_LINE = "^HTTP/(1%.[01]) (%d%d%d)[^\r\n]*()"
local LF = 10
local CR = 13
--- `string.match` for the two patterns above: two captures, then a position capture.
local matchLine = string.match
--- The headers the module reads, by lower-case name.
local READ_HEADERS = {}
READ_HEADERS["content-length"] = "contentLength"
READ_HEADERS["transfer-encoding"] = "transferEncoding"
READ_HEADERS.connection = "connection"
READ_HEADERS["retry-after"] = "retryAfter"
local function joined(before, value)
    return before == nil and value or (before .. ",") .. value
end
--- The head at the start of `buffer`, whose last line's CR is at `last` (the blank line follows).
-- Read in place, line by line: no copy of the head, no table of every header (an answer is
-- read for every webhook, and what it allocates the garbage collector pays for).
function ____exports.parseHead(buffer, last)
    local version, codeText, statusEnd = matchLine(buffer, STATUS_LINE)
    if version == nil or codeText == nil or statusEnd == nil or statusEnd > last then
        return "invalid-status-line"
    end
    local head = {
        code = tonumber(codeText) or 0,
        httpVersion = version
    }
    local at = string.byte(buffer, statusEnd) == CR and statusEnd + 1 or statusEnd
    while at <= last do
        local name, value, next = matchLine(buffer, HEADER_LINE, at)
        if name == nil or next > last + 1 or next <= last and string.byte(buffer, next) ~= LF then
            return "invalid-header-line"
        end
        local field = READ_HEADERS[string.lower(name)]
        if field ~= nil then
            head[field] = joined(
                head[field],
                trimmed(value)
            )
        end
        at = next
    end
    return head
end
--- The body's length from `Content-Length` (repeated equal values allowed), or a reason.
function ____exports.contentLength(value)
    local single = string.match(value, "^(%d+)$")
    if single ~= nil and #single <= 15 then
        return tonumber(single) or "invalid-content-length"
    end
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
SPACE = 32
TAB = 9
local COMMA = 44
local function isSeparator(byte)
    return byte == COMMA or byte == SPACE or byte == TAB
end
--- Whether the last coding of a Transfer-Encoding value is `chunked` (any case), read from the end.
function ____exports.isChunked(transferEncoding)
    if transferEncoding == "chunked" then
        return true
    end
    local last = #transferEncoding
    while last > 0 and isSeparator(string.byte(transferEncoding, last)) do
        last = last - 1
    end
    local first = last
    while first > 1 and not isSeparator(string.byte(transferEncoding, first - 1)) do
        first = first - 1
    end
    return last > 0 and string.lower(string.sub(transferEncoding, first, last)) == "chunked"
end
return ____exports
 end,
["src.delivery.http_response"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____http_head = require("src.delivery.http_head")
local contentLength = ____http_head.contentLength
local isChunked = ____http_head.isChunked
local parseHead = ____http_head.parseHead
--- Status line and headers at most.
____exports.MAX_HEAD_BYTES = 16 * 1024
--- Body bytes read (and thrown away) at most per answer; past it the connection is given up.
____exports.MAX_BODY_BYTES = 1024 * 1024
--- A chunk-size line or trailer line at most.
local MAX_LINE_BYTES = 1024
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
        local transferEncoding = parsed.transferEncoding
        local length = parsed.contentLength
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
    --- A whole small chunked body already here, as most APIs answer (`2\r\n{}\r\n0\r\n\r\n`):
    -- one chunk without extension, then the last chunk without trailers, read in one step.
    local function wholeSmallBody()
        local ____, sizeEnd, hex = string.find(buffer, "^(%x%x?%x?%x?)\r\n")
        if hex == nil or sizeEnd == nil then
            return false
        end
        local size = tonumber(hex, 16) or 0
        local dataEnd = sizeEnd + size
        if size == 0 or bodyRead + size > maxBody or string.sub(buffer, dataEnd + 1, dataEnd + 7) ~= "\r\n0\r\n\r\n" then
            return false
        end
        buffer = string.sub(buffer, dataEnd + 8)
        bodyRead = bodyRead + size
        complete(false)
        return true
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
            local parsed = parseHead(buffer, at)
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
            if wholeSmallBody() then
                return true
            end
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
        retryAfter = ____exports.retryAfterSeconds(head.retryAfter)
    }
end
--- True when a `Connection` header lists the `close` token (any case, any position).
function ____exports.wantsClose(connection)
    if connection == nil or connection == "keep-alive" then
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
--- The pieces of the request being made, reused: requestText runs to its end before the next.
local scratch = {}
--- The whole request, head and body: our Host and Content-Length, then the caller's headers.
-- Credentials in the URL (`https://user:pw@host/…`) become Basic authentication, as with
-- `net.http`, unless the caller set an Authorization header. One `table.concat` of the pieces
-- as they are: no string per header line, no head copied again to add the body (a request is
-- made for every webhook, and what it allocates the garbage collector pays for).
function ____exports.requestText(parsed, request, headers, base64Encode)
    local body = request.body
    local parts = scratch
    parts[1] = parsed.postHead
    parts[2] = "Content-Length: "
    parts[3] = tostring(#body)
    parts[4] = "\r\nConnection: keep-alive\r\n"
    local n = 4
    if parsed.userinfo ~= nil and not ____exports.hasHeader(headers, "authorization") then
        parts[n + 1] = "Authorization: Basic "
        parts[n + 2] = base64Encode(parsed.userinfo)
        parts[n + 3] = "\r\n"
        n = n + 3
    end
    for name, value in pairs(headers) do
        parts[n + 1] = name
        parts[n + 2] = ": "
        parts[n + 3] = value
        parts[n + 4] = "\r\n"
        n = n + 4
    end
    parts[n + 1] = "\r\n"
    parts[n + 2] = body
    local text = table.concat(parts, "", 1, n + 2)
    parts[n + 2] = ""
    return text
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
local requestText = ____http1.requestText
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
--- Whether `pc` is a better choice than `best` among connections as loaded.
local function preferred(pc, best)
    if pc.state ~= best.state then
        return pc.state == "open"
    end
    return pc.served > best.served
end
--- The open or connecting connection with the fewest requests, or undefined. Among equals an
-- open one, then the one that has served most: light traffic keeps to one connection and the
-- others (opened by a burst or at a login) close when idle.
function ____exports.leastLoaded(pool)
    local best
    for pc in pairs(pool.connections) do
        if best == nil or pc.load < best.load or pc.load == best.load and preferred(pc, best) then
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
--- Reads what the API has already answered on an open connection now, through net.server's own
-- read step (server_epoll only: it reads nothing when nothing arrived, and does its usual
-- bookkeeping: EOF, TLS, read timeouts). Under a burst Prosody's loop reaches a connection's
-- readable event only after every client stanza ready before it: a room waiting for an answer
-- (its `created`) would wait for all of them.
function ____exports.readNow(pc, epoll)
    local conn = pc.conn
    if epoll and pc.state == "open" and pc.load > 0 and (conn and conn.onreadable) ~= nil then
        conn:onreadable()
    end
end
--- Takes a connection out of its pool; idempotent.
function ____exports.markClosed(pc)
    if pc.state == "closed" then
        return
    end
    pc.state = "closed"
    local ____pc_pool_5, ____open_6 = pc.pool, "open"
    ____pc_pool_5[____open_6] = ____pc_pool_5[____open_6] - 1
    pc.pool.connections[pc] = nil
    local ____opt_7 = pc.idleTimer
    if ____opt_7 ~= nil then
        ____opt_7:stop()
    end
    pc.idleTimer = nil
    local ____opt_9 = pc.headTimer
    if ____opt_9 ~= nil then
        ____opt_9:stop()
    end
    pc.headTimer = nil
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
    local data = requestText(exchange.url, exchange.request, headers, base64Encode)
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
    local headDue, idleDue, dropped, open
    local ____options_0 = options
    local scheduler = ____options_0.scheduler
    local log = ____options_0.log
    local idleTimeout = ____options_0.idleTimeout
    local pump = ____options_0.pump
    local clock = ____options_0.clock
    local byConn = {}
    local function finish(exchange, result)
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
        local ____opt_1 = pc.conn
        if ____opt_1 ~= nil then
            ____opt_1:close()
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
            local ____opt_3 = pc.conn
            if ____opt_3 ~= nil then
                ____opt_3:close()
            end
        end
        pump(pc.pool)
    end
    --- Times the oldest request of a connection: the time the API takes to answer it, from when it
    -- got a connection (connecting included) or from the answer before it; waiting for a free
    -- connection does not count. Kept across a resend on a fresh connection. One timer per
    -- connection, not per request: when it fires before the oldest request's deadline (set for
    -- an older one since answered) it waits on for the rest.
    local function timeHead(pc)
        local exchange = pc.pipeline:peek()
        if exchange == nil then
            return
        end
        if exchange.deadline == nil then
            exchange.deadline = clock() + exchange.request.timeout
        end
        if pc.headTimer == nil then
            pc.headTimer = scheduler:after(
                math.max(
                    0,
                    exchange.deadline - clock()
                ),
                function() return headDue(pc) end
            )
        end
    end
    headDue = function(pc)
        pc.headTimer = nil
        local exchange = pc.pipeline:peek()
        if pc.state == "closed" or (exchange and exchange.deadline) == nil then
            return
        end
        local left = exchange.deadline - clock()
        if left > 0.001 then
            pc.headTimer = scheduler:after(
                left,
                function() return headDue(pc) end
            )
            return
        end
        local ____opt_7 = pc.reader
        local head = ____opt_7 and ____opt_7.current()
        failWith(
            pc,
            exchange,
            head ~= nil and resultOf(head) or ({
                code = 0,
                reason = ("timed out after " .. tostring(exchange.request.timeout)) .. "s"
            })
        )
    end
    local function write(pc, exchange)
        return writeRequest(pc, exchange, options.base64Encode)
    end
    local function give(pc, exchange)
        attach(pc, exchange)
        timeHead(pc)
        if pc.state == "open" then
            write(pc, exchange)
        end
    end
    --- Parks a connection with nothing on it: closed after `idleTimeout` unless used again. One
    -- timer per connection, not one per request: when it fires early (the connection was used
    -- and parked again since) it waits on for the rest.
    local function parkIfIdle(pc)
        if pc.state ~= "open" or pc.load > 0 then
            return
        end
        pc.idleSince = clock()
        if pc.idleTimer == nil then
            pc.idleTimer = scheduler:after(
                idleTimeout,
                function() return idleDue(pc) end
            )
        end
    end
    idleDue = function(pc)
        pc.idleTimer = nil
        if pc.state ~= "open" or pc.load > 0 or pc.idleSince == nil then
            return
        end
        local left = pc.idleSince + idleTimeout - clock()
        if left > 0.001 then
            pc.idleTimer = scheduler:after(
                left,
                function() return idleDue(pc) end
            )
            return
        end
        markClosed(pc)
        local ____opt_9 = pc.conn
        if ____opt_9 ~= nil then
            ____opt_9:close()
        end
    end
    local function complete(pc, response, untilClose)
        local exchange = pc.pipeline:shift()
        if exchange == nil then
            failWith(pc, nil, {code = 0, reason = "unsolicited answer"})
            return
        end
        detach(pc, exchange)
        pc.served = pc.served + 1
        pc.answered = false
        timeHead(pc)
        local closing = untilClose or wantsClose(response.connection) or response.httpVersion == "1.0"
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
            local ____opt_11 = pc.conn
            if ____opt_11 ~= nil then
                ____opt_11:close()
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
            pc.pool.connectedAt = clock()
            for ____, exchange in ipairs(takePipeline(pc)) do
                do
                    local __continue43
                    repeat
                        if exchange.finished then
                            __continue43 = true
                            break
                        end
                        attach(pc, exchange)
                        write(pc, exchange)
                        __continue43 = true
                    until true
                    if not __continue43 then
                        break
                    end
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
            local ____opt_13 = pc.reader
            if ____opt_13 ~= nil then
                ____opt_13.feed(data)
            end
        end,
        ondisconnect = function(conn, reason)
            local pc = byConn[conn]
            if pc == nil then
                return
            end
            byConn[conn] = nil
            if pc.load > 0 and pc.answered then
                local ____opt_15 = pc.reader
                if ____opt_15 ~= nil then
                    ____opt_15.feed(nil)
                end
            end
            dropped(pc, reason or "connection closed")
        end,
        onfail = function(data, reason) return dropped(data, reason or "connection failed") end
    }
    --- A connection is gone. What it had not answered is sent again, in order, on a fresh
    -- connection when it was a reused (or idle) connection closed before answering: the API's
    -- idle close crossed our writes, it had not seen those requests (each is resent once).
    -- Otherwise they fail.
    dropped = function(pc, reason)
        markClosed(pc)
        local rest = __TS__ArrayFilter(
            takePipeline(pc),
            function(____, exchange) return not exchange.finished end
        )
        if #rest > 0 then
            local reused = pc.served > 0 or pc.idleSince ~= nil
            local resend = reused and not pc.answered and __TS__ArrayEvery(
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
local readNow = ____keepalive_pool.readNow
local ____url = require("src.delivery.url")
local parseHttpUrl = ____url.parseHttpUrl
--- Seconds between warm-ups at most while they connect nothing.
local MAX_WARM_INTERVAL = 60
--- Request URLs kept parsed at most.
local MAX_PARSED_URLS = 64
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
    local epoll = options.backend == "epoll"
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
    --- Parsed request URLs (a handful: one per event path), bounded.
    local parsedUrls = {}
    local parsedCount = 0
    local function parse(url)
        local parsed = parsedUrls[url]
        if parsed == nil then
            parsed = parseHttpUrl(url) or false
            if parsedCount >= MAX_PARSED_URLS then
                parsedUrls = {}
                parsedCount = 0
            end
            parsedUrls[url] = parsed
            parsedCount = parsedCount + 1
        end
        local ____temp_2
        if parsed == false then
            ____temp_2 = nil
        else
            ____temp_2 = parsed
        end
        return ____temp_2
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
        warm = function(self, url)
            local parsed = parse(url)
            if parsed == nil then
                return
            end
            local pool = poolFor(parsed.origin)
            local now = options.clock()
            if pool.open > 0 then
                return
            end
            local warmedAt = pool.warmedAt
            if warmedAt ~= nil then
                local connected = pool.connectedAt ~= nil and pool.connectedAt >= warmedAt
                local interval = connected and options.idleTimeout or math.min(2 * (pool.warmInterval or options.idleTimeout), MAX_WARM_INTERVAL)
                if now - warmedAt < interval then
                    return
                end
                pool.warmInterval = interval
            end
            pool.warmedAt = now
            do
                local i = pool.open
                while i < maxConnections do
                    open(pool, {})
                    i = i + 1
                end
            end
        end,
        poll = function(self, lane)
            for ____, pool in pairs(pools) do
                local use = pool.lanes[lane]
                if use ~= nil then
                    readNow(use.connection, epoll)
                end
            end
        end,
        post = function(self, request, done)
            local parsed = parse(request.url)
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
local DELIVERED_VERDICT = {kind = "delivered"}
--- Judges one attempt's result; `attempts` counts the attempt just made.
function ____exports.judge(policy, result, attempts, log)
    if isSuccess(result.code) then
        return DELIVERED_VERDICT
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
["src.delivery.dispatcher_options"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
return ____exports
 end,
["src.delivery.pending_bounds"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__New = ____lualib.__TS__New
local __TS__Unpack = ____lualib.__TS__Unpack
local ____exports = {}
local ____fifo = require("src.delivery.fifo")
local Fifo = ____fifo.Fifo
____exports.PendingBounds = __TS__Class()
local PendingBounds = ____exports.PendingBounds
PendingBounds.name = "PendingBounds"
function PendingBounds.prototype.____constructor(self, maxCount, maxBytes)
    self.maxCount = maxCount
    self.maxBytes = maxBytes
    self.count = 0
    self.bytes = 0
    self.droppedInBurst = 0
    self.order = __TS__New(Fifo, true)
end
function PendingBounds.prototype.crossedBy(self, bytes)
    if self.count == 0 then
        return nil
    end
    if self.count >= self.maxCount then
        return "count"
    end
    return self.bytes + bytes > self.maxBytes and "bytes" or nil
end
function PendingBounds.prototype.add(self, delivery)
    self.order:push(delivery)
    self.count = self.count + 1
    self.bytes = self.bytes + #delivery.body
end
function PendingBounds.prototype.remove(self, delivery)
    self.count = self.count - 1
    self.bytes = self.bytes - #delivery.body
    while true do
        local ____opt_0 = self.order:peek()
        if not ((____opt_0 and ____opt_0.finished) == true) then
            break
        end
        self.order:shift()
    end
end
function PendingBounds.prototype.noteDrop(self, crossed, oldest, log)
    if self.droppedInBurst == 0 then
        local what, bound = __TS__Unpack(crossed == "bytes" and ({
            "KB of events",
            math.floor(self.maxBytes / 1024)
        }) or ({"events", self.maxCount}))
        log(
            "warn",
            "More than %d %s are waiting for the API (api_max_pending): dropping the oldest, starting with %s for room %s",
            bound,
            what,
            oldest.eventName,
            oldest.roomJid
        )
    end
    self.droppedInBurst = self.droppedInBurst + 1
end
function PendingBounds.prototype.noteDelivered(self, log)
    if self.droppedInBurst == 0 then
        return
    end
    log("warn", "The API accepts events again; %d events were dropped meanwhile (api_max_pending)", self.droppedInBurst)
    self.droppedInBurst = 0
end
function PendingBounds.prototype.takeOldest(self)
    local oldest = self.order:shift()
    while oldest ~= nil and oldest.finished == true do
        oldest = self.order:shift()
    end
    return oldest
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
        waiting = 0,
        wide = wide,
        narrowings = 0,
        gone = false,
        pumping = false,
        pumpAgain = false
    }
end
--- Sends what the room's window (`window` requests on the wire) allows, in order: `send` puts a
-- delivery on the wire and says whether it is still there (false: answered at once, and that
-- answer pumped the room again). `flying` holds the deliveries on the wire.
function ____exports.fillWindow(line, window, flying, send)
    if line.waiting == 0 or line.onWire >= window then
        return
    end
    local last = line.items:at(line.items:size())
    if line.waiting == 1 and last ~= nil and last.finished ~= true and not (flying[last] ~= nil) then
        send(last)
        return
    end
    local onWireBefore = 0
    do
        local i = 1
        while i <= line.items:size() do
            local delivery = line.items:at(i)
            if delivery ~= nil and delivery.finished ~= true then
                if not (flying[delivery] ~= nil) then
                    if onWireBefore < line.onWire or onWireBefore >= window then
                        return
                    end
                    if not send(delivery) then
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
--- Each room with undelivered events: how many, and how many of them are on the wire.
function ____exports.backlogOf(lines)
    local out = {}
    for roomJid, line in pairs(lines) do
        local undelivered = 0
        for ____, delivery in ipairs(line.items:toArray()) do
            if delivery.finished ~= true then
                undelivered = undelivered + 1
            end
        end
        if undelivered > 0 then
            out[#out + 1] = {roomJid = roomJid, undelivered = undelivered, onWire = line.onWire}
        end
    end
    return out
end
--- Every delivery not yet finished, oldest first per room (those on the wire included).
function ____exports.pendingOf(lines)
    local out = {}
    for ____, line in pairs(lines) do
        for ____, delivery in ipairs(line.items:toArray()) do
            if delivery.finished ~= true then
                out[#out + 1] = delivery
            end
        end
    end
    return out
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
local ____pending_bounds = require("src.delivery.pending_bounds")
local PendingBounds = ____pending_bounds.PendingBounds
local ____retry_policy = require("src.delivery.retry_policy")
local judge = ____retry_policy.judge
local ____room_line = require("src.delivery.room_line")
local backlogOf = ____room_line.backlogOf
local fillWindow = ____room_line.fillWindow
local newRoomLine = ____room_line.newRoomLine
local pendingOf = ____room_line.pendingOf
local WideRooms = ____room_line.WideRooms
local ____url = require("src.delivery.url")
local EventUrls = ____url.EventUrls
--- Stands in the flying map while `post` runs (its answer may come before it returns).
local function NOT_YET_SENT()
    return nil
end
--- One outcome for every delivered event (outcomes are read, never changed).
local DELIVERED = {kind = "delivered"}
____exports.Dispatcher = __TS__Class()
local Dispatcher = ____exports.Dispatcher
Dispatcher.name = "Dispatcher"
function Dispatcher.prototype.____constructor(self, options)
    self.options = options
    self.lines = {}
    self.wideRooms = __TS__New(WideRooms)
    self.flying = {}
    self.stopped = false
    self.urls = __TS__New(EventUrls)
    self.bounds = __TS__New(PendingBounds, options.maxPending, options.maxPendingBytes)
end
function Dispatcher.prototype.enqueue(self, delivery)
    self.options.metrics:produced(delivery.eventName)
    local ____opt_0 = self.options.journal
    if ____opt_0 ~= nil then
        ____opt_0:recorded(delivery)
    end
    self:push(delivery)
end
function Dispatcher.prototype.replay(self, delivery)
    local ____opt_2 = self.options.journal
    if ____opt_2 ~= nil then
        ____opt_2:recorded(delivery)
    end
    self:push(delivery)
end
function Dispatcher.prototype.undelivered(self)
    return self.bounds.count
end
function Dispatcher.prototype.backlog(self)
    return backlogOf(self.lines)
end
function Dispatcher.prototype.latestFailure(self)
    return self.lastFailure
end
function Dispatcher.prototype.adopt(self, delivery, record)
    if record == nil then
        record = false
    end
    if record then
        local ____opt_4 = self.options.journal
        if ____opt_4 ~= nil then
            ____opt_4:recorded(delivery)
        end
    end
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
    return pendingOf(self.lines)
end
function Dispatcher.prototype.stop(self)
    self.stopped = true
    local flying = self.flying
    self.flying = {}
    for ____, cancel in pairs(flying) do
        cancel()
    end
    for ____, line in pairs(self.lines) do
        local ____opt_6 = line.retryTimer
        if ____opt_6 ~= nil then
            ____opt_6:stop()
        end
    end
    self.options.transport:close()
end
function Dispatcher.prototype.push(self, delivery)
    do
        while true do
            local crossed = self.bounds:crossedBy(#delivery.body)
            if crossed == nil or not self:dropOldest(crossed) then
                break
            end
        end
    end
    self.bounds:add(delivery)
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
    line.waiting = line.waiting + 1
    self.options.metrics:pending(self.bounds.count)
    if line.onWire > 0 and line.onWire >= (line.wide and self.options.pipelineDepth or 1) then
        local ____this_9
        ____this_9 = self.options.transport
        local ____opt_8 = ____this_9.poll
        if ____opt_8 ~= nil then
            ____opt_8(____this_9, line.roomJid)
        end
    end
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
    fillWindow(
        line,
        line.wide and self.options.pipelineDepth or 1,
        self.flying,
        function(delivery)
            self:attempt(line, delivery)
            return self.flying[delivery] ~= nil
        end
    )
end
function Dispatcher.prototype.dropOldest(self, crossed)
    local oldest = self.bounds:takeOldest()
    if oldest == nil then
        return false
    end
    self.bounds:noteDrop(crossed, oldest, self.options.log)
    self.options.metrics:dropped(oldest.eventName)
    local line = self.lines[oldest.roomJid]
    local cancel = self.flying[oldest]
    if cancel ~= nil then
        self.flying[oldest] = nil
        cancel()
        if line ~= nil then
            line.onWire = line.onWire - 1
            line.waiting = line.waiting + 1
        end
    end
    if line ~= nil and line.items:peek() == oldest and line.retryTimer ~= nil then
        line.retryTimer:stop()
        line.retryTimer = nil
    end
    self:finish(oldest, line, {kind = "dropped"})
    return true
end
function Dispatcher.prototype.attempt(self, line, delivery)
    local ____self_options_10 = self.options
    local transport = ____self_options_10.transport
    local timeout = ____self_options_10.timeout
    local headersFor = ____self_options_10.headersFor
    local apiPrefix = ____self_options_10.apiPrefix
    delivery.attempts = delivery.attempts + 1
    line.onWire = line.onWire + 1
    line.waiting = line.waiting - 1
    local narrowingsBefore = line.narrowings
    local answered = false
    local request = {
        url = self.urls:of(apiPrefix, delivery.path),
        body = delivery.body,
        headers = function() return headersFor(delivery) end,
        timeout = timeout,
        lane = delivery.roomJid
    }
    self.flying[delivery] = NOT_YET_SENT
    local cancel = transport:post(
        request,
        function(result)
            if answered or self.stopped or delivery.finished == true then
                return
            end
            answered = true
            self.flying[delivery] = nil
            line.onWire = line.onWire - 1
            line.waiting = line.waiting + 1
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
    local ____self_options_11 = self.options
    local policy = ____self_options_11.policy
    local log = ____self_options_11.log
    local scheduler = ____self_options_11.scheduler
    local backoff = ____self_options_11.backoff
    local random = ____self_options_11.random
    local metrics = ____self_options_11.metrics
    local nowMs = ____self_options_11.nowMs
    if result.collateral == true then
        delivery.attempts = delivery.attempts - 1
        self:narrow(line)
        self:pump(line)
        return
    end
    local verdict = judge(policy, result, delivery.attempts, log)
    if verdict.kind ~= "delivered" then
        self:narrow(line)
        self.lastFailure = {
            atMs = nowMs(),
            eventName = delivery.eventName,
            roomJid = delivery.roomJid,
            reason = verdict.reason
        }
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
    local outcome = DELIVERED
    if verdict.kind == "give-up" then
        log(
            "warn",
            "Gave up delivering %s for room %s: %s",
            delivery.eventName,
            delivery.roomJid,
            verdict.reason
        )
        metrics:gaveUp(delivery.eventName)
        outcome = {kind = "gave-up", code = result.code, reason = verdict.reason}
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
        self.bounds:noteDelivered(log)
    end
    self:finish(delivery, line, outcome)
end
function Dispatcher.prototype.finish(self, delivery, line, outcome)
    delivery.finished = true
    if line ~= nil then
        line.waiting = line.waiting - 1
    end
    local ____opt_12 = self.options.journal
    if ____opt_12 ~= nil then
        ____opt_12:settled(delivery, outcome)
    end
    self.bounds:remove(delivery)
    self.options.metrics:pending(self.bounds.count)
    if line == nil then
        return
    end
    while true do
        local ____opt_14 = line.items:peek()
        if not ((____opt_14 and ____opt_14.finished) == true) then
            break
        end
        line.items:shift()
    end
    self:pump(line)
end
return ____exports
 end,
["src.payload_text"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____json_text = require("src.json_text")
local beginText = ____json_text.beginText
local endText = ____json_text.endText
local put = ____json_text.put
local putNumberField = ____json_text.putNumberField
local putString = ____json_text.putString
local putStringField = ____json_text.putStringField
local ____payload_occupants = require("src.payload_occupants")
local isReservedField = ____payload_occupants.isReservedField
--- The fields of `extra` (a room's `event_sync_extra_payload`, a token's user context) that are
-- not ours: what `addExtra` adds to a payload table, with the values the table encoder writes
-- (a function or other non-JSON value is left out, as there).
local function putExtraFields(extra, encode)
    if extra == nil then
        return
    end
    for key, value in pairs(extra) do
        local kind = type(value)
        if type(key) == "string" and not isReservedField(key) and (kind == "string" or kind == "number" or kind == "boolean" or kind == "table") then
            put(",")
            putString(key)
            put(":")
            put(encode(value))
        end
    end
end
local function putIdentity(identity, encode)
    if identity == nil then
        return
    end
    putStringField(",\"name\":\"", identity.name)
    putStringField(",\"email\":\"", identity.email)
    putStringField(",\"id\":\"", identity.id)
    putExtraFields(identity.userInfo, encode)
end
--- The occupant object of a joined or left.
local function putOccupant(event, encode)
    local occupant = event.occupant
    local traits = occupant.traits
    put("{\"occupant_jid\":")
    putString(occupant.occupantJid)
    putNumberField(",\"joined_at\":", occupant.joinedAt)
    if event.kind == "occupant-left" then
        putNumberField(",\"left_at\":", occupant.leftAt)
    end
    putIdentity(occupant.identity, encode)
    putStringField(",\"role\":\"", event.standing.role)
    putStringField(",\"affiliation\":\"", event.standing.affiliation)
    if traits ~= nil then
        putStringField(",\"nick\":\"", traits.displayNick)
        putStringField(",\"participant_id\":\"", traits.participantId)
        putStringField(",\"kind\":\"", traits.kind)
    end
    if event.kind == "occupant-left" then
        putNumberField(",\"total_dominant_speaker_time\":", occupant.speakerTimeMs)
    end
    put("}")
end
local EVENT_HEAD = "{\"event_name\":\"%s\",\"event_id\":\"%s\",\"event_timestamp_ms\":%s,\"room_sequence\":%s"
--- The JSON body of a joined or left event named `eventName`.
function ____exports.occupantEventJson(event, eventName, meta, encode)
    local room = event.room
    local breakout = room.breakout
    beginText()
    put(string.format(
        EVENT_HEAD,
        eventName,
        meta.eventId,
        tostring(meta.timestampMs),
        tostring(meta.sequence)
    ))
    if breakout == nil then
        putStringField(",\"room_name\":\"", room.roomName)
        putStringField(",\"room_jid\":\"", room.roomJid)
        put(",\"is_breakout\":false")
    else
        putStringField(",\"room_name\":\"", breakout.mainRoomName)
        putStringField(",\"room_jid\":\"", breakout.mainRoomJid)
        put(",\"is_breakout\":true")
        putStringField(",\"breakout_room_id\":\"", breakout.breakoutRoomId)
        putStringField(",\"breakout_room_name\":\"", room.breakoutName)
    end
    putStringField(",\"meeting_id\":\"", room.meetingId)
    putNumberField(",\"active_occupants_count\":", event.activeCount)
    if event.kind == "occupant-left" then
        putStringField(",\"disconnect_reason\":\"", event.reason)
    end
    put(",\"occupant\":")
    putOccupant(event, encode)
    putExtraFields(room.extraPayload, encode)
    put("}")
    return endText()
end
return ____exports
 end,
["src.pipeline"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____payload_text = require("src.payload_text")
local occupantEventJson = ____payload_text.occupantEventJson
local ____payloads = require("src.payloads")
local buildPayload = ____payloads.buildPayload
local EVENT_PATHS = ____payloads.EVENT_PATHS
local eventNameOf = ____payloads.eventNameOf
local queueJidOf = ____payloads.queueJidOf
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
        local roomJid
        local body
        if event.kind == "occupant-joined" or event.kind == "occupant-left" then
            roomJid = queueJidOf(event.room)
            body = occupantEventJson(event, name, meta, encode)
        else
            local built = buildPayload(event, meta, asJsonArray)
            roomJid = built.roomJid
            body = encode(built.payload)
        end
        dispatcher:enqueue({
            eventName = name,
            eventId = meta.eventId,
            roomJid = roomJid,
            path = EVENT_PATHS[name],
            body = body,
            createdAtMs = meta.timestampMs,
            attempts = 0
        })
    end
    return {publish = function(self, events)
        for ____, event in ipairs(events) do
            local name = eventNameOf(event)
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
            if event.kind == "room-destroyed" and event.room.breakout == nil then
                dispatcher:roomGone(event.room.roomJid)
            end
        end
    end}
end
return ____exports
 end,
["src.prosody.admin_shell"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local SECTION = "event_sync"
local HELP = {desc = "Webhook delivery of mod_event_sync_component: status, dead letters", commands = {status = {desc = "Undelivered events per room, outbox, dead letters, last failure", args = {{name = "host"}}}, dead_letters = {desc = "List dead letters (all, or by event id or room JID)", args = {{name = "selector"}, {name = "host"}}}, replay = {desc = "Send dead letters again, same event ids (all, an event id or a room JID)", args = {{name = "selector"}, {name = "host"}}}, discard = {desc = "Delete dead letters (all, an event id or a room JID)", args = {{name = "selector"}, {name = "host"}}}}}
local function hostNames(instances)
    local names = {}
    for name in pairs(instances) do
        names[#names + 1] = name
    end
    table.sort(names)
    return names
end
local function reply(____self, answer)
    if not answer.ok then
        return nil, answer.error
    end
    for ____, line in ipairs(answer.lines) do
        ____self.session.print(line)
    end
    return true, answer.summary
end
--- Registers this host's commands; returns the function that unregisters them (for unload).
function ____exports.registerAdminCommands(commands)
    local env = module:shared("/*/admin_shell/env")
    local instances = module:shared(("/*/" .. SECTION) .. "/instances")
    instances[module.host] = commands
    local function pick(host)
        if host ~= nil then
            return instances[host] or (("no event_sync on host " .. host) .. "; it runs on: ") .. table.concat(
                hostNames(instances),
                ", "
            )
        end
        local names = hostNames(instances)
        if #names == 1 then
            return instances[names[1]]
        end
        return "name the host: event_sync runs on " .. table.concat(names, ", ")
    end
    local function run(____self, host, command)
        local target = pick(host)
        if type(target) == "string" then
            return nil, target
        end
        return reply(
            ____self,
            command(target)
        )
    end
    local section = {
        status = function(self, host)
            return run(
                self,
                host,
                function(target) return {
                    ok = true,
                    lines = target:status(),
                    summary = "status shown"
                } end
            )
        end,
        dead_letters = function(self, selector, host)
            return run(
                self,
                host,
                function(target) return target:deadLetters(selector or "all") end
            )
        end,
        replay = function(self, selector, host)
            if selector == nil then
                return nil, "say which: event_sync:replay(\"all\"), an event id or a room JID"
            end
            return run(
                self,
                host,
                function(target) return target:replay(selector) end
            )
        end,
        discard = function(self, selector, host)
            if selector == nil then
                return nil, "say which: event_sync:discard(\"all\"), an event id or a room JID"
            end
            return run(
                self,
                host,
                function(target) return target:discard(selector) end
            )
        end
    }
    env[SECTION] = setmetatable(section, {help = HELP})
    return function()
        if instances[module.host] == commands then
            instances[module.host] = nil
        end
        if (next(instances)) == nil then
            env[SECTION] = nil
        end
    end
end
return ____exports
 end,
["src.delivery.outbox"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local __TS__ArrayIncludes = ____lualib.__TS__ArrayIncludes
local __TS__ArrayFilter = ____lualib.__TS__ArrayFilter
local __TS__ArraySlice = ____lualib.__TS__ArraySlice
local ____exports = {}
local ____outbox_records = require("src.delivery.outbox_records")
local batchItems = ____outbox_records.batchItems
local batchRecord = ____outbox_records.batchRecord
local deliveryFromStored = ____outbox_records.deliveryFromStored
local readBatches = ____outbox_records.readBatches
____exports.MAX_BATCH = 100
local function pad(n, width)
    return string.format(
        ("%0" .. tostring(width)) .. "d",
        n
    )
end
____exports.Outbox = __TS__Class()
local Outbox = ____exports.Outbox
Outbox.name = "Outbox"
function Outbox.prototype.____constructor(self, options)
    self.options = options
    self.unsaved = {}
    self.settledUnsaved = {}
    self.unwritten = {}
    self.batchOf = {}
    self.changed = {}
    self.own = {}
    self.batchNumber = 0
    self.failing = false
    self.count = 0
    self.prefixMs = options.startedMs
end
function Outbox.prototype.record(self, delivery)
    local ____self_unsaved_0 = self.unsaved
    ____self_unsaved_0[#____self_unsaved_0 + 1] = delivery
    self:resize(1)
    self:schedule(self.options.interval)
end
function Outbox.prototype.settled(self, delivery)
    local batch = self.batchOf[delivery]
    self:resize(-1)
    if batch == nil then
        self.settledUnsaved[delivery] = true
        return
    end
    self.batchOf[delivery] = nil
    self.changed[batch] = true
    self:schedule(self.options.interval)
end
function Outbox.prototype.touch(self)
    self:schedule(self.options.interval)
end
function Outbox.prototype.holds(self, delivery)
    local batch = self.batchOf[delivery]
    if batch == nil then
        return not __TS__ArrayIncludes(self.unsaved, delivery) or self.settledUnsaved[delivery] ~= nil
    end
    return not __TS__ArrayIncludes(self.unwritten, batch)
end
function Outbox.prototype.size(self)
    return self.count
end
function Outbox.prototype.flush(self, final)
    if final == nil then
        final = false
    end
    local ____opt_1 = self.timer
    if ____opt_1 ~= nil then
        ____opt_1:stop()
    end
    self.timer = nil
    local errors = {}
    local ____opt_3 = self.options.writeFirst
    local firstError = ____opt_3 and ____opt_3()
    if firstError ~= nil then
        errors[#errors + 1] = firstError
    end
    self:batchNew()
    self.unwritten = __TS__ArrayFilter(
        self.unwritten,
        function(____, batch)
            local ____error = self:write(batch)
            if ____error ~= nil then
                errors[#errors + 1] = "outbox: " .. ____error
            end
            return ____error ~= nil
        end
    )
    for batch in pairs(self.changed) do
        local ____error = self:shrink(batch, final)
        if ____error ~= nil then
            errors[#errors + 1] = "outbox: " .. ____error
        else
            self.changed[batch] = nil
        end
    end
    local ____opt_5 = self.options.writeLast
    local lastError = ____opt_5 and ____opt_5()
    if lastError ~= nil then
        errors[#errors + 1] = lastError
    end
    self:report(errors)
    return #errors == 0
end
function Outbox.prototype.stop(self)
    local ____opt_7 = self.timer
    if ____opt_7 ~= nil then
        ____opt_7:stop()
    end
    self.timer = nil
end
function Outbox.prototype.load(self)
    local ____self_options_9 = self.options
    local log = ____self_options_9.log
    local read = readBatches(self.options.store, self.own)
    if read.error ~= nil then
        self:report({"outbox: " .. read.error})
        return {deliveries = {}, error = read.error}
    end
    if read.others > 0 then
        log("warn", "The outbox store holds %d records this version did not write; they are left as they are", read.others)
    end
    local records = read.records
    local out = {}
    for ____, ____value in ipairs(records) do
        local key = ____value[1]
        local record = ____value[2]
        do
            local __continue24
            repeat
                local prefix = string.match(key, "^(%d+)")
                self.prefixMs = math.max(
                    self.prefixMs,
                    (tonumber(prefix) or 0) + 1
                )
                local items = batchItems(record, self.options.codec)
                if items == nil then
                    log("warn", "Skipping outbox record %s: not in a format this version reads", key)
                    __continue24 = true
                    break
                end
                local batch = {key = key, items = {}, stored = #items, foreign = {}}
                for ____, stored in ipairs(items) do
                    do
                        local __continue26
                        repeat
                            local delivery = deliveryFromStored(stored)
                            if delivery == nil then
                                local ____batch_foreign_10 = batch.foreign
                                ____batch_foreign_10[#____batch_foreign_10 + 1] = stored
                                __continue26 = true
                                break
                            end
                            local ____batch_items_11 = batch.items
                            ____batch_items_11[#____batch_items_11 + 1] = delivery
                            self.batchOf[delivery] = batch
                            out[#out + 1] = delivery
                            __continue26 = true
                        until true
                        if not __continue26 then
                            break
                        end
                    end
                end
                if #batch.foreign > 0 then
                    log("warn", "Outbox record %s holds %d events this version cannot read; they are kept", key, #batch.foreign)
                end
                __continue24 = true
            until true
            if not __continue24 then
                break
            end
        end
    end
    self:resize(#out)
    return {deliveries = out}
end
function Outbox.prototype.resize(self, by)
    self.count = self.count + by
    self.options.metrics:size(self.count)
end
function Outbox.prototype.schedule(self, seconds)
    if self.timer ~= nil then
        return
    end
    self.timer = self.options.scheduler:after(
        seconds,
        function()
            self.timer = nil
            self:flush()
        end
    )
end
function Outbox.prototype.batchNew(self)
    local fresh = __TS__ArrayFilter(
        self.unsaved,
        function(____, delivery) return not (self.settledUnsaved[delivery] ~= nil) end
    )
    self.unsaved = {}
    self.settledUnsaved = {}
    do
        local first = 0
        while first < #fresh do
            self.batchNumber = self.batchNumber + 1
            local items = __TS__ArraySlice(fresh, first, first + ____exports.MAX_BATCH)
            local batch = {
                key = (pad(self.prefixMs, 15) .. "-") .. pad(self.batchNumber, 9),
                items = items,
                stored = #items,
                foreign = {}
            }
            for ____, delivery in ipairs(items) do
                self.batchOf[delivery] = batch
            end
            self.own[batch.key] = true
            local ____self_unwritten_12 = self.unwritten
            ____self_unwritten_12[#____self_unwritten_12 + 1] = batch
            first = first + ____exports.MAX_BATCH
        end
    end
end
function Outbox.prototype.write(self, batch)
    local live = __TS__ArrayFilter(
        batch.items,
        function(____, delivery) return self.batchOf[delivery] == batch end
    )
    if #live == 0 and #batch.foreign == 0 then
        return nil
    end
    local ____error = self.options.store:set(
        batch.key,
        batchRecord(live, batch.foreign, self.options.codec.encode)
    )
    if ____error ~= nil then
        return ____error
    end
    batch.items = live
    batch.stored = #live + #batch.foreign
    return nil
end
function Outbox.prototype.shrink(self, batch, final)
    if __TS__ArrayIncludes(self.unwritten, batch) then
        return nil
    end
    local live = #__TS__ArrayFilter(
        batch.items,
        function(____, delivery) return self.batchOf[delivery] == batch end
    )
    if live == 0 and #batch.foreign == 0 then
        return self.options.store:set(batch.key, nil)
    end
    if not final and (live + #batch.foreign) * 2 > batch.stored then
        return nil
    end
    return self:write(batch)
end
function Outbox.prototype.report(self, errors)
    if #errors == 0 then
        if self.failing then
            self.failing = false
            self.options.log("info", "The outbox can be written again; it is up to date")
        end
        return
    end
    do
        local i = 0
        while i < #errors do
            self.options.metrics:storageError()
            i = i + 1
        end
    end
    self:schedule(10 * self.options.interval)
    if self.failing then
        return
    end
    self.failing = true
    self.options.log(
        "error",
        "Cannot write to Prosody's storage (%s); deliveries go on from memory and the outbox catches up once storage works",
        table.concat(errors, "; ")
    )
end
return ____exports
 end,
["src.delivery.durable_journal"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
--- The error a dead letter records for an event dropped over `api_max_pending`.
____exports.DROPPED_REASON = "dropped: more events were waiting than api_max_pending (or 16 MB of bodies) allows"
____exports.DurableJournal = __TS__Class()
local DurableJournal = ____exports.DurableJournal
DurableJournal.name = "DurableJournal"
function DurableJournal.prototype.____constructor(self, outbox, deadLetters, nowMs)
    self.outbox = outbox
    self.deadLetters = deadLetters
    self.nowMs = nowMs
end
function DurableJournal.prototype.recorded(self, delivery)
    self.outbox:record(delivery)
end
function DurableJournal.prototype.settled(self, delivery, outcome)
    if outcome.kind == "delivered" then
        self.outbox:settled(delivery)
        return
    end
    local function leaveOutbox()
        return self.outbox:settled(delivery)
    end
    if outcome.kind == "gave-up" then
        self.deadLetters:add(
            delivery,
            outcome.reason,
            outcome.code > 0 and outcome.code or nil,
            self.nowMs(),
            leaveOutbox
        )
    else
        self.deadLetters:add(
            delivery,
            ____exports.DROPPED_REASON,
            nil,
            self.nowMs(),
            leaveOutbox
        )
    end
    self.outbox:touch()
end
return ____exports
 end,
["src.prosody.outbox_metrics"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
function ____exports.createDurabilityMetrics()
    local size = module:measure("outbox_size", "amount", {description = "Events in the durable outbox (not yet delivered)"})
    local storageErrors = module:measure("storage_errors", "rate", {description = "Failed reads and writes of the outbox and dead letters"})
    local deadLetters = module:measure("dead_letters", "amount", {description = "Events given up and kept as dead letters"})
    local overflow = module:measure("dead_letters_dropped", "rate", {description = "Dead letters dropped over api_dead_letter_max"})
    local replayed = module:measure("replayed", "rate", {description = "Events sent again from the outbox after a start, or replayed dead letters"})
    return {
        outbox = {
            size = function(____, count) return size(count) end,
            storageError = function() return storageErrors() end
        },
        deadLetters = {
            count = function(____, value) return deadLetters(value) end,
            overflow = function() return overflow() end
        },
        replayed = function(count)
            do
                local i = 0
                while i < count do
                    replayed()
                    i = i + 1
                end
            end
        end
    }
end
return ____exports
 end,
["src.prosody.record_store"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local function errorText(err)
    local ____tostring_1 = tostring
    local ____err_0 = err
    if ____err_0 == nil then
        ____err_0 = "unknown storage error"
    end
    return ____tostring_1(____err_0)
end
function ____exports.openRecordStore(name)
    local store
    local openError
    local opened, raised = pcall(function()
        store, openError = module:open_store(name, "keyval")
    end)
    if not opened then
        return errorText(raised)
    end
    if store == nil then
        return errorText(openError)
    end
    local keyval = store
    return {
        set = function(self, key, record)
            local ok, result = pcall(function()
                local written, err = keyval:set(key, record)
                local ____temp_2
                if written == true then
                    ____temp_2 = nil
                else
                    ____temp_2 = errorText(err)
                end
                return ____temp_2
            end)
            local ____ok_3
            if ok then
                ____ok_3 = result
            else
                ____ok_3 = errorText(result)
            end
            return ____ok_3
        end,
        keys = function(self)
            local ok, result = pcall(function()
                local keys = {}
                for key in keyval:users() do
                    keys[#keys + 1] = key
                end
                return keys
            end)
            return ok and ({keys = result}) or ({error = errorText(result)})
        end,
        get = function(self, key)
            local ok, result = pcall(function()
                local value, err = keyval:get(key)
                return value == nil and err ~= nil and ({error = errorText(err)}) or ({record = value})
            end)
            return ok and result or ({error = errorText(result)})
        end
    }
end
return ____exports
 end,
["src.prosody.durability"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayFind = ____lualib.__TS__ArrayFind
local __TS__New = ____lualib.__TS__New
local ____exports = {}
local ____dead_letters = require("src.delivery.dead_letters")
local DeadLetters = ____dead_letters.DeadLetters
local ____durable_journal = require("src.delivery.durable_journal")
local DurableJournal = ____durable_journal.DurableJournal
local ____outbox = require("src.delivery.outbox")
local Outbox = ____outbox.Outbox
local ____durability_config = require("src.durability_config")
local OUTBOX_FLUSH_INTERVAL = ____durability_config.OUTBOX_FLUSH_INTERVAL
local ____crash_recovery = require("src.crash_recovery")
local closingEvents = ____crash_recovery.closingEvents
local ____json_encode = require("src.json_encode")
local createJsonEncoder = ____json_encode.createJsonEncoder
local ____room_journal = require("src.room_journal")
local RoomJournal = ____room_journal.RoomJournal
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____outbox_metrics = require("src.prosody.outbox_metrics")
local createDurabilityMetrics = ____outbox_metrics.createDurabilityMetrics
local ____record_store = require("src.prosody.record_store")
local openRecordStore = ____record_store.openRecordStore
--- Opens the outbox and dead-letter stores; undefined (logged) when storage cannot be opened.
function ____exports.openDurability(config, scheduler, log, nowMs)
    local outboxStore = openRecordStore(config.storeName)
    local deadStore = openRecordStore(config.storeName .. "_dead")
    local roomStore = openRecordStore(config.storeName .. "_rooms")
    if type(outboxStore) == "string" or type(deadStore) == "string" or type(roomStore) == "string" then
        local reason = __TS__ArrayFind(
            {outboxStore, deadStore, roomStore},
            function(____, store) return type(store) == "string" end
        )
        log("error", "Cannot open the outbox store %q (%s): undelivered events are kept in memory only", config.storeName, reason)
        return nil
    end
    local metrics = createDurabilityMetrics()
    local deadLetters = __TS__New(
        DeadLetters,
        deadStore,
        config.deadLetterMax,
        log,
        metrics.deadLetters
    )
    local loadError = deadLetters:load()
    if loadError ~= nil then
        metrics.outbox:storageError()
        log("error", "Cannot read the dead letters (%s): counting starts afresh", loadError)
    end
    local json = require("util.json")
    local array = require("util.array")
    local encode = createJsonEncoder({
        encode = function(value) return json.encode(value) end,
        null = json.null,
        arrayMeta = getmetatable(array())
    })
    local rooms = __TS__New(
        RoomJournal,
        roomStore,
        {
            encode = encode,
            decode = function(text) return json.decode(text) end
        }
    )
    local outbox = __TS__New(
        Outbox,
        {
            store = outboxStore,
            codec = {
                encode = encode,
                decode = function(text) return json.decode(text) end
            },
            scheduler = scheduler,
            interval = OUTBOX_FLUSH_INTERVAL,
            startedMs = nowMs(),
            log = log,
            metrics = metrics.outbox,
            writeFirst = function() return deadLetters:flush() end,
            writeLast = function()
                local ____error = rooms:flush()
                local ____temp_0
                if ____error == nil then
                    ____temp_0 = nil
                else
                    ____temp_0 = "rooms' state: " .. ____error
                end
                return ____temp_0
            end
        }
    )
    return {
        journal = __TS__New(DurableJournal, outbox, deadLetters, nowMs),
        outbox = outbox,
        deadLetters = deadLetters,
        rooms = rooms,
        metrics = metrics
    }
end
--- Priority of our `server-stopping` handler: after mod_c2s closed the sessions and waited (-100).
local AFTER_SESSIONS_CLOSED = -150
--- Seconds between checks whether every delivery is done while the server stops.
local SHUTDOWN_POLL = 0.05
--- On a graceful stop: waits (as mod_c2s does, with util.async, never blocking) until every
-- delivery is done or `timeout` has passed, then persists what is left.
function ____exports.hookShutdown(hooks)
    local ____hooks_1 = hooks
    local timeout = ____hooks_1.timeout
    local flushHeld = ____hooks_1.flushHeld
    local idle = ____hooks_1.idle
    local persist = ____hooks_1.persist
    local log = ____hooks_1.log
    local onStopping = guarded(
        log,
        "server-stopping",
        function()
            flushHeld()
            local async = require("util.async")
            if timeout > 0 and not idle() and async.ready() then
                local wait, done = async.waiter(1, true)
                local deadline = module:add_timer(
                    timeout,
                    function()
                        done()
                        return nil
                    end
                )
                local poll = module:add_timer(
                    SHUTDOWN_POLL,
                    function()
                        if not idle() then
                            return SHUTDOWN_POLL
                        end
                        done()
                        return nil
                    end
                )
                log(
                    "info",
                    "Stopping: giving the API up to %ss for the undelivered events",
                    tostring(timeout)
                )
                wait()
                deadline:stop()
                poll:stop()
            end
            persist()
            if not idle() then
                log("info", "Stopping with events undelivered: they are in the outbox for the next start")
            end
        end
    )
    module:hook_global(
        "server-stopping",
        function() return onStopping() end,
        AFTER_SESSIONS_CLOSED
    )
end
--- Seconds between attempts to read the outbox when storage failed at start.
local TAKE_OVER_RETRY = 1
--- Takes over what the previous run left: its undelivered events first, in their original
-- order; then, after a crash (not on a reload), the closing events of the rooms it had open.
-- When storage cannot be read at start (an SQL server still starting), it tries again every
-- second: those events then come after any newer ones. Returns the pipeline to publish through
-- (it also notes room changes in the journal) and the ids of the events taken over.
function ____exports.resumeDurable(durable, deps)
    local readOutbox, closeCrashed
    local ____deps_2 = deps
    local dispatcher = ____deps_2.dispatcher
    local tracker = ____deps_2.tracker
    local pipeline = ____deps_2.pipeline
    local log = ____deps_2.log
    local takenOver = {}
    --- Ids a reload handed over and this instance already delivers: read from the outbox, they only leave it.
    local handedOver = {}
    local publisher = {publish = function(self, events)
        pipeline:publish(events)
        durable.rooms:observe(events)
        if durable.rooms:pending() then
            durable.outbox:touch()
        end
    end}
    local outboxRead = false
    local function takeOver()
        if not outboxRead and not readOutbox() then
            return false
        end
        outboxRead = true
        if deps.reloading then
            return true
        end
        return closeCrashed()
    end
    readOutbox = function()
        local loaded = durable.outbox:load()
        if loaded.error ~= nil then
            return false
        end
        for ____, delivery in ipairs(loaded.deliveries) do
            do
                local __continue27
                repeat
                    if handedOver[delivery.eventId] ~= nil then
                        durable.outbox:settled(delivery)
                        __continue27 = true
                        break
                    end
                    takenOver[delivery.eventId] = true
                    dispatcher:adopt(delivery)
                    __continue27 = true
                until true
                if not __continue27 then
                    break
                end
            end
        end
        if #loaded.deliveries > 0 then
            log("info", "Delivering %d events kept in the outbox from before", #loaded.deliveries)
            durable.metrics.replayed(#loaded.deliveries)
        end
        return true
    end
    closeCrashed = function()
        local open = durable.rooms:openRooms()
        if open.error ~= nil then
            durable.metrics.outbox:storageError()
            log("error", "Cannot read which rooms were open before (%s): trying again", open.error)
            return false
        end
        if open.skipped > 0 then
            log("warn", "Skipped %d room records this version did not write", open.skipped)
        end
        if #open.rooms > 0 then
            log("info", "Closing %d rooms the previous run left open (the server went away)", #open.rooms)
            publisher:publish(closingEvents(
                tracker,
                open.rooms,
                deps.now()
            ))
            for ____, ____value in ipairs(open.rooms) do
                local room = ____value.room
                local live = tracker:table()[room.roomJid]
                if live ~= nil and live ~= room then
                    durable.rooms:keep(live)
                end
            end
        end
        return true
    end
    if not takeOver() then
        durable.rooms.holding = not deps.reloading
        local retry
        retry = function()
            if takeOver() then
                durable.rooms.holding = false
            else
                deps.scheduler:after(TAKE_OVER_RETRY, retry)
            end
        end
        deps.scheduler:after(TAKE_OVER_RETRY, retry)
    end
    return {publisher = publisher, takenOver = takenOver, handedOver = handedOver}
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
["src.prosody.headers"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayMap = ____lualib.__TS__ArrayMap
local ____exports = {}
local ____signing = require("src.delivery.signing")
local createSigner = ____signing.createSigner
local ____version = require("src.version")
local USER_AGENT = ____version.USER_AGENT
function ____exports.createHeaderBuilder(config)
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
    local headers = fixed
    return function(delivery)
        headers["webhook-id"] = delivery.eventId
        if sign ~= nil then
            local timestamp = os.time()
            headers["webhook-timestamp"] = string.format("%d", timestamp)
            headers["webhook-signature"] = sign(delivery.eventId, timestamp, delivery.body)
        end
        return headers
    end
end
return ____exports
 end,
["src.prosody.metrics"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__ArrayMap = ____lualib.__TS__ArrayMap
local __TS__Unpack = ____lualib.__TS__Unpack
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
    --- One counter per event type (looked up by the event's name, no string built per call).
    local function counters(counter)
        local byEvent = {}
        for ____, eventName in ipairs(EVENT_NAMES) do
            byEvent[eventName] = module:measure(
                (counter .. "_") .. metricSuffix(eventName),
                "rate"
            )
        end
        return byEvent
    end
    local produced, delivered, retried, gaveUp, dropped = __TS__Unpack(__TS__ArrayMap(
        COUNTERS,
        function(____, counter) return counters(counter) end
    ))
    local latency = module:measure("delivery_latency", "distribution", {unit = "seconds", description = "Time from a room event to its delivery to the API"})
    local pending = module:measure("pending", "amount", {description = "Deliveries in flight or waiting"})
    return {
        produced = function(____, eventName)
            local ____opt_0 = produced[eventName]
            return ____opt_0 and ____opt_0()
        end,
        delivered = function(____, eventName, latencySeconds)
            local ____opt_2 = delivered[eventName]
            if ____opt_2 ~= nil then
                ____opt_2()
            end
            latency(latencySeconds)
        end,
        retried = function(____, eventName)
            local ____opt_4 = retried[eventName]
            return ____opt_4 and ____opt_4()
        end,
        gaveUp = function(____, eventName)
            local ____opt_6 = gaveUp[eventName]
            return ____opt_6 and ____opt_6()
        end,
        dropped = function(____, eventName)
            local ____opt_8 = dropped[eventName]
            return ____opt_8 and ____opt_8()
        end,
        pending = function(____, value) return pending(value) end
    }
end
return ____exports
 end,
["src.prosody.first_sight"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__Class = ____lualib.__TS__Class
local ____exports = {}
--- Publishes room events, except that a room first seen through its first occupant's join is
-- held back briefly: Prosody fires `muc-room-created` right after that join, and Jitsi's
-- modules prepare the room (its meeting id) there, so the held `created` and `joined` are
-- published once `muc-room-created` has refreshed the room's facts (or on the next loop turn
-- for a room that is not new). Any other event of the room publishes what is held first.
____exports.FirstSightBuffer = __TS__Class()
local FirstSightBuffer = ____exports.FirstSightBuffer
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
return ____exports
 end,
["src.prosody.local_hosts"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____safe = require("src.safe")
local guarded = ____safe.guarded
function ____exports.forEachLocalHost(log, attach)
    local function visit(host)
        local ____opt_0 = hosts[host]
        if (____opt_0 and ____opt_0.type) == "local" then
            attach(host)
        end
    end
    for host in pairs(hosts) do
        visit(host)
    end
    module:hook_global(
        "host-activated",
        guarded(
            log,
            "host-activated",
            function(host) return visit(host) end
        )
    )
end
return ____exports
 end,
["src.prosody.room_facts"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____json_values = require("src.json_values")
local truncateUtf8 = ____json_values.truncateUtf8
local ____limits = require("src.limits")
local MAX_CLAIM_BYTES = ____limits.MAX_CLAIM_BYTES
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
--- A breakout room's display name: Jitsi's mod_muc_breakout_rooms keeps it on the main room
-- (`_data.breakout_rooms[breakout JID]`, the subject it gave the room; renames update it).
local function breakoutNameOf(main, breakoutJid)
    local breakouts = main._data.breakout_rooms
    if type(breakouts) ~= "table" then
        return nil
    end
    local name = breakouts[breakoutJid]
    return type(name) == "string" and name ~= "" and truncateUtf8(name, MAX_CLAIM_BYTES) or nil
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
    local ____temp_7
    if room.get_persistent ~= nil then
        ____temp_7 = room:get_persistent() == true
    else
        ____temp_7 = nil
    end
    local persistent = ____temp_7
    if mainMucHost == nil then
        return {
            meetingId = stringOf(room._data.meetingId),
            extraPayload = extraPayloadOf(room),
            persistent = persistent
        }
    end
    local main = findMainRoom(room, mainMucHost)
    local ____stringOf_result_9 = stringOf((main or room)._data.meetingId)
    local ____extraPayloadOf_result_10 = extraPayloadOf(room)
    local function ____temp_11()
        return breakoutInfo(room, mainMucHost)
    end
    local ____persistent_12 = persistent
    local ____temp_8
    if main ~= nil then
        ____temp_8 = breakoutNameOf(main, room.jid)
    else
        ____temp_8 = nil
    end
    return {
        meetingId = ____stringOf_result_9,
        extraPayload = ____extraPayloadOf_result_10,
        breakout = ____temp_11,
        persistent = ____persistent_12,
        breakoutName = ____temp_8
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
        local ____opt_13 = room.speakerStats
        local entry = ____opt_13 and ____opt_13[occupantJid]
        if type(entry) ~= "table" then
            return 0
        end
        local stats = entry
        local recorded = stats.totalDominantSpeakerTime
        local total = type(recorded) == "number" and recorded == recorded and math.abs(recorded) < math.huge and recorded or 0
        local start = stats._dominantSpeakerStart
        local open = type(start) == "number" and start > 0 and stats._isSilent ~= true and math.max(0, nowMs - start) or 0
        return math.floor(total + open)
    end
end
--- A room `room:destroy()` has ended (or is ending): `room.destroying` is set before its
-- occupants are cleared out. Another module may destroy a room from a handler running before
-- ours (a policy module refusing it at `muc-room-created`): its `muc-room-destroyed` was then
-- already reported, and an event reaching us now is about a dead room.
function ____exports.isDestroyed(room)
    return room.destroying ~= nil and room.destroying ~= false
end
return ____exports
 end,
["src.prosody.leave_watch"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____leave_reasons = require("src.leave_reasons")
local leaveReason = ____leave_reasons.leaveReason
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____local_hosts = require("src.prosody.local_hosts")
local forEachLocalHost = ____local_hosts.forEachLocalHost
local ____room_facts = require("src.prosody.room_facts")
local isDestroyed = ____room_facts.isDestroyed
--- Codes of each leaving occupant's broadcast, until its `muc-occupant-left`. Weak: nothing lingers.
local leavingCodes = setmetatable({}, {__mode = "k"})
local serverStopping = false
--- Sessions ending without a clean close of their stream (`resource-unbind` with an error or
-- none), until the unavailable presence it causes reaches the room. Weak: nothing lingers.
local lostSessions = setmetatable({}, {__mode = "k"})
local function statusCodesOf(x)
    local codes
    for status in x:childtags("status") do
        local code = status.attr.code
        if code ~= nil then
            if codes == nil then
                codes = {}
            end
            codes[code] = true
        end
    end
    return codes
end
--- Watches the sessions of every VirtualHost end, before mod_presence (priority 0) makes them
-- leave their rooms: a session that did not close its stream lost its connection.
function ____exports.watchSessionEnds(log)
    forEachLocalHost(
        log,
        function(host)
            module:context(host):hook(
                "resource-unbind",
                guarded(
                    log,
                    "resource-unbind",
                    function(____bindingPattern0)
                        local ____error
                        local session
                        session = ____bindingPattern0.session
                        ____error = ____bindingPattern0.error
                        if ____error ~= false then
                            lostSessions[session] = true
                        end
                    end
                ),
                10
            )
        end
    )
end
--- Watches the server stopping (once per load of the module).
function ____exports.watchServerStopping(log)
    serverStopping = false
    module:hook_global(
        "server-stopping",
        guarded(
            log,
            "server-stopping",
            function()
                serverStopping = true
            end
        ),
        1000
    )
end
--- Remembers the status codes of an unavailable presence the room broadcasts for a leaving
-- occupant (`occupant.role` is nil by then), for its `muc-occupant-left`.
function ____exports.noteLeaving(event)
    local codes = statusCodesOf(event.x)
    if codes ~= nil then
        leavingCodes[event.occupant] = codes
    end
end
--- Why the occupant of this `muc-occupant-left` left.
function ____exports.reasonOf(event, nickChange)
    local ____event_0 = event
    local room = ____event_0.room
    local occupant = ____event_0.occupant
    local stanza = ____event_0.stanza
    local origin = ____event_0.origin
    local codes = leavingCodes[occupant]
    leavingCodes[occupant] = nil
    return leaveReason({
        roomDestroying = isDestroyed(room),
        serverStopping = serverStopping,
        nickChange = nickChange,
        statusCodes = codes,
        statusText = stanza and stanza:get_child_text("status"),
        connectionLost = origin ~= nil and lostSessions[origin] == true,
        localClient = (origin and origin.type) == "c2s"
    })
end
--- The new in-room JID when a `muc-occupant-left` is really a nick change: the presence that
-- caused it is available (not `unavailable`) and addressed to another nick in the same room.
function ____exports.nickChangeTarget(occupant, stanza)
    if stanza == nil or stanza.name ~= "presence" or stanza.attr.type ~= nil then
        return nil
    end
    local to = stanza.attr.to
    return to ~= nil and to ~= occupant.nick and to or nil
end
return ____exports
 end,
["src.prosody.occupant_reader"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____occupant_traits = require("src.occupant_traits")
local affiliationOf = ____occupant_traits.affiliationOf
local displayNickOf = ____occupant_traits.displayNickOf
local participantIdOf = ____occupant_traits.participantIdOf
local roleOf = ____occupant_traits.roleOf
--- XEP-0172 User Nickname: the display name a client puts in its presence.
local NICK_NS = "http://jabber.org/protocol/nick"
--- The XEP-0172 display name in a presence, bounded; undefined when it has none.
function ____exports.displayNickIn(presence)
    return displayNickOf(presence and presence:get_child_text("nick", NICK_NS))
end
--- The traits of an occupant inside `room`, read from its current (join) presence.
function ____exports.traitsOf(room, occupant, kindOf)
    local presence = occupant:get_presence()
    return {
        role = roleOf(occupant.role),
        affiliation = affiliationOf(room:get_affiliation(occupant.bare_jid)),
        displayNick = ____exports.displayNickIn(presence),
        participantId = participantIdOf(occupant.nick),
        kind = kindOf(occupant.jid, presence)
    }
end
--- The traits after a nick change: the same person under another in-room JID (and maybe name).
function ____exports.renamedTraits(previous, newNick, presence)
    local ____roleOf_result_15 = roleOf(previous and previous.role)
    local ____affiliationOf_result_16 = affiliationOf(previous and previous.affiliation)
    local ____exports_displayNickIn_result_10 = ____exports.displayNickIn(presence)
    if ____exports_displayNickIn_result_10 == nil then
        local ____opt_6 = previous and previous.traits
        ____exports_displayNickIn_result_10 = ____opt_6 and ____opt_6.displayNick
    end
    local ____participantIdOf_result_17 = participantIdOf(newNick)
    local ____opt_11 = previous and previous.traits
    return {
        role = ____roleOf_result_15,
        affiliation = ____affiliationOf_result_16,
        displayNick = ____exports_displayNickIn_result_10,
        participantId = ____participantIdOf_result_17,
        kind = ____opt_11 and ____opt_11.kind or "participant"
    }
end
return ____exports
 end,
["src.prosody.lobby_watch"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____exclusions = require("src.exclusions")
local isFocusOccupant = ____exclusions.isFocusOccupant
local isHealthCheckRoom = ____exclusions.isHealthCheckRoom
local ____lobby = require("src.lobby")
local isAdmittedAffiliation = ____lobby.isAdmittedAffiliation
local isLobbyModerator = ____lobby.isLobbyModerator
local lobbyKnocked = ____lobby.lobbyKnocked
local lobbyLeaveReason = ____lobby.lobbyLeaveReason
local lobbyLeft = ____lobby.lobbyLeft
local lobbyRenamed = ____lobby.lobbyRenamed
local ____occupant_traits = require("src.occupant_traits")
local participantIdOf = ____occupant_traits.participantIdOf
local ____rooms = require("src.rooms")
local roomNameOf = ____rooms.roomNameOf
local ____leave_watch = require("src.prosody.leave_watch")
local nickChangeTarget = ____leave_watch.nickChangeTarget
local noteLeaving = ____leave_watch.noteLeaving
local reasonOf = ____leave_watch.reasonOf
local ____occupant_reader = require("src.prosody.occupant_reader")
local displayNickIn = ____occupant_reader.displayNickIn
local ____room_facts = require("src.prosody.room_facts")
local isDestroyed = ____room_facts.isDestroyed
local roomFactsOf = ____room_facts.roomFactsOf
--- The live main room of a lobby room on `mucHost`, if any.
local function mainRoomOf(lobbyRoom, mucHost)
    local ____lobbyRoom_main_room_jid_2 = lobbyRoom.main_room_jid
    if ____lobbyRoom_main_room_jid_2 == nil then
        local ____opt_0 = lobbyRoom.main_room
        ____lobbyRoom_main_room_jid_2 = ____opt_0 and ____opt_0.jid
    end
    local jid = ____lobbyRoom_main_room_jid_2 or (roomNameOf(lobbyRoom.jid) .. "@") .. mucHost
    local ____opt_3 = hosts[mucHost]
    local muc = ____opt_3 and ____opt_3.modules.muc
    local ____opt_5 = muc and muc.get_room_from_jid
    local main = ____opt_5 and ____opt_5(jid)
    return main ~= nil and not isHealthCheckRoom(main.jid) and main or nil
end
--- Whether the main room lets them in: a member (or better), or already inside.
local function admitted(main, occupant)
    if isAdmittedAffiliation(main:get_affiliation(occupant.bare_jid)) then
        return true
    end
    local ____this_10
    ____this_10 = main
    local ____opt_9 = ____this_10.get_occupant_by_real_jid
    return (____opt_9 and ____opt_9(____this_10, occupant.jid)) ~= nil
end
--- Reports the lobby rooms of one lobby host as events of their main rooms on `mucHost`.
function ____exports.watchLobby(on, mucHost, priorities, deps)
    local ____deps_11 = deps
    local tracker = ____deps_11.tracker
    local now = ____deps_11.now
    local identities = ____deps_11.identities
    local mainRooms = ____deps_11.mainRooms
    on(
        "muc-occupant-joined",
        priorities.event,
        function(____bindingPattern0)
            local origin
            local occupant
            local room
            room = ____bindingPattern0.room
            occupant = ____bindingPattern0.occupant
            origin = ____bindingPattern0.origin
            local main = mainRoomOf(room, mucHost)
            local buffer = mainRooms()
            if main == nil or buffer == nil or isDestroyed(main) or isDestroyed(room) or isFocusOccupant(occupant.bare_jid) then
                return
            end
            if isLobbyModerator(
                occupant.role,
                main:get_affiliation(occupant.bare_jid)
            ) then
                return
            end
            local visitor = {
                occupantJid = occupant.jid,
                participantId = participantIdOf(occupant.nick),
                displayNick = displayNickIn(occupant:get_presence()),
                identity = identities:of(origin),
                joinedAt = now()
            }
            buffer:publish(
                main.jid,
                lobbyKnocked(
                    tracker,
                    main.jid,
                    roomFactsOf(main, nil),
                    occupant.nick,
                    visitor
                )
            )
        end
    )
    on(
        "muc-broadcast-presence",
        priorities.event,
        function(event)
            if event.occupant.role == nil then
                noteLeaving(event)
            end
        end
    )
    on(
        "muc-occupant-left",
        priorities.left,
        function(event)
            local ____event_12 = event
            local room = ____event_12.room
            local occupant = ____event_12.occupant
            local newNick = nickChangeTarget(occupant, event.stanza)
            local leave = reasonOf(event, newNick ~= nil)
            local main = mainRoomOf(room, mucHost)
            local buffer = mainRooms()
            if main == nil or buffer == nil then
                return
            end
            if newNick ~= nil then
                lobbyRenamed(tracker, main.jid, occupant.nick, newNick)
                return
            end
            local reason = lobbyLeaveReason({
                leave = leave,
                admitted = leave ~= "room_destroyed" and admitted(main, occupant)
            })
            buffer:publish(
                main.jid,
                lobbyLeft(
                    tracker,
                    main.jid,
                    roomFactsOf(main, nil),
                    occupant.nick,
                    reason,
                    now()
                )
            )
        end
    )
end
return ____exports
 end,
["src.prosody.jibri_watch"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____jibri_sessions = require("src.jibri_sessions")
local endJibriSessions = ____jibri_sessions.endJibriSessions
local newJibriMemory = ____jibri_sessions.newJibriMemory
local noteJibriStatus = ____jibri_sessions.noteJibriStatus
local ____room_facts = require("src.prosody.room_facts")
local isDestroyed = ____room_facts.isDestroyed
local roomFactsOf = ____room_facts.roomFactsOf
--- jitsi-xmpp-extensions JibriIq.NAMESPACE, shared by RecordingStatus.
local JIBRI_NS = "http://jitsi.org/protocol/jibri"
--- Jicofo's `initiator` is the requester's in-room JID (jicofo BaseJibri: the start IQ comes
-- from the room): the occupant we track there, or the one inside now; a real JID is used as is.
local function actorOf(room, initiator, deps)
    if initiator == nil then
        return nil
    end
    local record = deps.tracker:occupant(room.jid, initiator)
    if record ~= nil then
        return {jid = record.occupantJid, identity = record.identity}
    end
    local bare = string.match(initiator, "^([^/]*)")
    local ____temp_2
    if bare == room.jid then
        local ____opt_0 = room:get_occupant_by_nick(initiator)
        ____temp_2 = ____opt_0 and ____opt_0.jid
    else
        ____temp_2 = initiator
    end
    local realJid = ____temp_2
    if realJid == nil then
        return nil
    end
    return {
        jid = realJid,
        identity = deps.identities:of(prosody.full_sessions[realJid])
    }
end
--- The events of these changes (after the room's `created`, if it was not tracked).
local function eventsOf(room, mainMucHost, changes, deps)
    local events = {}
    if #changes == 0 then
        return events
    end
    local state = deps.tracker:room(
        room.jid,
        roomFactsOf(room, mainMucHost),
        deps.now(),
        events
    )
    for ____, change in ipairs(changes) do
        local kind = change.kind
        local sessionId = change.sessionId
        local mode = change.mode
        local failureReason = change.failureReason
        local stopReason = change.stopReason
        events[#events + 1] = {
            kind = kind,
            room = state,
            session = {
                sessionId = sessionId,
                mode = mode,
                failureReason = failureReason,
                stopReason = stopReason,
                initiator = actorOf(room, change.initiator, deps)
            }
        }
    end
    return events
end
--- The memory of a tracked room, made on first use.
local function memoryOf(room, mainMucHost, deps, rooms)
    local events = {}
    local state = deps.tracker:room(
        room.jid,
        roomFactsOf(room, mainMucHost),
        deps.now(),
        events
    )
    if #events > 0 then
        rooms:publish(room.jid, events)
    end
    if state.jibri == nil then
        state.jibri = newJibriMemory()
    end
    return state.jibri
end
--- Returns the handler for focus's broadcast presences: a status element is noted; focus
-- leaving (the room destroyed, or Jicofo gone) stops every session still on.
function ____exports.jibriWatcher(mainMucHost, rooms, deps)
    return function(____bindingPattern0)
        local stanza
        local occupant
        local room
        room = ____bindingPattern0.room
        occupant = ____bindingPattern0.occupant
        stanza = ____bindingPattern0.stanza
        local changes
        if occupant.role == nil then
            local ____opt_3 = deps.tracker:table()[room.jid]
            local memory = ____opt_3 and ____opt_3.jibri
            if memory == nil or memory.focusNick ~= nil and memory.focusNick ~= occupant.nick then
                return
            end
            changes = endJibriSessions(
                memory,
                isDestroyed(room) and "room_destroyed" or "focus_left"
            )
        else
            local status = stanza:get_child("jibri-recording-status", JIBRI_NS)
            if status == nil then
                return
            end
            local memory = memoryOf(room, mainMucHost, deps, rooms)
            memory.focusNick = occupant.nick
            local change = noteJibriStatus(memory, {
                status = status.attr.status,
                sessionId = status.attr.session_id,
                recordingMode = status.attr.recording_mode,
                initiator = status.attr.initiator,
                failureReason = status.attr.failure_reason
            })
            changes = change == nil and ({}) or ({change})
        end
        local events = eventsOf(room, mainMucHost, changes, deps)
        if #events > 0 then
            rooms:publish(room.jid, events)
        end
    end
end
return ____exports
 end,
["src.role_changes"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____rooms = require("src.rooms")
local standingOf = ____rooms.standingOf
--- Records an occupant's role and affiliation as the room now has them, and returns a
-- `role-changed` event when either differs from what was recorded. Nothing for an occupant not
-- tracked (not yet joined, or leaving: a leave is not a role change).
function ____exports.roleChange(tracker, roomJid, facts, nick, now, actor, at)
    local occupant = tracker:occupant(roomJid, nick)
    if occupant == nil or now.role == nil then
        return {}
    end
    if occupant.role == now.role and occupant.affiliation == now.affiliation then
        return {}
    end
    local previousRole = occupant.role
    local previousAffiliation = occupant.affiliation
    occupant.role = now.role
    occupant.affiliation = now.affiliation
    local events = {}
    local room = tracker:room(roomJid, facts, at, events)
    events[#events + 1] = {
        kind = "role-changed",
        room = room,
        occupant = occupant,
        standing = standingOf(occupant),
        previousRole = previousRole,
        previousAffiliation = previousAffiliation,
        actor = actor
    }
    return events
end
return ____exports
 end,
["src.prosody.role_watch"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____occupant_traits = require("src.occupant_traits")
local affiliationOf = ____occupant_traits.affiliationOf
local roleOf = ____occupant_traits.roleOf
local ____role_changes = require("src.role_changes")
local roleChange = ____role_changes.roleChange
local ____room_facts = require("src.prosody.room_facts")
local roomFactsOf = ____room_facts.roomFactsOf
--- The actor of a broadcast: a real JID (and its session's identity); nothing when the server did it.
local function actorOf(actor, identities)
    if type(actor) ~= "string" then
        return nil
    end
    return {
        jid = actor,
        identity = identities:of(prosody.full_sessions[actor])
    }
end
--- Returns the handler for the broadcast presence of an occupant who stays inside: reports a
-- change of their role or affiliation.
function ____exports.roleWatcher(mainMucHost, rooms, deps)
    local ____deps_0 = deps
    local tracker = ____deps_0.tracker
    local now = ____deps_0.now
    local identities = ____deps_0.identities
    return function(____bindingPattern0)
        local actor
        local occupant
        local room
        room = ____bindingPattern0.room
        occupant = ____bindingPattern0.occupant
        actor = ____bindingPattern0.actor
        local current = tracker:occupant(room.jid, occupant.nick)
        if current == nil then
            return
        end
        local role = roleOf(occupant.role)
        local affiliation = affiliationOf(room:get_affiliation(occupant.bare_jid))
        if current.role == role and current.affiliation == affiliation then
            return
        end
        local facts = roomFactsOf(room, mainMucHost)
        rooms:publish(
            room.jid,
            roleChange(
                tracker,
                room.jid,
                facts,
                occupant.nick,
                {role = role, affiliation = affiliation},
                actorOf(actor, identities),
                now()
            )
        )
    end
end
return ____exports
 end,
["src.prosody.service_participants"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local configmanager = require("core.configmanager")
local ____exclusions = require("src.exclusions")
local focusRule = ____exclusions.focusRule
local isFocusOccupant = ____exclusions.isFocusOccupant
local ____service_kinds = require("src.service_kinds")
local isLeftOutKind = ____service_kinds.isLeftOutKind
local serviceKindOf = ____service_kinds.serviceKindOf
local TRANSCRIBER_FEATURE = "http://jitsi.org/protocol/transcriber"
local JIBRI_FEATURE = "http://jitsi.org/protocol/jibri"
local JIGASI_NS = "http://jitsi.org/protocol/jigasi"
--- util.lib.lua is_transcriber_jigasi / is_sip_jibri_join / is_sip_jigasi, as markers. One walk
-- over the presence's children finds what `get_child("features")`, `get_child("initiator",
-- JIGASI_NS)` and `get_child_text("email")` would (each the first match, by util.stanza's rule:
-- without a namespace, a child in the presence's own namespace or none), instead of three.
function ____exports.markersOf(realJid, presence)
    local features
    local jigasiInitiator = false
    local emailTag
    if presence ~= nil then
        local ownNs = presence.attr.xmlns
        for ____, child in ipairs(presence.tags) do
            local name = child.name
            local ns = child.attr.xmlns
            if name == "features" then
                if features == nil and (ns == ownNs or ns == nil) then
                    features = child
                end
            elseif name == "initiator" then
                if ns == JIGASI_NS then
                    jigasiInitiator = true
                end
            elseif name == "email" then
                if emailTag == nil and (ns == ownNs or ns == nil) then
                    emailTag = child
                end
            end
        end
    end
    local transcriberFeature = false
    local jibriFeature = false
    if features ~= nil then
        for feature in features:childtags() do
            if feature.attr.var == TRANSCRIBER_FEATURE then
                transcriberFeature = true
            end
            if feature.attr.var == JIBRI_FEATURE then
                jibriFeature = true
            end
        end
    end
    return {
        realJid = realJid,
        transcriberFeature = transcriberFeature,
        jibriFeature = jibriFeature,
        jigasiInitiator = jigasiInitiator,
        email = emailTag and emailTag:get_text()
    }
end
--- The bare JIDs of an `admins` option value (a list or a set-like table of JIDs).
local function jidsOf(value, into)
    if type(value) ~= "table" then
        return
    end
    for key, item in pairs(value) do
        if type(item) == "string" then
            into[#into + 1] = item
        elseif item == true and type(key) == "string" then
            into[#into + 1] = key
        end
    end
end
--- The admins of the MUC component itself (its own `admins` line, where Jitsi's configs name
-- Jicofo's account), not the server's global admins: a server admin joining a room from an
-- ordinary client, nick = account name, is a person. `module:get_option` would fall back to
-- the global `admins`; configmanager.rawget does not.
function ____exports.adminsOf(muc)
    local admins = {}
    jidsOf(
        configmanager.rawget(muc.host, "admins"),
        admins
    )
    return admins
end
--- The rules for one MUC host (its `admins` may differ from another's).
function ____exports.serviceParticipants(options, admins)
    local focus = focusRule(options.focusJids, admins)
    local function kindOf(realJid, presence)
        return serviceKindOf(
            ____exports.markersOf(realJid, presence),
            options.prefixes
        )
    end
    return {
        kindOf = kindOf,
        isFocus = function(occupant) return isFocusOccupant(occupant.jid, occupant.nick, focus) end,
        isLeftOut = function(occupant) return options.excludeServiceParticipants and isLeftOutKind(kindOf(
            occupant.jid,
            occupant:get_presence()
        )) end
    }
end
return ____exports
 end,
["src.prosody.muc_hooks"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__New = ____lualib.__TS__New
local __TS__ObjectAssign = ____lualib.__TS__ObjectAssign
local ____exports = {}
local ____exclusions = require("src.exclusions")
local isHealthCheckRoom = ____exclusions.isHealthCheckRoom
local ____identity = require("src.identity")
local IdentityCache = ____identity.IdentityCache
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____first_sight = require("src.prosody.first_sight")
local FirstSightBuffer = ____first_sight.FirstSightBuffer
local ____leave_watch = require("src.prosody.leave_watch")
local nickChangeTarget = ____leave_watch.nickChangeTarget
local noteLeaving = ____leave_watch.noteLeaving
local reasonOf = ____leave_watch.reasonOf
local ____lobby_watch = require("src.prosody.lobby_watch")
local watchLobby = ____lobby_watch.watchLobby
local ____jibri_watch = require("src.prosody.jibri_watch")
local jibriWatcher = ____jibri_watch.jibriWatcher
local ____occupant_reader = require("src.prosody.occupant_reader")
local renamedTraits = ____occupant_reader.renamedTraits
local traitsOf = ____occupant_reader.traitsOf
local ____role_watch = require("src.prosody.role_watch")
local roleWatcher = ____role_watch.roleWatcher
local ____service_participants = require("src.prosody.service_participants")
local adminsOf = ____service_participants.adminsOf
local serviceParticipants = ____service_participants.serviceParticipants
local ____room_facts = require("src.prosody.room_facts")
local forgetBreakoutRoom = ____room_facts.forgetBreakoutRoom
local isDestroyed = ____room_facts.isDestroyed
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
--- Hooks on `muc` whose handlers never throw into Prosody.
local function hookOn(muc, log)
    return function(name, priority, handler) return muc:hook(
        name,
        guarded(log, name, handler),
        priority
    ) end
end
--- Hooks one MUC host. `mainMucHost` is undefined for the main MUC itself and names it when
-- `muc` is the breakout rooms component.
local function hookMucHost(muc, mainMucHost, deps, identities)
    local ____deps_0 = deps
    local tracker = ____deps_0.tracker
    local log = ____deps_0.log
    local now = ____deps_0.now
    local nowMs = ____deps_0.nowMs
    local rooms = __TS__New(FirstSightBuffer, deps.pipeline, deps.defer)
    local on = hookOn(muc, log)
    local function speakerTime(room)
        return speakerTimeOf(
            room,
            deps.includeSpeakerStats,
            nowMs()
        )
    end
    local services = serviceParticipants(
        deps.services,
        adminsOf(muc)
    )
    on(
        "muc-room-created",
        ROOM_EVENT_PRIORITY,
        function(____bindingPattern0)
            local room
            room = ____bindingPattern0.room
            if isHealthCheckRoom(room.jid) or isDestroyed(room) then
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
            if isHealthCheckRoom(room.jid) or isDestroyed(room) or services.isFocus(occupant) or services.isLeftOut(occupant) then
                return
            end
            local joining = {
                nick = occupant.nick,
                occupantJid = occupant.jid,
                identity = identities:of(origin),
                traits = traitsOf(room, occupant, services.kindOf)
            }
            rooms:publish(
                room.jid,
                tracker:occupantJoined(
                    room.jid,
                    roomFactsOf(room, mainMucHost),
                    joining,
                    now()
                )
            )
        end
    )
    on(
        "muc-occupant-left",
        OCCUPANT_LEFT_PRIORITY,
        function(event)
            local ____event_1 = event
            local room = ____event_1.room
            local occupant = ____event_1.occupant
            local origin = ____event_1.origin
            local stanza = ____event_1.stanza
            if isHealthCheckRoom(room.jid) or services.isFocus(occupant) then
                return
            end
            local at = now()
            local facts = roomFactsOf(room, mainMucHost)
            local newNick = nickChangeTarget(occupant, stanza)
            local realJid = stanza and stanza.attr.from or origin and origin.full_jid
            local renamed = newNick ~= nil and realJid ~= nil
            local previous = tracker:occupant(room.jid, occupant.nick)
            if previous == nil and services.isLeftOut(occupant) then
                return
            end
            rooms:publish(
                room.jid,
                tracker:occupantLeft(
                    room.jid,
                    facts,
                    occupant.nick,
                    reasonOf(event, renamed),
                    speakerTime(room),
                    at
                )
            )
            if renamed then
                local traits = renamedTraits(previous, newNick, stanza)
                rooms:publish(
                    room.jid,
                    tracker:occupantJoined(
                        room.jid,
                        facts,
                        {
                            nick = newNick,
                            occupantJid = realJid,
                            identity = identities:of(origin),
                            traits = traits
                        },
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
    local roleChanged = roleWatcher(mainMucHost, rooms, {tracker = tracker, now = now, identities = identities})
    local jibriChanged = jibriWatcher(mainMucHost, rooms, {tracker = tracker, now = now, identities = identities})
    on(
        "muc-broadcast-presence",
        ROOM_EVENT_PRIORITY,
        function(event)
            if isHealthCheckRoom(event.room.jid) then
                return
            end
            if services.isFocus(event.occupant) then
                jibriChanged(event)
            elseif event.occupant.role == nil then
                noteLeaving(event)
            else
                roleChanged(event)
            end
        end
    )
    return rooms
end
--- The active hosts that run mod_muc, sorted: what a mistyped MUC option could have meant.
local function mucHostNames()
    local names = {}
    for name, host in pairs(hosts) do
        if host.modules.muc ~= nil then
            names[#names + 1] = name
        end
    end
    table.sort(names)
    return names
end
--- Calls `attach` for `host` now if it is active, and again whenever it is (re)activated.
-- Hooks placed through `module:context(host)` are removed when our module unloads. When the
-- host is still missing once the server runs (the first turn of its main loop comes after
-- every configured host was activated), `option` most likely names a host that does not exist:
-- one warning says so.
local function whenActive(host, option, deps, attach)
    local log = deps.log
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
        return
    end
    log("info", "Waiting for %s to be activated", host)
    deps.defer(function()
        if hosts[host] ~= nil then
            return
        end
        local known = mucHostNames()
        log(
            "warn",
            "%s = %q: no such host is active, so nothing of it is reported (MUC components on this server: %s); fix the option and reload the module",
            option,
            host,
            #known > 0 and table.concat(known, ", ") or "none"
        )
    end)
end
--- Reports the rooms of `mucHost`, of `breakoutHost` (Jitsi breakout rooms) and the lobbies of
-- `lobbyHost` (Jitsi lobby rooms) when given. Returns a function that publishes every event
-- still held back (call it before a reload).
function ____exports.watchMucHosts(mucHost, breakoutHost, deps, lobbyHost)
    local buffers = {}
    local mainRooms
    local identities = __TS__New(IdentityCache, deps.includeUserInfo)
    whenActive(
        mucHost,
        "muc_component",
        deps,
        function(api)
            deps.log("info", "Reporting room events of %s", mucHost)
            mainRooms = hookMucHost(api, nil, deps, identities)
            buffers[#buffers + 1] = mainRooms
        end
    )
    if breakoutHost ~= nil then
        whenActive(
            breakoutHost,
            "breakout_component",
            deps,
            function(api)
                deps.log("info", "Reporting breakout room events of %s", breakoutHost)
                buffers[#buffers + 1] = hookMucHost(api, mucHost, deps, identities)
            end
        )
    end
    if lobbyHost ~= nil then
        local priorities = {event = ROOM_EVENT_PRIORITY, left = OCCUPANT_LEFT_PRIORITY}
        whenActive(
            lobbyHost,
            "lobby_component",
            deps,
            function(api)
                deps.log("info", "Reporting lobby events of %s", lobbyHost)
                watchLobby(
                    hookOn(api, deps.log),
                    mucHost,
                    priorities,
                    __TS__ObjectAssign(
                        {},
                        deps,
                        {
                            identities = identities,
                            mainRooms = function() return mainRooms end
                        }
                    )
                )
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
["src.prosody.warm_up"] = function(...) 
--[[ Generated with https://github.com/TypeScriptToLua/TypeScriptToLua ]]
local ____exports = {}
local ____safe = require("src.safe")
local guarded = ____safe.guarded
local ____local_hosts = require("src.prosody.local_hosts")
local forEachLocalHost = ____local_hosts.forEachLocalHost
--- After everything else Prosody does at a login: nothing of ours runs before it.
local AFTER_LOGIN = -100
function ____exports.warmOnLogin(log, warm)
    forEachLocalHost(
        log,
        function(host)
            module:context(host):hook(
                "resource-bind",
                guarded(
                    log,
                    "resource-bind",
                    function() return warm() end
                ),
                AFTER_LOGIN
            )
        end
    )
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
["src.main"] = function(...) 
local ____lualib = require("lualib_bundle")
local __TS__New = ____lualib.__TS__New
local __TS__Unpack = ____lualib.__TS__Unpack
local __TS__SparseArrayNew = ____lualib.__TS__SparseArrayNew
local __TS__SparseArrayPush = ____lualib.__TS__SparseArrayPush
local __TS__SparseArraySpread = ____lualib.__TS__SparseArraySpread
local ____exports = {}
local ____config = require("src.config")
local readConfig = ____config.readConfig
local ____keepalive_transport = require("src.delivery.keepalive_transport")
local createKeepAliveTransport = ____keepalive_transport.createKeepAliveTransport
local ____net_http_transport = require("src.delivery.net_http_transport")
local createNetHttpTransport = ____net_http_transport.createNetHttpTransport
local ____room_queues = require("src.delivery.room_queues")
local Dispatcher = ____room_queues.Dispatcher
local ____url = require("src.delivery.url")
local describeUrl = ____url.describeUrl
local eventUrl = ____url.eventUrl
local ____event_names = require("src.event_names")
local EVENT_PATHS = ____event_names.EVENT_PATHS
local ____durability_config = require("src.durability_config")
local readDurabilityConfig = ____durability_config.readDurabilityConfig
local ____limits = require("src.limits")
local MAX_PENDING_BYTES = ____limits.MAX_PENDING_BYTES
local ____event_ids = require("src.event_ids")
local createIdSource = ____event_ids.createIdSource
local ____json_encode = require("src.json_encode")
local createJsonEncoder = ____json_encode.createJsonEncoder
local ____pipeline = require("src.pipeline")
local createPipeline = ____pipeline.createPipeline
local ____admin_commands = require("src.admin_commands")
local AdminCommands = ____admin_commands.AdminCommands
local ____admin_shell = require("src.prosody.admin_shell")
local registerAdminCommands = ____admin_shell.registerAdminCommands
local ____durability = require("src.prosody.durability")
local hookShutdown = ____durability.hookShutdown
local openDurability = ____durability.openDurability
local resumeDurable = ____durability.resumeDurable
local ____headers = require("src.prosody.headers")
local createHeaderBuilder = ____headers.createHeaderBuilder
local ____metrics = require("src.prosody.metrics")
local createModuleMetrics = ____metrics.createModuleMetrics
local ____muc_hooks = require("src.prosody.muc_hooks")
local watchMucHosts = ____muc_hooks.watchMucHosts
local ____leave_watch = require("src.prosody.leave_watch")
local watchServerStopping = ____leave_watch.watchServerStopping
local watchSessionEnds = ____leave_watch.watchSessionEnds
local ____warm_up = require("src.prosody.warm_up")
local warmOnLogin = ____warm_up.warmOnLogin
local ____scheduler = require("src.prosody.scheduler")
local createModuleScheduler = ____scheduler.createModuleScheduler
local ____rooms = require("src.rooms")
local RoomTracker = ____rooms.RoomTracker
local ____version = require("src.version")
local VERSION = ____version.VERSION
local json = require("util.json")
local array = require("util.array")
local random = require("util.random")
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
        base64Encode = base64Encode,
        backend = require("net.server").get_backend(),
        clock = time.monotonic or time.now
    })
end
local function start(config, durability)
    local tracker = __TS__New(RoomTracker)
    local scheduler = createModuleScheduler(log)
    local ____durability_outbox_1
    if durability.outbox then
        ____durability_outbox_1 = openDurability(durability, scheduler, log, nowMs)
    else
        ____durability_outbox_1 = nil
    end
    local durable = ____durability_outbox_1
    local transport = createTransport(config, scheduler)
    local dispatcher = __TS__New(
        Dispatcher,
        {
            journal = durable and durable.journal,
            transport = transport,
            scheduler = scheduler,
            apiPrefix = config.apiPrefix,
            policy = {retryCount = config.retryCount, shouldRetryForCode = config.shouldRetryForCode},
            backoff = {mode = config.retryBackoff, initialDelay = config.retryDelay, maxDelay = config.retryMaxDelay},
            timeout = config.apiTimeout,
            maxPending = config.maxPending,
            maxPendingBytes = MAX_PENDING_BYTES,
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
        encode = createJsonEncoder({
            encode = function(value) return json.encode(value) end,
            null = json.null,
            arrayMeta = getmetatable(array())
        }),
        asJsonArray = array,
        newId = createIdSource(function(count) return random.bytes(count) end),
        nowMs = nowMs
    })
    local ____temp_4
    if durable == nil then
        ____temp_4 = nil
    else
        ____temp_4 = resumeDurable(
            durable,
            {
                dispatcher = dispatcher,
                tracker = tracker,
                pipeline = pipeline,
                scheduler = scheduler,
                log = log,
                now = function() return os.time() end,
                reloading = module.reloading == true
            }
        )
    end
    local resumed = ____temp_4
    local publisher = resumed and resumed.publisher or pipeline
    local function flushHeld()
        return nil
    end
    module.save = function()
        flushHeld()
        if durable ~= nil then
            durable.outbox:flush(true)
        end
        return {
            rooms = tracker:table(),
            pending = dispatcher:pending()
        }
    end
    module.restore = function(state)
        if (next(state)) == nil then
            return
        end
        local saved = savedStateOf(state)
        if saved == nil then
            log("warn", "The previous instance handed over state this version does not understand; starting afresh")
            return
        end
        tracker:adopt(saved.rooms)
        if durable ~= nil then
            durable.rooms:handedOver(saved.rooms)
        end
        for ____, delivery in ipairs(saved.pending) do
            if (resumed and resumed.takenOver[delivery.eventId] ~= nil) ~= true then
                if resumed ~= nil then
                    resumed.handedOver[delivery.eventId] = true
                end
                dispatcher:adopt(delivery, durable ~= nil)
            end
        end
    end
    local unregisterShell = registerAdminCommands(__TS__New(
        AdminCommands,
        {
            host = module.host,
            api = describeUrl(config.apiPrefix),
            dispatcher = dispatcher,
            durable = durable and ({
                outbox = durable.outbox,
                deadLetters = durable.deadLetters,
                replayed = durable.metrics.replayed,
                flush = function() return durable.outbox:flush() end,
                holds = function(delivery) return durable.outbox:holds(delivery) end
            })
        }
    ))
    module.unload = function()
        unregisterShell()
        if module.reloading ~= true then
            if durable ~= nil then
                durable.rooms:forget(tracker:table())
            end
        end
        if durable ~= nil then
            durable.outbox:flush(true)
        end
        if durable ~= nil then
            durable.outbox:stop()
        end
        dispatcher:stop()
    end
    flushHeld = watchMucHosts(
        config.mucComponent,
        config.breakoutComponent,
        {
            tracker = tracker,
            pipeline = publisher,
            log = log,
            now = function() return os.time() end,
            nowMs = nowMs,
            includeUserInfo = config.includeUserInfo,
            includeSpeakerStats = config.includeSpeakerStats,
            defer = function(callback) return scheduler:after(0, callback) end,
            services = config.services
        },
        config.lobbyComponent
    )
    watchServerStopping(log)
    watchSessionEnds(log)
    local warmUrl = eventUrl(config.apiPrefix, EVENT_PATHS["muc-occupant-joined"])
    if transport.warm ~= nil then
        warmOnLogin(
            log,
            function()
                local ____opt_21 = transport.warm
                return ____opt_21 and ____opt_21(transport, warmUrl)
            end
        )
    end
    hookShutdown({
        timeout = durability.shutdownTimeout,
        flushHeld = function() return flushHeld() end,
        idle = function() return dispatcher:undelivered() == 0 end,
        persist = function() return durable and durable.outbox:flush(true) end,
        log = log
    })
    local signed = #config.signingSecrets > 0 and " (signed)" or ""
    log(
        "info",
        "event_sync %s posting to %s%s",
        VERSION,
        describeUrl(config.apiPrefix),
        signed
    )
end
local function readOption(name)
    return module:get_option(name)
end
local result = readConfig(readOption)
local durabilityResult = readDurabilityConfig(readOption)
if result.ok and #durabilityResult.errors == 0 then
    for ____, warning in ipairs(result.warnings) do
        log("warn", "%s", warning)
    end
    start(result.config, durabilityResult.config)
else
    local ____array_25 = __TS__SparseArrayNew(__TS__Unpack(result.ok and ({}) or result.errors))
    __TS__SparseArrayPush(
        ____array_25,
        __TS__Unpack(durabilityResult.errors)
    )
    local errors = {__TS__SparseArraySpread(____array_25)}
    module:log_status(
        "error",
        "Not reporting any events until the configuration is fixed: %s",
        table.concat(errors, "; ")
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
