/**
 * The Prosody processes of spec/e2e/helpers/prosody.ts: spawn one, signal it, wait for its exit,
 * and SIGKILL whatever is still running when the test process exits.
 */
import { ChildProcess, spawn } from "node:child_process";

/** An exited process's code (null when a signal ended it) and signal. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Prosodies still running: killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/** A launched Prosody process and how it ended. */
export interface Run {
  readonly child: ChildProcess;
  readonly exitedPromise: Promise<void>;
  status?: ExitStatus;
}

export function exitedRun(run: Run): boolean {
  return run.status !== undefined || run.child.exitCode !== null || run.child.signalCode !== null;
}

export function launch(binary: string, configPath: string, dir: string, onOutput: (text: string) => void): Run {
  const child: ChildProcess = spawn(binary, ["--config", configPath, "-F"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOME: dir },
  });
  live.add(child);
  killLeftoversOnExit();
  child.stdout?.on("data", (d: Buffer) => onOutput(d.toString()));
  child.stderr?.on("data", (d: Buffer) => onOutput(d.toString()));
  child.once("error", (err) => onOutput(`spawn error: ${String(err)}\n`));
  let exited!: () => void;
  const run: Run = { child, exitedPromise: new Promise<void>((r) => (exited = r)) };
  child.once("exit", (code, signal) => {
    live.delete(child);
    run.status = { code, signal };
    exited();
  });
  return run;
}

/** Sends `signal`; after `timeoutMs` without exit, SIGKILL. Resolves false if it had to. */
export async function terminate(run: Run, signal: "SIGTERM" | "SIGKILL", timeoutMs: number): Promise<boolean> {
  if (exitedRun(run)) return true;
  run.child.kill(signal);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([run.exitedPromise.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)))]);
  clearTimeout(timer);
  if (!timedOut) return true;
  run.child.kill("SIGKILL");
  await run.exitedPromise;
  return false;
}

