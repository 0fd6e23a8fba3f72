-- luacheck configuration: `luacheck spec` (and `luacheck .`, which skips generated/vendored code).
std = "max"
exclude_files = { "dist/", "release/", "coverage/", "node_modules/", "spec/e2e/", ".git/" }
max_line_length = 140
-- busted specs and their helpers
files["spec"] = { std = "+busted" }
-- Prosody modules used by the end-to-end suite run inside Prosody's module environment
files["spec/prosody_modules"] = { globals = { "module" }, read_globals = { "prosody", "hosts" } }
files["bench/prosody_modules"] = { globals = { "module" }, read_globals = { "prosody", "hosts" } }
files[".busted"] = { std = "max" }
files[".luacheckrc"] = { globals = { "std", "exclude_files", "max_line_length", "files" } }
