/**
 * `prosodyctl shell` against a test's Prosody, as an operator runs it: start Prosody with
 * `adminShell: true` (mod_admin_shell + mod_admin_socket, socket `<dir>/admin.sock` set by
 * `admin_socket`), then `shellCommand(p, 'event_sync:status()')` runs
 * `prosodyctl --config <cfg> shell 'event_sync:status()'` (13: .cache/prosody-13/bin/prosodyctl).
 *
 * How a one-shot command travels (util/prosodyctl/shell.lua, mod_admin_shell.lua, both versions):
 * prosodyctl connects to the admin socket, sends the line as `<repl-input>`, prints each
 * `<repl-output>` (what commands print through `self.session.print`) and the final
 * `<repl-result>` (`OK: …`, `Result: …`, or `Error: …` with type=error) and exits with the
 * number of error stanzas; error text goes to stderr. Without banner or `| ` prefixes.
 *   - One argument is a Lua line, evaluated in the shell's sandbox: `section:command(args…)` on
 *     both versions (`>…` escapes the sandbox into Prosody's globals).
 *   - Several arguments: 0.12 turns `a b x y` into `a:b("x", "y")`; 13 sends `{"a","b","x","y"}`,
 *     which only resolves commands registered with `shell-command` items (help metadata), e.g.
 *     `prosodyctl shell event_sync_test hello`. Pass an array for that form.
 *
 * Third-party commands (working examples: spec/prosody_modules/mod_test_shell_command.lua, a
 * global module, and mod_test_component_shell_command.lua, a module on a Component):
 *   - 13: `module:add_item("shell-command", { section = "event_sync", section_desc = "…",
 *     name = "status", desc = "…", args = { { name = "host", type = "string" } },
 *     host_selector = "host", handler = function (self, host) … end })`. From a global module
 *     (`module:set_global()`) no host_selector: `event_sync:status()`. From a host module,
 *     host_selector is required (`event_sync:status("event_sync.localhost")` runs the handler
 *     of the module on that host) AND mod_admin_shell must be loaded on that host: it collects
 *     host items in its `module.add_host`, and a Component does not inherit the global
 *     `modules_enabled`, so a Component's item silently never appears unless the component also
 *     does `module:depends("admin_shell")` (which opens the admin socket even where the operator
 *     did not enable the shell). Unloading removes the command.
 *   - 0.12: no items. `local env = module:shared("/*\/admin_shell/env"); env.event_sync = {
 *     status = function (self, host) … end }` (mod_admin_shell's `def_env`; remove it in
 *     `module.unload`). A new shell session wraps each table of `env` as
 *     `setmetatable({ session = session }, { __index = t })`, so `event_sync:status()` calls
 *     `status(self)` with `self.session.print`. A section added after a session opened lacks
 *     `self.session` there (each `prosodyctl shell …` is a new session, so only interactive
 *     shells see that).
 *   - One path for both, from a Component (mod_test_component_shell_command.lua): the 0.12 table
 *     in the shared env, with 13's help metadata as its metatable,
 *     `{ help = { desc = "…", commands = { status = { desc = "…", args = { { name = "host" } } } } } }`,
 *     so 13's `help` lists it and `prosodyctl shell event_sync status [host]` resolves; per-host
 *     instances in a shared table (`module:shared("/*\/event_sync/instances")[module.host]`).
 *   - Both: return `true, "text"` → `OK: text`; `nil, "text"` → `Error: text` (exit code 1). On 13 `help <section>` only matches
 *     `%w+`, so `help event_sync` looks up "event" (the `help` overview lists it, name truncated).
 */
import { spawn } from "node:child_process";
import { ProsodyInstance, prosodyBinary } from "./prosody.js";

export interface ShellResult {
  /** Output lines (`self.session.print`, `OK: …`/`Result: …`), newline-terminated. */
  readonly stdout: string;
  /** Error results (`Error: …`, `Sorry, I couldn't understand that…`) and connection failures. */
  readonly stderr: string;
  /** prosodyctl's exit code: 0, or the number of error results (null if killed on timeout). */
  readonly code: number | null;
}

/** A shell command line (one Lua line) or prosodyctl's multi-argument form (`["module", "list"]`). */
export type ShellLine = string | readonly string[];

/** Runs `prosodyctl --config <cfg> shell <line>` and resolves with whatever it said. */
export function runShell(p: ProsodyInstance, line: ShellLine, timeoutMs = 15000): Promise<ShellResult> {
  if (p.adminSocket === undefined) return Promise.reject(new Error("start Prosody with adminShell: true"));
  const args = typeof line === "string" ? [line] : [...line];
  return new Promise((resolveResult, reject) => {
    const child = spawn(prosodyBinary("prosodyctl"), ["--config", p.configPath, "shell", ...args], {
      cwd: p.dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HOME: p.dir },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`prosodyctl shell ${JSON.stringify(args)}: no answer within ${timeoutMs}ms; got ${JSON.stringify(stdout + stderr)}`));
      else resolveResult({ stdout, stderr, code });
    });
  });
}

/**
 * Runs one admin-shell command and resolves with its output text (stdout, trailing newline
 * removed); rejects with stdout and stderr when prosodyctl reports an error (non-zero exit).
 */
export async function shellCommand(p: ProsodyInstance, line: ShellLine, timeoutMs?: number): Promise<string> {
  const result = await runShell(p, line, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`prosodyctl shell ${JSON.stringify(line)} exited with ${String(result.code)}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout.replace(/\n$/, "");
}
