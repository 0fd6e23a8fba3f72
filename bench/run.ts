/**
 * Load benchmark of mod_event_sync_component: the same workload against fresh Prosodies with
 * (a) no event module, (b) our component with default options, (c) our component with
 * `api_keepalive = false`; Prosody's CPU from /proc/<pid>/stat. See bench/README.md.
 *
 *   node --experimental-websocket --import tsx bench/run.ts --size standard     # 200 × 8 × 10
 *   node --experimental-websocket --import tsx bench/run.ts --size smoke        # CI: exits 1 on a missing webhook
 *   node --experimental-websocket --import tsx bench/run.ts --room-size         # 5 vs 1000 occupants
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { LuaValue, ProsodyInstance, prosodyVersion, startProsody } from "../spec/e2e/helpers/prosody.js";
import { storageOptions } from "../spec/e2e/helpers/storage.js";
import { LuaCost, luaCostBetween, luaCostProsodyOptions, luaCostRegression, LuaProfileRow, luaProfileBetween, readLuaCounts, readLuaProfile } from "./lua_cost.js";
import { connectClient, TestClient } from "../spec/e2e/helpers/xmpp.js";
import { loadChart, roomSizeChart } from "./chart.js";
import {
  BenchReceiver,
  cpuSeconds,
  machineCpu,
  machineInfo,
  MachineInfo,
  memoryMiB,
  openFilesHardLimit,
  openFilesSoftLimit,
  percentile,
  pluginDirs,
  prng,
  sleep,
  startBenchReceiver,
  Tally,
} from "./lib.js";

// ---------------------------------------------------------------------------------------------
// Options

const { values: args } = parseArgs({
  options: {
    size: { type: "string" },
    clients: { type: "string" },
    cycles: { type: "string" },
    rooms: { type: "string" },
    "stay-min": { type: "string", default: "50" },
    "stay-max": { type: "string", default: "150" },
    configs: { type: "string" },
    transport: { type: "string", default: "tcp" },
    seed: { type: "string", default: "1" },
    timeout: { type: "string", default: "120" },
    "log-level": { type: "string", default: "info" },
    out: { type: "string" },
    "room-size": { type: "boolean", default: false },
    fill: { type: "string", default: "5,1000" },
    pairs: { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
    repeat: { type: "string", default: "1" },
    "cost-baseline": { type: "string" },
    burst: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    alloc: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
  strict: true,
});

const USAGE = `usage: node --experimental-websocket --import tsx bench/run.ts [options]
  --size smoke|standard   presets: smoke = 10 clients × 2 cycles × 3 rooms (exits 1 on any missing
                          or extra webhook); standard = 200 × 8 × 10 (default)
  --clients N --cycles K --rooms M   override the preset
  --stay-min MS --stay-max MS        time in the room per cycle, uniform random (50..150)
  --configs a,b,c,d,e,f,x which Prosody configurations (default all; room-size: a,b): a no module,
                          b defaults (outbox on internal files), c api_keepalive = false,
                          d api_pipeline_depth = 1, e api_outbox = false, f outbox on SQLite,
                          x is b with the Lua instruction counter (bench/lua_cost.ts), its CPU
                          not comparable
  --burst                 the burst workload: every client sends its join in the same instant,
                          all leave once all are in, 200 ms pause, cycles back to back
                          (results: bench/results/burst-V)
  --profile               x also records where its instructions go, per function (printed, and in
                          the JSON as luaProfile); slows x further, so its count may differ
  --alloc                 x counts bytes allocated instead of instructions (Lua's GC stopped in
                          x's Prosody; a window's allocation goes to the module when its frame is
                          on the stack at the window's end: an estimate, biased upwards)
  --cost-baseline FILE    fail (exit 1) when x's Lua instructions per webhook exceed FILE's
                          committed luaCost figure by more than 25%
  --transport tcp|websocket          client transport (default tcp: lighter on both sides)
  --seed S                workload PRNG seed (default 1)
  --repeat R              run the configurations R times, interleaved (a b c d a b c d …), and report
                          the median run of each by Prosody CPU (default 1)
  --timeout S             seconds to wait for the webhooks after the workload (default 120)
  --log-level L           Prosody log level (default info, as a production server)
  --out PREFIX            results file prefix (default bench/results/latest-V, smoke: …/smoke-V,
                          room-size: …/room-size-V, V the Prosody version); writes PREFIX.json
                          and PREFIX.svg
Environment: PROSODY=13 runs on Prosody 13 (scripts/prosody13.sh), else on Debian's 0.12.
  --room-size             the room-size mode instead: --fill 5,1000 --pairs 50 --rounds 3`;

if (args.help === true) {
  console.log(USAGE);
  process.exit(0);
}
if (args.alloc === true && args["cost-baseline"] !== undefined) {
  console.error("--alloc counts bytes, not the instructions a cost baseline holds: use one or the other");
  process.exit(2);
}

const int = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${String(value)}\n${USAGE}`);
    process.exit(2);
  }
  return n;
};

const roomSizeMode = args["room-size"] === true;
const size = args.size ?? (roomSizeMode ? "room-size" : "standard");
const PRESETS: Record<string, { clients: number; cycles: number; rooms: number }> = {
  smoke: { clients: 10, cycles: 2, rooms: 3 },
  standard: { clients: 200, cycles: 8, rooms: 10 },
  "room-size": { clients: 0, cycles: 0, rooms: 1 },
};
const preset = PRESETS[size];
if (preset === undefined) {
  console.error(`unknown --size ${size}\n${USAGE}`);
  process.exit(2);
}
const clients = args.clients !== undefined ? int("clients", args.clients) : preset.clients;
const cycles = args.cycles !== undefined ? int("cycles", args.cycles) : preset.cycles;
const rooms = Math.max(1, args.rooms !== undefined ? int("rooms", args.rooms) : preset.rooms);
const stayMin = int("stay-min", args["stay-min"]);
const stayMax = Math.max(stayMin, int("stay-max", args["stay-max"]));
const transport = args.transport === "websocket" ? "websocket" : "tcp";
const seed = int("seed", args.seed);
const timeoutMs = int("timeout", args.timeout) * 1000;
const logLevel = (["debug", "info", "warn", "error"].includes(args["log-level"] ?? "") ? args["log-level"] : "info") as "debug" | "info" | "warn" | "error";
const fills = (args.fill ?? "5,1000").split(",").map((f) => int("fill", f));
const pairs = Math.max(1, int("pairs", args.pairs));
const rounds = Math.max(1, int("rounds", args.rounds));
const repeat = Math.max(1, int("repeat", args.repeat));
const strictCheck = size === "smoke";
// One results file per Prosody version (PROSODY=13 runs on 13, see spec/e2e/helpers/prosody.ts).
const burst = args.burst === true;
const outPrefix = resolve(
  args.out ?? `bench/results/${roomSizeMode ? "room-size" : size === "smoke" ? "smoke" : burst ? "burst" : "latest"}-${prosodyVersion()}`,
);

// ---------------------------------------------------------------------------------------------
// Open files: every client is a socket in this process and in Prosody (which inherits our limit).

const neededFiles = (roomSizeMode ? Math.max(...fills) + 1 : clients) + 256;
if (openFilesSoftLimit() < neededFiles) {
  if (process.env.BENCH_ULIMIT_RAISED === undefined && openFilesHardLimit() >= neededFiles) {
    // Node cannot setrlimit: re-run ourselves under `ulimit -n`.
    const res = spawnSync("/bin/sh", ["-c", `ulimit -n ${neededFiles} && exec "$@"`, "sh", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, BENCH_ULIMIT_RAISED: "1" },
    });
    process.exit(res.status ?? 1);
  }
  console.warn(`warning: open files limit ${openFilesSoftLimit()} < ${neededFiles} needed (hard limit ${openFilesHardLimit()})`);
}

// ---------------------------------------------------------------------------------------------
// Configurations

interface Configuration {
  readonly id: string;
  readonly label: string;
  /** true: our module loaded and webhooks expected. */
  readonly events: boolean;
  readonly component: (apiPrefix: string) => Record<string, LuaValue | undefined>;
  /** Load the instruction-counting module (bench/lua_cost.ts): slows Prosody, so its CPU figures are not comparable. */
  readonly luaCost?: boolean;
  /** Global config lines (Prosody's storage). */
  readonly globalLua?: string;
}

const CONFIGURATIONS: Record<string, Configuration> = {
  a: { id: "a", label: "MUC only, no event module", events: false, component: () => ({}) },
  b: { id: "b", label: "event_sync, default options", events: true, component: (api) => ({ api_prefix: api }) },
  c: { id: "c", label: "event_sync, api_keepalive = false", events: true, component: (api) => ({ api_prefix: api, api_keepalive: false }) },
  d: { id: "d", label: "event_sync, api_pipeline_depth = 1", events: true, component: (api) => ({ api_prefix: api, api_pipeline_depth: 1 }) },
  e: { id: "e", label: "event_sync, api_outbox = false", events: true, component: (api) => ({ api_prefix: api, api_outbox: false }) },
  f: { id: "f", label: "event_sync, outbox on SQLite", events: true, component: (api) => ({ api_prefix: api }), globalLua: storageOptions("sqlite") },
  x: { id: "x", label: "event_sync, default options, Lua instructions counted", events: true, component: (api) => ({ api_prefix: api }), luaCost: true },
};
const configIds = (args.configs ?? (roomSizeMode ? "a,b" : "a,b,c,d,e,f,x")).split(",").map((s) => s.trim());
for (const id of configIds) {
  if (CONFIGURATIONS[id] === undefined) {
    console.error(`unknown configuration ${id} (a, b, c, d, e, f, x)`);
    process.exit(2);
  }
}
const configs = configIds.map((id) => CONFIGURATIONS[id]!);

const plugins = pluginDirs();
process.once("exit", () => plugins.cleanup());

async function startServer(config: Configuration): Promise<{ prosody: ProsodyInstance; receiver?: BenchReceiver }> {
  const receiver = config.events ? await startBenchReceiver() : undefined;
  const prosody = await startProsody({
    pluginDir: config.events ? plugins.real : plugins.stub,
    component: config.component(receiver?.url ?? "http://127.0.0.1:9/unused"),
    logLevel,
    startTimeoutMs: 20000,
    ...(config.luaCost === true ? luaCostProsodyOptions() : {}),
    ...(config.luaCost === true && (args.profile === true || args.alloc === true)
      ? { globalLua: [args.profile === true ? "bench_lua_cost_profile = true" : "", args.alloc === true ? "bench_lua_cost_alloc = true" : ""].join("\n") }
      : {}),
    ...(config.globalLua !== undefined ? { globalLua: config.globalLua } : {}),
  });
  return { prosody, ...(receiver !== undefined ? { receiver } : {}) };
}

/** Connects n clients, `batch` at a time (Prosody and the node side both dislike 1000 SYNs at once). */
async function connectMany(prosody: ProsodyInstance, n: number, batch = 50): Promise<TestClient[]> {
  const out: TestClient[] = [];
  for (let i = 0; i < n; i += batch) {
    const chunk = await Promise.all(Array.from({ length: Math.min(batch, n - i) }, () => connectClient(prosody, { transport, timeoutMs: 30000 })));
    out.push(...chunk);
  }
  return out;
}

async function stopAll(cs: readonly TestClient[]): Promise<void> {
  for (let i = 0; i < cs.length; i += 100) await Promise.all(cs.slice(i, i + 100).map((c) => c.stop()));
}

/** Lines at warn/error in Prosody's log (the file's level column). */
function logProblems(prosody: ProsodyInstance): { warn: number; error: number; samples: string[] } {
  const lines = prosody.logText().split("\n");
  const warn = lines.filter((l) => /\twarn\t/.test(l));
  const error = lines.filter((l) => /\terror\t/.test(l));
  return { warn: warn.length, error: error.length, samples: [...error, ...warn].slice(0, 5) };
}

const round = (n: number | undefined, digits = 3): number | undefined => (n === undefined || !Number.isFinite(n) ? undefined : Number(n.toFixed(digits)));

// ---------------------------------------------------------------------------------------------
// Load mode

interface JoinRecord {
  readonly jid: string;
  readonly room: string;
  readonly sentAt: number;
  readonly doneAt: number;
}

interface LoadResult {
  id: string;
  label: string;
  prosodyCpuSeconds: number;
  wallSeconds: number;
  /** Seconds from workload start until the last client finished its last leave. */
  workloadSeconds: number;
  prosodyCpuUtilisation: number;
  webhooks: {
    delivered: number;
    expected: number | null;
    joined: number;
    left: number;
    expectedJoinedLeft: number;
    created: number;
    destroyed: number;
    other: number;
    duplicateEventIds: number;
    roomSequenceGaps: number;
    /** Posts that arrived after the measurement window (during the 1 s quiet check). */
    lateOrExtra: number;
  } | null;
  complete: boolean;
  clientErrors: number;
  clientErrorSamples: string[];
  addedCpuSecondsOverA?: number;
  cpuPerWebhookMs?: number;
  overheadRatio?: number;
  latencyFromJoinCompleteMs: { p50?: number; p90?: number; p99?: number; max?: number; matched: number };
  latencyFromJoinSentMs: { p50?: number; p90?: number; p99?: number; max?: number; matched: number };
  latencyFromEventMs: { p50?: number; p90?: number; p99?: number; max?: number; matched: number };
  joinRoundTripMs: { p50?: number; p99?: number };
  node: { cpuSeconds: number; utilisationOfOneCore: number; eventLoopLagP99Ms: number; eventLoopLagMaxMs: number };
  /** Busy CPU of the whole machine in the window minus Prosody and this process: other load disturbing the run. */
  otherCpuSeconds: number;
  /** The whole machine in the window: busy (all cores), of which irq+softirq (loopback networking), and steal (taken by the hypervisor). */
  machineCpuSeconds: { busy: number; irqAndSoftirq: number; steal: number };
  prosodyMemoryMiB: { rss: number; peak: number };
  prosodyLog: { warn: number; error: number; samples: string[] };
  /** Configuration x: Lua instructions in the window (bench/lua_cost.ts). */
  luaCost?: LuaCost;
  /** Configuration x: where the module's instructions in the window went, per webhook, heaviest functions first. */
  luaProfile?: LuaProfileRow[];
  /** With --repeat: every run of this configuration (the reported one is the median by Prosody CPU). */
  runs?: { prosodyCpuSeconds: number; wallSeconds: number; latencyP50Ms?: number; latencyP99Ms?: number; otherCpuSeconds: number }[];
}

/**
 * The burst workload (a webinar's start): in each cycle every client sends its join in the same
 * instant, into one of the rooms (seeded), then, once all are in, all leave; 200 ms pause.
 */
async function burstWorkload(cs: readonly TestClient[], roomNames: readonly string[], joins: JoinRecord[], errors: string[]): Promise<void> {
  const rnd = prng(seed);
  for (let k = 0; k < cycles; k++) {
    const rooms = cs.map(() => roomNames[Math.floor(rnd() * roomNames.length)]!);
    await Promise.all(
      cs.map(async (c, i) => {
        const sentAt = Date.now();
        try {
          await c.join(rooms[i]!, `u${i}`, 30000);
          joins.push({ jid: c.jid, room: `${rooms[i]!}@conference.localhost`, sentAt, doneAt: Date.now() });
        } catch (err) {
          errors.push(`client ${i} cycle ${k} join: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
        }
      }),
    );
    await Promise.all(
      cs.map((c, i) =>
        c.leave(rooms[i]!, `u${i}`, 30000).catch((err: unknown) => {
          errors.push(`client ${i} cycle ${k} leave: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
        }),
      ),
    );
    await sleep(200);
  }
}

async function runLoad(config: Configuration): Promise<LoadResult> {
  const { prosody, receiver } = await startServer(config);
  const roomNames = Array.from({ length: rooms }, (_, i) => `bench-${i}`);
  try {
    process.stdout.write(`[${config.id}] ${config.label}: Prosody pid ${prosody.pid}, connecting ${clients} clients (${transport})… `);
    const t0connect = Date.now();
    const cs = await connectMany(prosody, clients);
    console.log(`${((Date.now() - t0connect) / 1000).toFixed(1)} s`);
    await sleep(500); // let Prosody settle after the logins

    const joins: JoinRecord[] = [];
    const errors: string[] = [];
    const elDelay = monitorEventLoopDelay({ resolution: 10 });
    const tally = receiver !== undefined ? new Tally(receiver.posts) : undefined;
    const expectedJL = clients * cycles;

    const lua0 = config.luaCost === true ? await readLuaCounts(prosody) : undefined;
    const profile0 = lua0 !== undefined && args.profile === true ? await readLuaProfile(prosody) : undefined;
    // ---- measurement window starts
    elDelay.enable();
    const nodeCpu0 = process.cpuUsage();
    const cpu0 = cpuSeconds(prosody.pid);
    const receiverCpu0 = receiver !== undefined ? cpuSeconds(receiver.pid) : 0;
    const machine0 = machineCpu();
    const start = Date.now();
    if (burst) {
      await burstWorkload(cs, roomNames, joins, errors);
    } else await Promise.all(
      cs.map(async (c, i) => {
        const rnd = prng(seed * 100003 + i);
        const nick = `u${i}`;
        await sleep(rnd() * 100); // all clients active at once, not all in the same millisecond
        for (let k = 0; k < cycles; k++) {
          const room = roomNames[Math.floor(rnd() * rooms)]!;
          const stay = stayMin + rnd() * (stayMax - stayMin);
          try {
            const sentAt = Date.now();
            await c.join(room, nick, 30000);
            joins.push({ jid: c.jid, room: `${room}@conference.localhost`, sentAt, doneAt: Date.now() });
            await sleep(stay);
            await c.leave(room, nick, 30000);
          } catch (err) {
            errors.push(`client ${i} cycle ${k}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
            return;
          }
        }
      }),
    );
    const workloadEnd = Date.now();
    let complete = true;
    if (receiver !== undefined && tally !== undefined) {
      complete = await receiver.until(() => {
        tally.update();
        return tally.joined >= expectedJL && tally.left >= expectedJL && tally.created === tally.destroyed;
      }, timeoutMs);
    }
    const cpu1 = cpuSeconds(prosody.pid);
    const receiverCpu = receiver !== undefined ? cpuSeconds(receiver.pid) - receiverCpu0 : 0;
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const machine1 = machineCpu();
    const detectedAt = Date.now();
    elDelay.disable();
    // ---- measurement window ends
    const lua1 = lua0 !== undefined ? await readLuaCounts(prosody) : undefined;
    const profile1 = profile0 !== undefined ? await readLuaProfile(prosody) : undefined;

    const inWindow = receiver?.posts.length ?? 0;
    const lastArrival = receiver !== undefined && inWindow > 0 ? receiver.posts[inWindow - 1]!.at : workloadEnd;
    const end = receiver !== undefined ? (complete ? Math.max(workloadEnd, lastArrival) : detectedAt) : workloadEnd;
    const memory = memoryMiB(prosody.pid);

    let webhooks: LoadResult["webhooks"] = null;
    const fromComplete: number[] = [];
    const fromSent: number[] = [];
    const fromEvent: number[] = [];
    if (receiver !== undefined && tally !== undefined) {
      await sleep(1000); // anything more (duplicates, stragglers) shows up here
      const posts = receiver.posts;
      // For looking into one run: every post and join (BENCH_DUMP=/tmp/prefix writes prefix-<config>.json).
      if (process.env.BENCH_DUMP !== undefined) writeFileSync(`${process.env.BENCH_DUMP}-${config.id}.json`, JSON.stringify({ posts, joins }));
      const final = new Tally(posts).update();
      const ids = posts.map((p) => p.eventId).filter((id): id is string => id !== undefined);
      const seqs = new Map<string, number>();
      let gaps = 0;
      for (const p of posts) {
        // A room created again (it had become empty) is a new room: its sequence starts at 1.
        const last = p.kind === "created" ? 0 : (seqs.get(p.room) ?? 0);
        if (p.seq !== last + 1) gaps++;
        seqs.set(p.room, p.seq ?? last + 1);
      }
      webhooks = {
        delivered: inWindow,
        expected: null, // joined/left are exact; created/destroyed depend on when rooms empty
        joined: final.joined,
        left: final.left,
        expectedJoinedLeft: expectedJL,
        created: final.created,
        destroyed: final.destroyed,
        other: final.other,
        duplicateEventIds: ids.length - new Set(ids).size,
        roomSequenceGaps: gaps,
        lateOrExtra: posts.length - inWindow,
      };
      webhooks.expected = 2 * expectedJL + 2 * final.created;
      // joined webhooks of one (occupant, room) arrive in join order (per-room FIFO): zip them.
      const hooks = new Map<string, number[]>();
      for (const p of posts) {
        if (p.kind !== "joined") continue;
        if (p.eventAt !== undefined) fromEvent.push(p.at - p.eventAt);
        const key = `${p.jid} ${p.room}`;
        const list = hooks.get(key) ?? [];
        list.push(p.at);
        hooks.set(key, list);
      }
      const recs = new Map<string, JoinRecord[]>();
      for (const j of joins) {
        const key = `${j.jid} ${j.room}`;
        const list = recs.get(key) ?? [];
        list.push(j);
        recs.set(key, list);
      }
      for (const [key, list] of recs) {
        list.sort((x, y) => x.sentAt - y.sentAt);
        const arrivals = hooks.get(key) ?? [];
        list.forEach((j, n) => {
          const at = arrivals[n];
          if (at === undefined) return;
          fromComplete.push(at - j.doneAt);
          fromSent.push(at - j.sentAt);
        });
      }
    }
    const wall = (end - start) / 1000;
    const nodeCpuSeconds = (nodeCpu.user + nodeCpu.system) / 1e6;
    const nodeWindow = (detectedAt - start) / 1000;
    const result: LoadResult = {
      id: config.id,
      label: config.label,
      prosodyCpuSeconds: round(cpu1 - cpu0, 3)!,
      wallSeconds: round(wall, 3)!,
      workloadSeconds: round((workloadEnd - start) / 1000, 3)!,
      prosodyCpuUtilisation: round((cpu1 - cpu0) / ((detectedAt - start) / 1000), 3)!,
      webhooks,
      complete: complete && errors.length === 0,
      clientErrors: errors.length,
      clientErrorSamples: errors.slice(0, 5),
      latencyFromJoinCompleteMs: {
        p50: percentile(fromComplete, 50),
        p90: percentile(fromComplete, 90),
        p99: percentile(fromComplete, 99),
        max: percentile(fromComplete, 100),
        matched: fromComplete.length,
      },
      latencyFromJoinSentMs: {
        p50: percentile(fromSent, 50),
        p90: percentile(fromSent, 90),
        p99: percentile(fromSent, 99),
        max: percentile(fromSent, 100),
        matched: fromSent.length,
      },
      latencyFromEventMs: {
        p50: percentile(fromEvent, 50),
        p90: percentile(fromEvent, 90),
        p99: percentile(fromEvent, 99),
        max: percentile(fromEvent, 100),
        matched: fromEvent.length,
      },
      joinRoundTripMs: { p50: percentile(joins.map((j) => j.doneAt - j.sentAt), 50), p99: percentile(joins.map((j) => j.doneAt - j.sentAt), 99) },
      node: {
        cpuSeconds: round(nodeCpuSeconds, 3)!,
        utilisationOfOneCore: round(nodeCpuSeconds / nodeWindow, 3)!,
        // The histogram's samples include its 10 ms sampling interval: lag is what exceeds it.
        eventLoopLagP99Ms: round(Math.max(0, elDelay.percentile(99) / 1e6 - 10), 1)!,
        eventLoopLagMaxMs: round(Math.max(0, elDelay.max / 1e6 - 10), 1)!,
      },
      otherCpuSeconds: round(machine1.busy - machine0.busy - (cpu1 - cpu0) - nodeCpuSeconds - receiverCpu, 2)!,
      machineCpuSeconds: {
        busy: round(machine1.busy - machine0.busy, 2)!,
        irqAndSoftirq: round(machine1.softirq - machine0.softirq, 2)!,
        steal: round(machine1.steal - machine0.steal, 2)!,
      },
      prosodyMemoryMiB: { rss: round(memory.rss, 1)!, peak: round(memory.peak, 1)! },
      prosodyLog: logProblems(prosody),
      ...(lua0 !== undefined && lua1 !== undefined ? { luaCost: luaCostBetween(lua0, lua1, inWindow) } : {}),
      ...(profile0 !== undefined && profile1 !== undefined ? { luaProfile: luaProfileBetween(profile0, profile1, inWindow, 400) } : {}),
    };
    await stopAll(cs);
    return result;
  } finally {
    await prosody.stop();
    await receiver?.close();
  }
}

function loadTable(results: readonly LoadResult[]): string {
  const f = (n: number | undefined, d = 2): string => (n === undefined ? "–" : n.toFixed(d));
  const head = ["config", "Prosody CPU s", "wall s", "CPU %", "webhooks", "joined/left", "cre/des", "CPU/webhook ms", "overhead", "lat p50/p99 ms (complete)", "(sent)", "node CPU %"];
  const rows = results.map((r) => [
    `${r.id} ${r.label}`,
    f(r.prosodyCpuSeconds),
    f(r.wallSeconds),
    f(100 * r.prosodyCpuUtilisation, 0),
    r.webhooks ? `${r.webhooks.delivered}/${r.webhooks.expected ?? "?"}` : "–",
    r.webhooks ? `${r.webhooks.joined}+${r.webhooks.left}/${2 * r.webhooks.expectedJoinedLeft}` : "–",
    r.webhooks ? `${r.webhooks.created}/${r.webhooks.destroyed}` : "–",
    f(r.cpuPerWebhookMs, 3),
    r.overheadRatio === undefined ? "–" : `${(100 * r.overheadRatio).toFixed(0)}%`,
    r.latencyFromJoinCompleteMs.matched > 0 ? `${f(r.latencyFromJoinCompleteMs.p50, 0)}/${f(r.latencyFromJoinCompleteMs.p99, 0)}` : "–",
    r.latencyFromJoinSentMs.matched > 0 ? `${f(r.latencyFromJoinSentMs.p50, 0)}/${f(r.latencyFromJoinSentMs.p99, 0)}` : "–",
    f(100 * r.node.utilisationOfOneCore, 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function loadMode(machine: MachineInfo): Promise<number> {
  console.log(
    `event_sync load benchmark: ${clients} clients × ${cycles} cycles × ${rooms} rooms, stay ${stayMin}–${stayMax} ms, ${transport}, seed ${seed}, configs ${configIds.join(",")}`,
  );
  const all = new Map<string, LoadResult[]>(configs.map((c) => [c.id, []]));
  for (let rep = 0; rep < repeat; rep++) {
    for (const config of configs) {
      if (repeat > 1) process.stdout.write(`(run ${rep + 1}/${repeat}) `);
      const r = await runLoad(config);
      all.get(config.id)!.push(r);
      const w = r.webhooks;
      console.log(
        `[${r.id}] Prosody CPU ${r.prosodyCpuSeconds.toFixed(2)} s in ${r.wallSeconds.toFixed(2)} s wall` +
          (w ? `; webhooks ${w.delivered}/${w.expected} (joined ${w.joined}, left ${w.left} of ${w.expectedJoinedLeft} each; created ${w.created}, destroyed ${w.destroyed})` : "") +
          (r.latencyFromEventMs.matched > 0 ? `; event→arrival p50/p99 ${r.latencyFromEventMs.p50}/${r.latencyFromEventMs.p99} ms` : "") +
          `; node ${(100 * r.node.utilisationOfOneCore).toFixed(0)}% of a core, event-loop lag p99 ${r.node.eventLoopLagP99Ms} ms` +
          `; rest of the machine ${r.otherCpuSeconds.toFixed(2)} CPU s (irq+softirq ${r.machineCpuSeconds.irqAndSoftirq.toFixed(2)}, steal ${r.machineCpuSeconds.steal.toFixed(2)})` +
          (r.clientErrors > 0 ? `; ${r.clientErrors} CLIENT ERRORS: ${r.clientErrorSamples[0]}` : ""),
      );
    }
  }
  // The median run of each configuration by Prosody CPU; every run's problems still count.
  const results: LoadResult[] = configs.map((config) => {
    const runs = all.get(config.id)!;
    const sorted = [...runs].sort((x, y) => x.prosodyCpuSeconds - y.prosodyCpuSeconds);
    const chosen = sorted[Math.floor((sorted.length - 1) / 2)]!;
    if (runs.length > 1)
      chosen.runs = runs.map((r) => ({
        prosodyCpuSeconds: r.prosodyCpuSeconds,
        wallSeconds: r.wallSeconds,
        latencyP50Ms: r.latencyFromJoinCompleteMs.p50,
        latencyP99Ms: r.latencyFromJoinCompleteMs.p99,
        otherCpuSeconds: r.otherCpuSeconds,
      }));
    return chosen;
  });
  const a = results.find((r) => r.id === "a");
  for (const r of results) {
    if (a === undefined || r === a || r.webhooks === null || r.luaCost !== undefined) continue; // x: slowed by its counting hook
    r.addedCpuSecondsOverA = round(r.prosodyCpuSeconds - a.prosodyCpuSeconds, 3);
    r.cpuPerWebhookMs = round(((r.prosodyCpuSeconds - a.prosodyCpuSeconds) / Math.max(1, r.webhooks.delivered)) * 1000, 4);
    r.overheadRatio = a.prosodyCpuSeconds > 0 ? round((r.prosodyCpuSeconds - a.prosodyCpuSeconds) / a.prosodyCpuSeconds, 4) : undefined;
  }
  console.log(`\n${loadTable(results)}\n`);
  const costRuns = (all.get("x") ?? []).map((r) => r.luaCost).filter((c): c is LuaCost => c !== undefined);
  const luaCost = costRuns.length > 0 ? [...costRuns].sort((p, q) => p.moduleInstructionsPerWebhook - q.moduleInstructionsPerWebhook)[Math.floor((costRuns.length - 1) / 2)] : undefined;
  if (luaCost !== undefined) {
    console.log(
      `${args.alloc === true ? "Bytes allocated (GC stopped)" : "Lua instructions"} with the module on the stack: ${luaCost.moduleInstructionsPerWebhook} per webhook (x, median of ${costRuns.length}: ${costRuns.map((c) => c.moduleInstructionsPerWebhook).join(", ")}); ` +
        `${(luaCost.moduleInstructions / 1e6).toFixed(1)} M of Prosody's ${(luaCost.totalInstructions / 1e6).toFixed(1)} M in the window`,
    );
  }
  const profiled = results.find((r) => r.luaProfile !== undefined);
  if (profiled?.luaProfile !== undefined) {
    console.log("where x's instructions went, per webhook (module functions, callees included; bench/profile.ts reads the JSON):");
    for (const row of profiled.luaProfile.filter((r) => !r.fn.includes(" > ") && r.total > 0).slice(0, 25)) console.log(`  ${String(row.total).padStart(6)} ${String(row.self).padStart(6)}  ${row.fn}`);
  }
  console.log(
    "latency: joined webhook arrival at the receiver minus (complete) the client's receipt of its own join presence / (sent) the moment the join presence was sent; 1 ms clock resolution",
  );

  // What is "wrong": missing or extra webhooks, duplicates, gaps, client errors.
  const problems: string[] = [];
  for (const r of [...all.values()].flat()) {
    if (r.clientErrors > 0) problems.push(`[${r.id}] ${r.clientErrors} client errors, e.g. ${r.clientErrorSamples[0]}`);
    const w = r.webhooks;
    if (w === null) continue;
    if (w.joined !== w.expectedJoinedLeft) problems.push(`[${r.id}] joined ${w.joined}, expected ${w.expectedJoinedLeft}`);
    if (w.left !== w.expectedJoinedLeft) problems.push(`[${r.id}] left ${w.left}, expected ${w.expectedJoinedLeft}`);
    if (w.created !== w.destroyed) problems.push(`[${r.id}] created ${w.created} ≠ destroyed ${w.destroyed}`);
    if (w.created === 0) problems.push(`[${r.id}] no room was created`);
    if (w.other > 0) problems.push(`[${r.id}] ${w.other} posts to unknown paths`);
    if (w.duplicateEventIds > 0) problems.push(`[${r.id}] ${w.duplicateEventIds} duplicate event_ids`);
    if (w.roomSequenceGaps > 0) problems.push(`[${r.id}] ${w.roomSequenceGaps} room_sequence gaps/reorders`);
    if (w.lateOrExtra > 0) problems.push(`[${r.id}] ${w.lateOrExtra} webhooks after everything expected had arrived`);
    if (r.latencyFromJoinCompleteMs.matched !== w.expectedJoinedLeft) problems.push(`[${r.id}] only ${r.latencyFromJoinCompleteMs.matched} joins matched to a webhook`);
  }
  if (luaCost !== undefined && args["cost-baseline"] !== undefined) {
    const verdict = luaCostRegression(luaCost, resolve(args["cost-baseline"]), 0.25);
    if (verdict.baseline !== undefined) console.log(`committed figure: ${verdict.baseline} per webhook (${args["cost-baseline"]})`);
    else console.log(`no committed figure in ${args["cost-baseline"]}: nothing to compare with`);
    if (verdict.failure !== undefined) problems.push(verdict.failure);
  }
  for (const r of [...all.values()].flat()) if (r.prosodyLog.error > 0) problems.push(`[${r.id}] Prosody logged ${r.prosodyLog.error} errors, e.g. ${r.prosodyLog.samples[0]}`);
  for (const r of [...all.values()].flat()) {
    if (r.otherCpuSeconds > 0.1 * r.prosodyCpuSeconds + 0.2)
      console.log(`note [${r.id}]: other processes used ${r.otherCpuSeconds.toFixed(2)} CPU s during the run: Prosody may have been slowed down (see --repeat)`);
    if (r.node.utilisationOfOneCore > 0.8)
      console.log(`note [${r.id}]: the node process used ${(100 * r.node.utilisationOfOneCore).toFixed(0)}% of a core: it may have limited the load`);
  }

  const output = {
    mode: "load",
    parameters: { size, workload: burst ? "burst" : "jittered", clients, cycles, rooms, stayMinMs: stayMin, stayMaxMs: stayMax, transport, seed, repeat, logLevel, configs: configIds, timeoutS: timeoutMs / 1000 },
    definitions: {
      prosodyCpuSeconds: "utime+stime of the Prosody process (/proc/<pid>/stat, CLK_TCK ticks) from workload start until the receiver had every expected webhook (config a: until the last client's last leave was answered); client logins and logouts are outside",
      wallSeconds: "workload start until the last expected webhook arrived (a: until the workload ended)",
      cpuPerWebhookMs: "(CPU(x) - CPU(a)) / webhooks delivered to x, in ms",
      overheadRatio: "(CPU(x) - CPU(a)) / CPU(a)",
      latencyFromJoinCompleteMs: "arrival of the joined webhook (occupant_jid = the client's full JID, same room, n-th join ↔ n-th webhook) minus the client's receipt of its own join presence (status 110)",
      latencyFromJoinSentMs: "the same minus the moment the client sent its join presence",
      latencyFromEventMs: "arrival of the joined webhook minus its event_timestamp_ms (when the module produced the event): time in the module's queue and on the wire",
      otherCpuSeconds: "busy CPU of the whole machine (/proc/stat) in the window minus Prosody and the benchmark process: other load that may have disturbed the run",
      runs: "with --repeat: every run of the configuration; the one reported is the median by Prosody CPU",
      expected: "2 × clients × cycles (joined + left, exact) + 2 × created observed (created/destroyed are counted: a room is created again whenever it had become empty)",
    },
    machine,
    configurations: results,
    ...(luaCost !== undefined ? { luaCost, luaCostRuns: costRuns.map((c) => c.moduleInstructionsPerWebhook) } : {}),
    problems,
  };
  writeResults(output, loadChart(output as unknown as Parameters<typeof loadChart>[0]));
  if (problems.length > 0) {
    console.log(`\nPROBLEMS:\n  ${problems.join("\n  ")}`);
    if (strictCheck) return 1;
  } else console.log("all webhooks delivered exactly once (joined/left counts exact, created = destroyed, no duplicates, no sequence gaps)");
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Room-size mode

interface RoomSizeRow {
  config: string;
  label: string;
  fill: number;
  pairs: number;
  /** CPU ms per join+leave pair, per round. */
  roundsCpuMsPerPair: number[];
  /** Median over rounds. */
  cpuMsPerPair: number;
  cpuMsPerJoin: number;
  wallMsPerPair: number;
  addedCpuMsPerPair?: number;
  fillSeconds: number;
  webhooksComplete: boolean | null;
  node: { utilisationOfOneCore: number };
  prosodyMemoryMiB: { rss: number; peak: number };
  prosodyLog: { warn: number; error: number; samples: string[] };
}

const median = (xs: number[]): number => percentile(xs, 50) ?? NaN;

async function roomSizeRun(config: Configuration, fill: number): Promise<RoomSizeRow> {
  const { prosody, receiver } = await startServer(config);
  const ROOM = "bigroom";
  const roomJid = `${ROOM}@conference.localhost`;
  try {
    process.stdout.write(`[${config.id}] fill ${fill}: connecting ${fill + 1} clients… `);
    const t0 = Date.now();
    const cs = await connectMany(prosody, fill + 1);
    const prober = cs.pop()!;
    process.stdout.write(`joining… `);
    // Fill in batches: each join is announced to everyone already inside (O(n²) presences overall).
    for (let i = 0; i < cs.length; i += 25) await Promise.all(cs.slice(i, i + 25).map((c, j) => c.join(ROOM, `f${i + j}`, 120000)));
    const tally = receiver !== undefined ? new Tally(receiver.posts, (r) => r === roomJid) : undefined;
    if (receiver !== undefined && tally !== undefined) {
      const ok = await receiver.until(() => tally.update().joined >= fill, timeoutMs);
      if (!ok) throw new Error(`fill: only ${tally.joined}/${fill} joined webhooks`);
    }
    const fillSeconds = (Date.now() - t0) / 1000;
    console.log(`${fillSeconds.toFixed(1)} s`);
    await sleep(1000);

    const perRound: number[] = [];
    const wallPerRound: number[] = [];
    let complete: boolean | null = receiver !== undefined ? true : null;
    let nodeCpuTotal = 0;
    let windowTotal = 0;
    for (let r = 0; r < rounds; r++) {
      const nodeCpu0 = process.cpuUsage();
      const cpu0 = cpuSeconds(prosody.pid);
      const start = Date.now();
      for (let k = 0; k < pairs; k++) {
        await prober.join(ROOM, "probe", 120000);
        await prober.leave(ROOM, "probe", 120000);
      }
      if (receiver !== undefined && tally !== undefined) {
        const want = fill + pairs * (r + 1);
        const ok = await receiver.until(() => tally.update().joined >= want && tally.left >= pairs * (r + 1), timeoutMs);
        if (!ok) complete = false;
      }
      const cpu1 = cpuSeconds(prosody.pid);
      const nodeCpu = process.cpuUsage(nodeCpu0);
      const end = Date.now();
      perRound.push(((cpu1 - cpu0) / pairs) * 1000);
      wallPerRound.push((end - start) / pairs);
      nodeCpuTotal += (nodeCpu.user + nodeCpu.system) / 1e6;
      windowTotal += (end - start) / 1000;
      await sleep(300);
    }
    const memory = memoryMiB(prosody.pid);
    const row: RoomSizeRow = {
      config: config.id,
      label: config.label,
      fill,
      pairs,
      roundsCpuMsPerPair: perRound.map((v) => round(v, 3)!),
      cpuMsPerPair: round(median(perRound), 3)!,
      cpuMsPerJoin: round(median(perRound) / 2, 3)!,
      wallMsPerPair: round(median(wallPerRound), 2)!,
      fillSeconds: round(fillSeconds, 1)!,
      webhooksComplete: complete,
      node: { utilisationOfOneCore: round(nodeCpuTotal / windowTotal, 3)! },
      prosodyMemoryMiB: { rss: round(memory.rss, 1)!, peak: round(memory.peak, 1)! },
      prosodyLog: logProblems(prosody),
    };
    console.log(
      `[${config.id}] fill ${fill}: ${row.cpuMsPerPair.toFixed(2)} ms Prosody CPU per join+leave pair (rounds ${row.roundsCpuMsPerPair.map((v) => v.toFixed(2)).join(", ")}), ${row.wallMsPerPair.toFixed(1)} ms wall per pair`,
    );
    await stopAll([...cs, prober]);
    return row;
  } finally {
    await prosody.stop();
    await receiver?.close();
  }
}

async function roomSizeMode_(machine: MachineInfo): Promise<number> {
  console.log(`event_sync room-size benchmark: ${pairs} join/leave pairs × ${rounds} rounds into a room of ${fills.join(" / ")} occupants, configs ${configIds.join(",")}, ${transport}`);
  const rows: RoomSizeRow[] = [];
  for (const config of configs) for (const fill of fills) rows.push(await roomSizeRun(config, fill));
  for (const row of rows) {
    const a = rows.find((r) => r.config === "a" && r.fill === row.fill);
    if (a !== undefined && row.config !== "a") row.addedCpuMsPerPair = round(row.cpuMsPerPair - a.cpuMsPerPair, 3);
  }
  const f = (n: number | undefined): string => (n === undefined ? "–" : n.toFixed(3));
  console.log(`\n${"config".padEnd(40)}  ${"occupants".padStart(9)}  ${"CPU ms/pair".padStart(11)}  ${"CPU ms/join".padStart(11)}  ${"added ms/pair".padStart(13)}  ${"wall ms/pair".padStart(12)}`);
  for (const r of rows)
    console.log(
      `${`${r.config} ${r.label}`.padEnd(40)}  ${String(r.fill).padStart(9)}  ${f(r.cpuMsPerPair).padStart(11)}  ${f(r.cpuMsPerJoin).padStart(11)}  ${f(r.addedCpuMsPerPair).padStart(13)}  ${r.wallMsPerPair.toFixed(1).padStart(12)}`,
    );
  console.log(`(CPU resolution: ${(1000 / machine.clkTck).toFixed(0)} ms per measurement, i.e. ${(1000 / machine.clkTck / pairs).toFixed(2)} ms per pair per round)`);
  const problems: string[] = [];
  for (const r of rows) {
    if (r.webhooksComplete === false) problems.push(`[${r.config}] fill ${r.fill}: webhooks missing`);
    if (r.prosodyLog.error > 0) problems.push(`[${r.config}] fill ${r.fill}: Prosody logged ${r.prosodyLog.error} errors, e.g. ${r.prosodyLog.samples[0]}`);
  }
  const output = {
    mode: "room-size",
    parameters: { fills, pairs, rounds, transport, logLevel, configs: configIds },
    definitions: {
      cpuMsPerPair:
        "Prosody utime+stime while one extra client joins and leaves the filled room `pairs` times (sequentially), until the receiver has those webhooks; divided by pairs; median over rounds",
      cpuMsPerJoin: "cpuMsPerPair / 2 (a join and a leave are one event each)",
      addedCpuMsPerPair: "cpuMsPerPair(x) - cpuMsPerPair(a) at the same room size",
    },
    machine,
    rows,
    problems,
  };
  writeResults(output, roomSizeChart(output as unknown as Parameters<typeof roomSizeChart>[0]));
  if (problems.length > 0) {
    console.log(`\nPROBLEMS:\n  ${problems.join("\n  ")}`);
    return 1;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------

function writeResults(output: object, svg: string): void {
  mkdirSync(dirname(outPrefix), { recursive: true });
  writeFileSync(`${outPrefix}.json`, `${JSON.stringify(output, null, 2)}\n`);
  writeFileSync(`${outPrefix}.svg`, svg);
  console.log(`wrote ${outPrefix}.json and ${outPrefix}.svg`);
}

async function main(): Promise<number> {
  const machine = machineInfo(plugins.sha256);
  const started = Date.now();
  const code = roomSizeMode ? await roomSizeMode_(machine) : await loadMode(machine);
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
