/**
 * Plumbing of the load benchmark: Prosody CPU from /proc, the receiver worker, a seeded PRNG,
 * percentiles, machine facts. The workloads themselves are in run.ts.
 */
import { execFileSync, fork } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MODULE_FILE, prosodyBinary, prosodySourceDir, prosodyVersion } from "../spec/e2e/helpers/prosody.js";
import type { FromWorker, PostRecord } from "./receiver-worker.js";

export type { PostRecord };

export const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** utime + stime of a process, in seconds (resolution 1/CLK_TCK). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based over the whole line).
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) / CLK_TCK;
}

/** CPU seconds of the whole machine so far (all cores, /proc/stat): busy = user+nice+system+irq+softirq; steal apart. */
export function machineCpu(): { busy: number; softirq: number; steal: number } {
  const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are already in user/nice)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: (user + nice + system + irq + softirq) / CLK_TCK, softirq: (irq + softirq) / CLK_TCK, steal: steal / CLK_TCK };
}

/** Peak resident set (VmHWM) and current RSS of a process, in MiB. */
export function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/** mulberry32: small, fast, seeded — the same seed gives the same workload. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of an unsorted list (undefined when empty). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((x, y) => x - y);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** The receiver in its own process; `posts` grows as webhooks arrive. */
export interface BenchReceiver {
  readonly url: string;
  /** The receiver process (its CPU is not "other load"). */
  readonly pid: number;
  readonly posts: PostRecord[];
  /** Resolves true as soon as `done(posts)` holds (checked on each arriving batch), false on timeout. */
  until(done: (posts: readonly PostRecord[]) => boolean, timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function startBenchReceiver(): Promise<BenchReceiver> {
  // Its own process: a worker thread would share this process's CPU scheduling.
  const worker = fork(fileURLToPath(new URL("./receiver-worker.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx", "--experimental-websocket"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const posts: PostRecord[] = [];
  const listeners = new Set<() => void>();
  let closed: (() => void) | undefined;
  const url = await new Promise<string>((resolveUrl, reject) => {
    worker.once("error", reject);
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "ready") resolveUrl(msg.url);
      else if (msg.type === "posts") {
        for (const p of msg.posts) posts.push(p);
        for (const l of [...listeners]) l();
      } else if (msg.type === "closed") closed?.();
    });
  });
  return {
    url,
    pid: worker.pid ?? -1,
    posts,
    until(done, timeoutMs) {
      return new Promise((resolveDone) => {
        if (done(posts)) {
          resolveDone(true);
          return;
        }
        const listener = (): void => {
          if (!done(posts)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolveDone(true);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          resolveDone(false);
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    async close() {
      const done = new Promise<void>((r) => (closed = r));
      worker.send({ type: "close" });
      await Promise.race([done, sleep(3000)]);
      worker.kill();
    },
  };
}

/** Counts of a post list by kind, incrementally (O(new posts) per call). */
export class Tally {
  created = 0;
  destroyed = 0;
  joined = 0;
  left = 0;
  other = 0;
  private seen = 0;
  constructor(private readonly posts: readonly PostRecord[], private readonly roomFilter?: (room: string) => boolean) {}
  update(): this {
    for (; this.seen < this.posts.length; this.seen++) {
      const p = this.posts[this.seen]!;
      if (this.roomFilter !== undefined && !this.roomFilter(p.room)) continue;
      if (p.kind === "created") this.created++;
      else if (p.kind === "destroyed") this.destroyed++;
      else if (p.kind === "joined") this.joined++;
      else if (p.kind === "left") this.left++;
      else this.other++;
    }
    return this;
  }
  get total(): number {
    return this.created + this.destroyed + this.joined + this.left + this.other;
  }
}

/**
 * Copies the built module into a temp dir, so the whole run uses one version even if dist/
 * is rebuilt meanwhile; also makes the stub dir for configuration (a): a module file that
 * does nothing, so Prosody loads the MUC and an empty component host but no event code.
 */
export function pluginDirs(): { real: string; stub: string; sha256: string; cleanup: () => void } {
  const source = resolve(process.env.E2E_PLUGIN_DIR ?? "dist", MODULE_FILE);
  const bytes = readFileSync(source);
  const real = mkdtempSync(join(tmpdir(), "event-sync-bench-plugin-"));
  copyFileSync(source, join(real, MODULE_FILE));
  const stub = mkdtempSync(join(tmpdir(), "event-sync-bench-stub-"));
  writeFileSync(join(stub, MODULE_FILE), "-- benchmark configuration (a): no event module\nmodule:log(\"info\", \"no event module (benchmark baseline)\");\n");
  return {
    real,
    stub,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    cleanup: () => {
      rmSync(real, { recursive: true, force: true });
      rmSync(stub, { recursive: true, force: true });
    },
  };
}

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return undefined;
  }
}

export interface MachineInfo {
  cpuModel: string;
  nproc: number;
  memTotalMiB: number;
  kernel: string;
  prosodyVersion: string;
  luaVersion: string;
  nodeVersion: string;
  clkTck: number;
  openFilesLimit: string;
  date: string;
  gitCommit: string;
  gitDirty: boolean;
  moduleSha256: string;
}

export function machineInfo(moduleSha256: string): MachineInfo {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const limits = readFileSync("/proc/self/limits", "utf8");
  const launcher = prosodyVersion() === "0.12" ? "/usr/bin/prosody" : prosodyBinary();
  const prosodyLua = readFileSync(launcher, "utf8").split("\n")[0] ?? "";
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown",
    nproc: Number(run("nproc", [])) || cpus().length,
    memTotalMiB: Math.round(Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? 0) / 1024),
    kernel: run("uname", ["-r"]) ?? "unknown",
    // `prosody --version` would start a server on 0.12: ask dpkg (0.12) or the unpacked
    // package's note (13, scripts/prosody13.sh), else Prosody's own version file.
    prosodyVersion:
      (prosodyVersion() === "0.12"
        ? run("dpkg-query", ["-W", "-f=${Version}", "prosody"])
        : readOr(resolve(prosodySourceDir(), "../../../../debian-version"))) ??
      (readOr(join(prosodySourceDir(), "prosody.version")) || "unknown"),
    luaVersion: prosodyLua.replace(/^#!\s*(\/usr\/bin\/env\s+)?/, ""),
    nodeVersion: process.version,
    clkTck: CLK_TCK,
    openFilesLimit: /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits)?.slice(1, 3).join(" / ") ?? "unknown",
    date: new Date().toISOString(),
    gitCommit: run("git", ["rev-parse", "HEAD"]) ?? "unknown",
    gitDirty: (run("git", ["status", "--porcelain", "--", "src", "dist"]) ?? "") !== "",
    moduleSha256,
  };
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Soft limit of open files of this process. */
export function openFilesSoftLimit(): number {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return m?.[1] === "unlimited" ? Infinity : Number(m?.[1] ?? 1024);
}
export function openFilesHardLimit(): number {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  return m?.[2] === "unlimited" ? Infinity : Number(m?.[2] ?? 1024);
}
