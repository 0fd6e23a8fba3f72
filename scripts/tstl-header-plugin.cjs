// TSTL plugin: puts a header on the bundle naming the module, its version and where it
// comes from, and refuses to build when src/version.ts disagrees with package.json.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const versionSource = fs.readFileSync(path.join(root, "src", "version.ts"), "utf8");
const match = versionSource.match(/export const VERSION = "([^"]+)"/);
if (!match || match[1] !== pkg.version) {
  throw new Error(`src/version.ts VERSION (${match && match[1]}) must equal package.json version (${pkg.version})`);
}

const header = [
  `-- mod_event_sync_component ${pkg.version}`,
  "-- Posts Prosody MUC room and occupant events to an HTTP API.",
  "-- GENERATED FILE: built by TypeScriptToLua from src/*.ts. Do not edit; edit the sources.",
  "",
].join("\n");

module.exports = {
  beforeEmit(program, options, emitHost, result) {
    for (const file of result) {
      file.code = header + file.code;
    }
  },
};
