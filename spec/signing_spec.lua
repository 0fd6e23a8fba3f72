-- Standard Webhooks signatures (api_signing_secret): webhook-id / webhook-timestamp /
-- webhook-signature headers, secret validation, secrets kept out of the log.
--
-- Signing uses Prosody's C modules util.hashes and util.encodings, which Debian builds for
-- Lua 5.4 only: the describes that sign are tagged #prosody_c and .busted leaves them out on
-- Lua 5.1 and LuaJIT. Secret validation happens before those modules are loaded, so its specs
-- run everywhere.
local E = require "spec.helpers.prosody_env"

local MUC = E.MUC

-- The Standard Webhooks spec's published test vector (standard-webhooks/standard-webhooks,
-- spec/standard-webhooks.md and every reference library's tests).
local VECTOR = {
	secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	id = "msg_p5jXN8AQM9LWM0D4loKWxJek",
	timestamp = 1614265330,
	body = '{"test": 2432232314}',
	signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
-- A second secret, with base64 padding: "0123456789abcdef0123456789abcdef".
local SECRET2 = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

local function total_hooks(p)
	local n = 0
	for host in pairs(p.hooks) do n = n + p:hook_count(host) end
	return n
end

local function signed(options, opts)
	opts = opts or {}
	opts.options = E.options(options)
	return E.new(opts)
end

--- The C libraries, loaded only inside #prosody_c blocks.
local function libs()
	return require "util.hashes", require("util.encodings").base64
end

--- The expected `v1,<sig>` of one secret over id.timestamp.body, computed independently of
-- the module from the secret as configured.
local function expected_signature(secret, id, timestamp, body)
	local hashes, base64 = libs()
	local key = base64.decode((secret:gsub("^whsec_", "")))
	return "v1," .. base64.encode(hashes.hmac_sha256(key, id .. "." .. timestamp .. "." .. body))
end

local function split_spaces(s)
	local out = {}
	for part in s:gmatch("[^ ]+") do out[#out + 1] = part end
	return out
end

describe("the Standard Webhooks test vector #prosody_c", function()
	it("createSigner of the built bundle (module src.delivery.signing) gives the published signature", function()
		-- The bundle's own module table (see E.bundle_require): the exact signing code that ships,
		-- given Prosody's HMAC and base64 as main.ts gives them.
		local hashes, base64 = libs()
		local signing = E.bundle_require()("src.delivery.signing")
		local key = base64.decode(signing.secretBase64(VECTOR.secret))
		local sign = signing.createSigner({ key }, {
			hmacSha256 = function(k, m) return hashes.hmac_sha256(k, m) end,
			base64Encode = base64.encode,
		})
		assert.are.equal(VECTOR.signature, sign(VECTOR.id, VECTOR.timestamp, VECTOR.body))
	end)

	it("the loaded module signs its id, time and exact body as the vector's algorithm does", function()
		-- The whole module as Prosody runs it, the clock at the vector's timestamp.
		local p = signed({ api_signing_secret = VECTOR.secret }, { now = VECTOR.timestamp })
		assert.are.same({}, p:error_statuses())
		p:fire(MUC, "muc-room-created", { room = E.room("vector") })
		local req = p:request(1)
		local body = E.json.decode(req.body)
		assert.are.equal("vector@" .. MUC, body.room_jid)
		assert.are.equal(body.event_id, req.headers["webhook-id"])
		assert.are.equal(tostring(VECTOR.timestamp), req.headers["webhook-timestamp"])
		assert.are.equal(expected_signature(VECTOR.secret, body.event_id, VECTOR.timestamp, req.body), req.headers["webhook-signature"])
	end)
end)

describe("signed requests #prosody_c", function()
	it("carry webhook-id, webhook-timestamp (Unix seconds) and a signature over the exact body sent", function()
		local p = signed({ api_signing_secret = VECTOR.secret }, { now = VECTOR.timestamp })
		local room = E.room("signed")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, E.session(alice.jid, { name = "Alice" }), true)
		p:deliver_all()
		assert.are.equal(2, #p.requests)
		for i, req in ipairs(p.requests) do
			local h = req.headers
			assert.are.equal(p:body(i).event_id, h["webhook-id"])
			assert.are.equal("1614265330", h["webhook-timestamp"])
			assert.are.equal(req.body, req.options.body) -- what net.http sends is what was signed
			assert.are.equal(expected_signature(VECTOR.secret, h["webhook-id"], h["webhook-timestamp"], req.options.body),
				h["webhook-signature"])
			-- and it is not a signature of anything else (another body, id or time)
			assert.are_not.equal(expected_signature(VECTOR.secret, h["webhook-id"], h["webhook-timestamp"], req.body .. " "),
				h["webhook-signature"])
			assert.are.equal("application/json", h["Content-Type"])
		end
		assert.are_not.equal(p.requests[1].headers["webhook-signature"], p.requests[2].headers["webhook-signature"])
	end)

	it("webhook-timestamp is integer seconds even when the clock is between seconds", function()
		local p = signed({ api_signing_secret = VECTOR.secret }, { now = VECTOR.timestamp + 0.75 })
		p:fire(MUC, "muc-room-created", { room = E.room("frac") })
		local h = p:request(1).headers
		assert.are.equal("1614265330", h["webhook-timestamp"])
		assert.are.equal(expected_signature(VECTOR.secret, h["webhook-id"], "1614265330", p:request(1).body),
			h["webhook-signature"])
	end)

	it("a retry keeps webhook-id and body but is signed again with the time of that attempt", function()
		local p = signed({ api_signing_secret = VECTOR.secret, api_retry_backoff = "fixed", api_retry_delay = 7 })
		p:fire(MUC, "muc-room-created", { room = E.room("resigned") })
		p:respond(1, 503)
		p:advance(7)
		local first, second = p:request(1), p:request(2)
		assert.are.equal(first.body, second.body)
		assert.are.equal(first.headers["webhook-id"], second.headers["webhook-id"])
		assert.are.equal(tostring(E.START), first.headers["webhook-timestamp"])
		assert.are.equal(tostring(E.START + 7), second.headers["webhook-timestamp"])
		assert.are.equal(expected_signature(VECTOR.secret, second.headers["webhook-id"], E.START + 7, second.body),
			second.headers["webhook-signature"])
	end)

	it("two secrets (rotation) give two space-separated signatures, in the configured order", function()
		for _, secrets in ipairs({ { VECTOR.secret, SECRET2 }, { SECRET2, VECTOR.secret } }) do
			local p = signed({ api_signing_secret = secrets })
			p:fire(MUC, "muc-room-created", { room = E.room("rotate") })
			local req = p:request(1)
			local h = req.headers
			assert.are.same({
				expected_signature(secrets[1], h["webhook-id"], h["webhook-timestamp"], req.body),
				expected_signature(secrets[2], h["webhook-id"], h["webhook-timestamp"], req.body),
			}, split_spaces(h["webhook-signature"]))
			assert.are.equal(1, select(2, h["webhook-signature"]:gsub(" ", " ")))
		end
	end)

	it("a one-item list is the same as a single secret", function()
		local p = signed({ api_signing_secret = { VECTOR.secret } }, { now = VECTOR.timestamp })
		p:fire(MUC, "muc-room-created", { room = E.room("one") })
		local req = p:request(1)
		assert.are.equal(expected_signature(VECTOR.secret, req.headers["webhook-id"], VECTOR.timestamp, req.body),
			req.headers["webhook-signature"])
	end)

	it("says it signs in the startup log, and never logs a secret whatever happens", function()
		local p = signed({
			api_signing_secret = { VECTOR.secret, SECRET2 },
			api_timeout = 2, retry_count = 1, api_retry_backoff = "fixed",
		})
		local signs = false
		for _, m in ipairs(p:logs_at("info")) do
			if m:find("(signed)", 1, true) then signs = true end
		end
		assert.is_true(signs)
		local room = E.room("quiet")
		local alice = E.occupant(room, "a", "alice@example.com/r")
		p:join(room, alice, nil, true)
		p:respond(1, 500)
		p:advance(1)
		p:advance(2) -- timeout of the retry: given up
		p:respond(3, 404)
		p:reload():unload()
		assert.is_true(#p:logs_at("warn") >= 2)
		for _, entry in ipairs(p.world.all_logs) do
			for _, secret in ipairs({ VECTOR.secret, SECRET2 }) do
				local body = secret:gsub("^whsec_", "")
				assert.is_nil(entry.message:find(body, 1, true), entry.message)
			end
		end
	end)
end)

describe("unsigned requests", function()
	it("have webhook-id but no timestamp or signature, and never load the C libraries", function()
		local p = E.new()
		p:fire(MUC, "muc-room-created", { room = E.room("plain") })
		local h = p:request(1).headers
		assert.are.equal(p:body(1).event_id, h["webhook-id"])
		assert.is_nil(h["webhook-timestamp"])
		assert.is_nil(h["webhook-signature"])
		for _, name in ipairs(p.required) do
			assert.are_not.equal("util.hashes", name)
			assert.are_not.equal("util.encodings", name)
		end
	end)
end)

describe("a malformed api_signing_secret", function()
	local cases = {
		{ "a character outside base64", "whsec_MfKQ9r8GKYqr*wjUPD8ILPZIo2LaLaSw" },
		{ "a length that is not a multiple of 4", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS" },
		{ "padding in the middle", "whsec_MfKQ9r8GKY==TwjUPD8ILPZIo2LaLaSw" },
		{ "nothing after whsec_", "whsec_" },
		{ "a bad second entry of a list", { VECTOR.secret, "whsec_Zm9v!mFy" } },
		{ "a number", 12345678 },
		{ "a list with a non-string", { VECTOR.secret, 42 } },
		{ "an empty list (would silently turn signing off)", {} },
		{ "named keys instead of a list", { current = VECTOR.secret } },
	}
	for _, case in ipairs(cases) do
		local what, value = case[1], case[2]
		it("(" .. what .. ") is one config error naming it, without echoing the secret; nothing is hooked", function()
			local p = signed({ api_signing_secret = value })
			local errors = p:error_statuses()
			assert.are.equal(1, #errors)
			assert.truthy(errors[1]:find("'api_signing_secret'", 1, true), errors[1])
			assert.are.equal(1, #p:logs_at("error"))
			assert.are.equal(0, total_hooks(p))
			p:fire(MUC, "muc-room-created", { room = E.room("ignored") })
			assert.are.equal(0, #p.requests)
			local secrets = type(value) == "table" and value or { value }
			for _, secret in ipairs(secrets) do
				local body = tostring(secret):gsub("^whsec_", "")
				if body ~= "" then
					for _, entry in ipairs(p.logs) do assert.is_nil(entry.message:find(body, 1, true), entry.message) end
					for _, s in ipairs(p.statuses) do assert.is_nil(s.message:find(body, 1, true), s.message) end
				end
			end
		end)
	end

	it("names the bad entry of a list by position", function()
		local p = signed({ api_signing_secret = { VECTOR.secret, "whsec_Zm9v!mFy" } })
		local errors = p:error_statuses()
		assert.are.equal(1, #errors)
		assert.truthy(errors[1]:find("entry 2", 1, true), errors[1])
	end)
end)
