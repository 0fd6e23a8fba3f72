-- A room another module destroys while it is being created (a policy module refusing it from
-- its own muc-room-created or muc-occupant-joined handler, which runs before ours): Prosody's
-- room:destroy() sets room.destroying, clears the room (muc-occupant-left for everyone) and
-- fires muc-room-destroyed, all before our handler of the event being fired sees it.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

--- A policy module destroying every room named `name` from `event` at priority 10 (ours: -2).
local function refuse_rooms(p, event, name)
	local policy = { on = true }
	p:hook_other(MUC, event, function(e)
		local room = e.room
		if not policy.on or room.jid:match("^[^@]*") ~= name or room.destroying then return end
		local inside = room._inside or {}
		p.world.instance:destroy(room, inside)
	end, 10)
	return policy
end

describe("a room destroyed while it is being created", function()
	it("is reported created, joined, left, destroyed once: no phantom created after its destroyed", function()
		local p = E.new()
		refuse_rooms(p, "muc-room-created", "refused")
		local room = E.room("refused")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		room._inside = { alice }
		p:join(room, alice, E.session(alice.jid), true) -- joined, then muc-room-created destroys it
		p:deliver_all()
		p:advance(1)
		p:deliver_all()
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed",
		}, p:event_names())
	end)

	it("is not tracked afterwards: the name's next life is announced with created", function()
		local p = E.new()
		local policy = refuse_rooms(p, "muc-room-created", "refused")
		local dead = E.room("refused")
		local alice = E.occupant(dead, "a", "alice@example.com/r1")
		dead._inside = { alice }
		p:join(dead, alice, E.session(alice.jid), true)
		p:deliver_all()
		policy.on = false -- the policy lets the name through now: a new room object, as mod_muc makes
		p:advance(60)
		local room = E.room("refused")
		local bob = E.occupant(room, "b", "bob@example.com/r2")
		p:join(room, bob, E.session(bob.jid), true)
		p:deliver_all()
		p:advance(1)
		p:deliver_all()
		assert.are.same({
			"muc-room-created", "muc-occupant-joined", "muc-occupant-left", "muc-room-destroyed",
			"muc-room-created", "muc-occupant-joined",
		}, p:event_names())
		assert.are.equal(E.START + 60, p:body(5).created_at) -- this life's created, not a phantom's
		assert.are.equal(bob.jid, p:body(6).occupant.occupant_jid)
	end)

	it("a join into a room destroyed by an earlier muc-occupant-joined handler is not reported", function()
		local p = E.new()
		refuse_rooms(p, "muc-occupant-joined", "refused")
		local room = E.room("refused")
		local alice = E.occupant(room, "a", "alice@example.com/r1")
		room._inside = { alice }
		p:join(room, alice, E.session(alice.jid), true)
		p:deliver_all()
		p:advance(1)
		p:deliver_all()
		-- destroyed before we saw anything of it: nothing to report (as for a refused room)
		assert.are.same({}, p:event_names())
	end)
end)
