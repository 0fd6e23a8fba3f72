/**
 * The cost measure that machine noise cannot hide: Lua VM instructions that run while
 * mod_event_sync_component is on Prosody's stack, counted by the bench-only module
 * bench/prosody_modules/mod_bench_lua_cost.lua (a count hook sampling every `period`
 * instructions). Per delivered webhook it is repeatable within a few percent from run to run,
 * whatever else the host is doing; CPU seconds on this VM are not.
 */
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { resolve } from "node:path";
import type { ProsodyInstance, ProsodyOptions } from "../spec/e2e/helpers/prosody.js";

export interface LuaCounts {
  /** Instructions Prosody's Lua ran since the counting module loaded (sampled: a multiple of period). */
  readonly total: number;
  /** Of those, the ones run while our module was on the stack. */
  readonly ours: number;
  readonly period: number;
}

export interface LuaCost {
  /** Instructions in the measurement window, all of Prosody. */
  readonly totalInstructions: number;
  /** Instructions in the window with mod_event_sync_component on the stack. */
  readonly moduleInstructions: number;
  /** moduleInstructions / webhooks delivered. */
  readonly moduleInstructionsPerWebhook: number;
  readonly samplePeriod: number;
}

/** What a Prosody needs to load the counting module (add to startProsody's options). */
export function luaCostProsodyOptions(): Pick<ProsodyOptions, "extraPluginDirs" | "extraModules"> {
  return { extraPluginDirs: [resolve("bench/prosody_modules")], extraModules: ["bench_lua_cost"] };
}

/**
 * One function of the profile, in instructions: `self` while it was running, `total` while it
 * was the module's innermost function on the stack (what it ran, library calls included). A row
 * `f > g` counts the samples where the module's innermost function f had g running.
 */
export interface LuaProfileRow {
  /** `file:line` where the function is defined, or `[C] name`. */
  readonly fn: string;
  readonly self: number;
  readonly total: number;
}

/** The module's own instructions by function since load (for finding where they go), heaviest first. */
export async function readLuaProfile(prosody: ProsodyInstance): Promise<LuaProfileRow[]> {
  const rows = await getJson(prosody, "/bench_lua_cost/profile");
  return Array.isArray(rows) ? (rows as LuaProfileRow[]) : []; // util.json writes an empty list as {}
}

/** The profile's growth between two readings, per webhook, the `limit` heaviest functions by total. */
export function luaProfileBetween(before: readonly LuaProfileRow[], after: readonly LuaProfileRow[], webhooks: number, limit: number): LuaProfileRow[] {
  const old = new Map(before.map((row) => [row.fn, row]));
  const per = (n: number): number => (webhooks > 0 ? Math.round(n / webhooks) : 0);
  return after
    .map((row) => ({ fn: row.fn, self: per(row.self - (old.get(row.fn)?.self ?? 0)), total: per(row.total - (old.get(row.fn)?.total ?? 0)) }))
    .filter((row) => row.total > 0 || row.self > 0)
    .sort((p, q) => q.total - p.total)
    .slice(0, limit);
}

/** The counts so far, from the module's HTTP route on the VirtualHost. */
export async function readLuaCounts(prosody: ProsodyInstance): Promise<LuaCounts> {
  const parsed = (await getJson(prosody, "/bench_lua_cost")) as LuaCounts;
  if (typeof parsed.total !== "number" || typeof parsed.ours !== "number") throw new Error("bench_lua_cost: no counts");
  return parsed;
}

function getJson(prosody: ProsodyInstance, path: string): Promise<unknown> {
  return new Promise((resolveCounts, reject) => {
    const req = request({ host: "127.0.0.1", port: prosody.httpPort, path, headers: { Host: "localhost" } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      res.on("end", () => {
        try {
          resolveCounts(JSON.parse(body) as unknown);
        } catch {
          reject(new Error(`${path} answered ${String(res.statusCode)}: ${body.slice(0, 200)}`));
        }
      });
    });
    req.on("error", reject);
    req.end();
  });
}

export function luaCostBetween(before: LuaCounts, after: LuaCounts, webhooks: number): LuaCost {
  const moduleInstructions = after.ours - before.ours;
  return {
    totalInstructions: after.total - before.total,
    moduleInstructions,
    moduleInstructionsPerWebhook: webhooks > 0 ? Math.round(moduleInstructions / webhooks) : 0,
    samplePeriod: after.period,
  };
}

/**
 * Compares a run's instructions per webhook with the committed figure in `baselineFile`
 * (a results JSON with `luaCost.moduleInstructionsPerWebhook`). Returns a failure message when
 * it grew by more than `tolerance` (0.25 = 25%), else undefined; no baseline, no verdict.
 */
export function luaCostRegression(current: LuaCost, baselineFile: string, tolerance: number): { baseline?: number; failure?: string } {
  if (!existsSync(baselineFile)) return {};
  const baseline = (JSON.parse(readFileSync(baselineFile, "utf8")) as { luaCost?: LuaCost }).luaCost?.moduleInstructionsPerWebhook;
  if (baseline === undefined || baseline <= 0) return {};
  const growth = current.moduleInstructionsPerWebhook / baseline - 1;
  if (growth <= tolerance) return { baseline };
  return {
    baseline,
    failure: `Lua instructions per webhook grew ${(100 * growth).toFixed(0)}% (${current.moduleInstructionsPerWebhook} against the committed ${baseline} in ${baselineFile}; more than ${(100 * tolerance).toFixed(0)}% fails)`,
  };
}
