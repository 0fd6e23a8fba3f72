/**
 * Prints README's performance table rows from a results file:
 *   node --import tsx bench/table.ts bench/results/latest-0.12.json
 */
import { readFileSync } from "node:fs";

interface Row {
  id: string;
  label: string;
  prosodyCpuSeconds: number;
  overheadRatio?: number;
  cpuPerWebhookMs?: number;
  webhooks: { delivered: number; expected: number | null } | null;
  latencyFromJoinCompleteMs: { p50?: number; p99?: number };
}

const file = process.argv[2] ?? "bench/results/latest-0.12.json";
const results = JSON.parse(readFileSync(file, "utf8")) as { configurations: Row[]; luaCost?: { moduleInstructionsPerWebhook: number }; machine: { prosodyVersion: string } };
const ms = (v: number | undefined): string => (v === undefined ? "–" : Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v} ms`);
console.log(`Prosody ${results.machine.prosodyVersion}`);
console.log("| | Prosody CPU | added CPU | per webhook | webhooks | join→webhook p50 / p99 |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of results.configurations) {
  if (r.id === "x") continue;
  const added = r.overheadRatio === undefined ? "" : `${r.overheadRatio >= 0 ? "+" : ""}${(100 * r.overheadRatio).toFixed(0)}%`;
  const per = r.cpuPerWebhookMs === undefined ? "" : `${r.cpuPerWebhookMs.toFixed(2)} ms`;
  const hooks = r.webhooks === null ? "" : `${r.webhooks.delivered} / ${r.webhooks.expected ?? "?"}`;
  const lat = r.webhooks === null ? "" : `${ms(r.latencyFromJoinCompleteMs.p50)} / ${ms(r.latencyFromJoinCompleteMs.p99)}`;
  console.log(`| (${r.id}) ${r.label} | ${r.prosodyCpuSeconds.toFixed(2)} s | ${added} | ${per} | ${hooks} | ${lat} |`);
}
if (results.luaCost !== undefined) console.log(`\nLua instructions per webhook (x): ${results.luaCost.moduleInstructionsPerWebhook}`);
