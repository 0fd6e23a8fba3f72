/**
 * Reads the profile of a results file written with --profile (configuration x), per webhook:
 * the module's functions by what they ran themselves and through the libraries they called
 * (each named by its line in dist/), then every function by its own instructions; with --callees
 * PATTERN, what the module's functions matching PATTERN had running.
 *
 *   node --import tsx bench/profile.ts bench/results/burst-0.12.json [--callees dist:4076] [--top 30]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { LuaProfileRow } from "./lua_cost.js";

const { values, positionals } = parseArgs({ options: { callees: { type: "string" }, top: { type: "string", default: "30" } }, allowPositionals: true });
const file = positionals[0];
if (file === undefined) {
  console.error("usage: node --import tsx bench/profile.ts RESULTS.json [--callees PATTERN] [--top N]");
  process.exit(2);
}
const results = JSON.parse(readFileSync(file, "utf8")) as { configurations: { id: string; luaProfile?: LuaProfileRow[] }[] };
const rows = results.configurations.find((c) => c.luaProfile !== undefined)?.luaProfile;
if (rows === undefined) {
  console.error(`${file} has no profile (run configuration x with --profile)`);
  process.exit(1);
}
const dist = readFileSync("dist/mod_event_sync_component.lua", "utf8").split("\n");
const describe = (fn: string): string => {
  const line = /mod_event_sync_component\.lua:(\d+)$/.exec(fn)?.[1];
  return line === undefined ? fn.replace(/^.*\/(usr\/lib|root\/usr\/lib)\//, "") : `dist:${line} ${(dist[Number(line) - 1] ?? "").trim().slice(0, 80)}`;
};
const top = Number(values.top);
const print = (list: LuaProfileRow[]): void => {
  for (const row of list.slice(0, top)) console.log(`${String(row.total).padStart(7)} ${String(row.self).padStart(6)}  ${row.fn.split(" > ").map(describe).join("  >  ")}`);
};
const plain = rows.filter((r) => !r.fn.includes(" > "));
if (values.callees === undefined) {
  console.log("module functions, instructions per webhook: total (innermost module function on the stack), self (running)");
  print(plain.filter((r) => r.total > 0));
  console.log("\nevery function by its own instructions (self)");
  print([...plain].sort((p, q) => q.self - p.self));
} else {
  const pattern = values.callees;
  console.log(`what ${pattern} had running, instructions per webhook`);
  print(rows.filter((r) => r.fn.includes(" > ") && describe(r.fn.split(" > ")[0] ?? "").includes(pattern)));
}
