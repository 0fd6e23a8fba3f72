/**
 * Hand-written SVG charts of bench results (no chart library).
 *
 *   node --import tsx bench/chart.ts bench/results/latest-0.12.json   # rewrites bench/results/latest-0.12.svg
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** What the charts need of a load result (see run.ts for the full shape). */
export interface ChartLoadResult {
  readonly parameters: { clients: number; cycles: number; rooms: number; transport: string };
  readonly machine: { cpuModel: string; nproc: number; prosodyVersion: string; date: string; gitCommit: string };
  readonly configurations: readonly {
    id: string;
    label: string;
    prosodyCpuSeconds: number;
    wallSeconds: number;
    webhooks: { delivered: number; expected: number | null } | null;
    latencyFromJoinCompleteMs: { p50?: number; p99?: number };
    latencyFromJoinSentMs: { p50?: number; p99?: number };
  }[];
}

export interface ChartRoomSizeResult {
  readonly parameters: { fills: number[]; pairs: number };
  readonly machine: { cpuModel: string; nproc: number; prosodyVersion: string; date: string; gitCommit: string };
  readonly rows: readonly { config: string; label: string; fill: number; cpuMsPerPair: number; addedCpuMsPerPair?: number }[];
}

const COLORS = ["#8c8c8c", "#2b6cb0", "#dd6b20", "#38a169"];

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (n: number | undefined, digits = 2): string => (n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits));

/** A "nice" upper bound for an axis (1, 2, 5 × 10^k). */
function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

interface Bar {
  readonly label: string;
  readonly value: number | undefined;
  readonly color: string;
  readonly note?: string;
}

/** One panel: vertical bars in groups, with a y axis, at (x, y) of size w × h. */
function panel(x: number, y: number, w: number, h: number, title: string, unit: string, groups: { name: string; bars: Bar[] }[]): string {
  const top = 34;
  const bottom = 46;
  const left = 52;
  const plotH = h - top - bottom;
  const plotW = w - left - 10;
  const max = niceMax(Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0))));
  const out: string[] = [`<g transform="translate(${x},${y})">`];
  out.push(`<text x="${w / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const yy = top + plotH - (plotH * i) / 4;
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${yy}" y2="${yy}" stroke="#e2e2e2"/>`);
    out.push(`<text x="${left - 6}" y="${yy + 4}" text-anchor="end" font-size="11">${esc(Number(v.toPrecision(3)).toString())}</text>`);
  }
  out.push(`<text transform="translate(12,${top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(unit)}</text>`);
  const groupW = plotW / Math.max(1, groups.length);
  groups.forEach((g, gi) => {
    const barW = Math.min(48, (groupW - 16) / Math.max(1, g.bars.length));
    const start = left + gi * groupW + (groupW - barW * g.bars.length) / 2;
    g.bars.forEach((b, bi) => {
      const bx = start + bi * barW;
      const v = b.value ?? 0;
      const bh = (plotH * v) / max;
      out.push(`<rect x="${bx + 2}" y="${top + plotH - bh}" width="${barW - 4}" height="${bh}" fill="${b.color}"><title>${esc(`${g.name} ${b.label}: ${fmt(b.value)} ${unit}`)}</title></rect>`);
      out.push(`<text x="${bx + barW / 2}" y="${top + plotH - bh - 4}" text-anchor="middle" font-size="10">${esc(b.note ?? fmt(b.value))}</text>`);
      if (g.bars.length > 1) out.push(`<text x="${bx + barW / 2}" y="${top + plotH + 13}" text-anchor="middle" font-size="10">${esc(b.label)}</text>`);
    });
    out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${top + plotH + (g.bars.length > 1 ? 28 : 16)}" text-anchor="middle" font-size="11">${esc(g.name)}</text>`);
  });
  out.push(`<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`);
  out.push("</g>");
  return out.join("\n");
}

function frame(width: number, height: number, title: string, subtitle: string, body: string[], legend: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="16" y="42" font-size="11" fill="#555">${esc(subtitle)}</text>`,
    ...body,
    ...legend.map((l, i) => `<text x="16" y="${height - 10 - (legend.length - 1 - i) * 14}" font-size="11" fill="#333">${esc(l)}</text>`),
    "</svg>",
    "",
  ].join("\n");
}

export function loadChart(r: ChartLoadResult): string {
  const cfgs = r.configurations;
  const p = r.parameters;
  const cpu = panel(0, 54, 400, 300, "Prosody CPU seconds (whole run)", "CPU s", [
    {
      name: "",
      bars: cfgs.map((c, i) => ({ label: c.id, value: c.prosodyCpuSeconds, color: COLORS[i % COLORS.length]!, note: `${c.id}: ${fmt(c.prosodyCpuSeconds)}` })),
    },
  ]);
  const withHooks = cfgs.filter((c) => c.latencyFromJoinCompleteMs.p50 !== undefined);
  const lat = panel(
    410,
    54,
    400,
    300,
    "join complete → joined webhook (ms)",
    "ms",
    ["p50", "p99"].map((q) => ({
      name: q,
      bars: withHooks.map((c) => {
        const i = cfgs.indexOf(c);
        const v = q === "p50" ? c.latencyFromJoinCompleteMs.p50 : c.latencyFromJoinCompleteMs.p99;
        return { label: c.id, value: v, color: COLORS[i % COLORS.length]! };
      }),
    })),
  );
  const legend = cfgs.map(
    (c) =>
      `${c.id} = ${c.label}: ${fmt(c.prosodyCpuSeconds)} CPU s over ${fmt(c.wallSeconds)} s wall, ${c.webhooks ? `webhooks ${c.webhooks.delivered}/${c.webhooks.expected ?? "–"}` : "no webhooks"}` +
      (c.latencyFromJoinCompleteMs.p50 !== undefined
        ? `, latency p50/p99 ${fmt(c.latencyFromJoinCompleteMs.p50, 0)}/${fmt(c.latencyFromJoinCompleteMs.p99, 0)} ms`
        : ""),
  );
  const m = r.machine;
  return frame(
    820,
    370 + legend.length * 14 + 10,
    `event_sync load: ${p.clients} clients × ${p.cycles} cycles × ${p.rooms} rooms (${p.transport})`,
    `${m.cpuModel}, ${m.nproc} cores, Prosody ${m.prosodyVersion}, ${m.date.slice(0, 19)}Z, ${m.gitCommit.slice(0, 10)}`,
    [cpu, lat],
    legend,
  );
}

export function roomSizeChart(r: ChartRoomSizeResult): string {
  const configs = [...new Set(r.rows.map((row) => row.config))];
  const fills = [...new Set(r.rows.map((row) => row.fill))];
  const raw = panel(
    0,
    54,
    400,
    300,
    `Prosody CPU per join+leave pair (ms)`,
    "ms",
    fills.map((f) => ({
      name: `${f} occupants`,
      bars: configs.map((c, i) => ({ label: c, value: r.rows.find((row) => row.config === c && row.fill === f)?.cpuMsPerPair, color: COLORS[i % COLORS.length]! })),
    })),
  );
  const added = panel(
    410,
    54,
    400,
    300,
    `added by event_sync, per pair (ms)`,
    "ms",
    fills.map((f) => ({
      name: `${f} occupants`,
      bars: configs
        .filter((c) => c !== "a")
        .map((c) => ({
          label: c,
          value: r.rows.find((row) => row.config === c && row.fill === f)?.addedCpuMsPerPair,
          color: COLORS[configs.indexOf(c) % COLORS.length]!,
        })),
    })),
  );
  const labels = configs.map((c) => `${c} = ${r.rows.find((row) => row.config === c)?.label ?? c}`);
  const m = r.machine;
  return frame(
    820,
    370 + labels.length * 14 + 10,
    `event_sync cost vs room size: ${r.parameters.pairs} join/leave pairs into a room of ${fills.join(" vs ")}`,
    `${m.cpuModel}, ${m.nproc} cores, Prosody ${m.prosodyVersion}, ${m.date.slice(0, 19)}Z, ${m.gitCommit.slice(0, 10)}`,
    [raw, added],
    labels,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const file = process.argv[2] ?? "bench/results/latest-0.12.json";
  const data = JSON.parse(readFileSync(file, "utf8")) as { mode?: string };
  const svg = data.mode === "room-size" ? roomSizeChart(data as unknown as ChartRoomSizeResult) : loadChart(data as unknown as ChartLoadResult);
  const out = file.replace(/\.json$/, ".svg");
  writeFileSync(out, svg);
  console.log(`wrote ${out}`);
}
