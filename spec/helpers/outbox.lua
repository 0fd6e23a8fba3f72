-- Shared by the outbox specs: an instance with the durable outbox on, and views of what the
-- fake keyval storage (spec/helpers/prosody_env.lua M.keyval_store) holds.
local E = require "spec.helpers.prosody_env"

local M = {}

M.STORE = "event_sync_outbox"

function M.options(extra)
	local o = E.options({ api_outbox = true })
	for k, v in pairs(extra or {}) do o[k] = v end
	return o
end

function M.new(extra)
	return E.new({ options = M.options(extra) })
end

--- The records of a store (the outbox by default), sorted by key: { key =, value = }.
function M.records(p, name)
	local store = (p.world.storage[E.COMPONENT] or {})[name or M.STORE] or {}
	local keys = {}
	for key in pairs(store) do keys[#keys + 1] = key end
	table.sort(keys)
	local out = {}
	for _, key in ipairs(keys) do out[#out + 1] = { key = key, value = store[key] } end
	return out
end

--- The deliveries a stored batch holds: format 2 keeps them as one JSON text.
function M.deliveries(record)
	local value = record.value or record
	if value.deliveries_json ~= nil then return E.json.decode(value.deliveries_json) end
	return value.deliveries
end

--- Every event id the outbox holds, in record order.
function M.stored_ids(p)
	local ids = {}
	for _, record in ipairs(M.records(p)) do
		for _, delivery in ipairs(M.deliveries(record)) do ids[#ids + 1] = delivery.event_id end
	end
	return ids
end

--- set() calls on the outbox's store (the rooms' state and dead letters have their own).
function M.outbox_writes(p)
	return p.world.writes_by_store[M.STORE] or 0
end

function M.created(p, name)
	p:fire(E.MUC, "muc-room-created", { room = E.room(name) })
end

return M
