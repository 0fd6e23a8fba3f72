/**
 * `prosodyctl shell` against the test's Prosody (spec/e2e/helpers/shell.ts): built-in commands,
 * a third-party module's commands registered the way each Prosody version wants
 * (spec/prosody_modules/mod_test_shell_command.lua), errors, and the shell after a restart.
 */
import { describe, expect, it } from "@jest/globals";
import { COMPONENT_HOST, prosodyVersion, testModulesDir } from "./helpers/prosody.js";
import { useHarness } from "./helpers/scenario.js";
import { runShell, shellCommand } from "./helpers/shell.js";

const h = useHarness();

describe("prosodyctl shell harness", () => {
  it("runs built-in and third-party admin shell commands, before and after a restart", async () => {
    const api = await h.receiver();
    const p = await h.prosody({
      component: { api_prefix: api.url },
      adminShell: true,
      extraPluginDirs: [testModulesDir()],
      extraModules: ["test_shell_command"],
    });
    expect(await shellCommand(p, "server:version()")).toMatch(prosodyVersion() === "13" ? /^OK: 13\./ : /^OK: 0\.12\./);
    const hello = await shellCommand(p, "event_sync_test:hello()");
    expect(hello).toMatch(/^hello from event_sync_test on Prosody \S+\nOK: said hello$/);
    // prosodyctl's multi-argument form: `a:b()` on 0.12, a registered command on 13
    expect(await shellCommand(p, ["event_sync_test", "hello"])).toBe(hello);

    expect(await shellCommand(p, 'event_sync_test:host_hello("localhost")')).toBe("hello from localhost\nOK: said hello on localhost");
    const elsewhere = await runShell(p, 'event_sync_test:host_hello("conference.localhost")');
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/not available on conference\.localhost/);
    await expect(shellCommand(p, "event_sync_test:hello(")).rejects.toThrow(/couldn't understand/);

    await p.restart("SIGKILL");
    expect(await shellCommand(p, "event_sync_test:hello()")).toBe(hello);
  });

  it("runs a command of a module loaded on a Component (shared-env recipe, both versions)", async () => {
    const api = await h.receiver();
    const p = await h.prosody({
      component: { api_prefix: api.url },
      componentLua: '    modules_enabled = { "test_component_shell_command" }',
      adminShell: true,
      extraPluginDirs: [testModulesDir()],
    });
    const status = `status of ${COMPONENT_HOST}\nOK: 1 host`;
    expect(await shellCommand(p, "event_sync_test_component:status()")).toBe(status);
    expect(await shellCommand(p, `event_sync_test_component:status("${COMPONENT_HOST}")`)).toBe(status);
    expect(await shellCommand(p, ["event_sync_test_component", "status"])).toBe(status);
    expect(await shellCommand(p, ["event_sync_test_component", "status", COMPONENT_HOST])).toBe(status);
    const other = await runShell(p, 'event_sync_test_component:status("localhost")');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`name one of the hosts running this module: ${COMPONENT_HOST}`);
    // 13's `help` lists the section's description (its name cut to the column: `event_s…`);
    // `help <section>` only takes %w+ names, so `help event_sync_test_component` looks up "event".
    if (prosodyVersion() === "13") expect(await shellCommand(p, "help")).toContain("event_sync test-only component commands");
  });

  it("says why when Prosody was started without the admin shell", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { api_prefix: api.url } });
    await expect(shellCommand(p, "server:version()")).rejects.toThrow(/adminShell: true/);
  });
});
