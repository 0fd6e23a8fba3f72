/**
 * What an operator sees in Prosody's log while setting the module up: a mistyped MUC host is
 * named once the server runs, and fixing a broken configuration then reloading the module says
 * nothing about state that was never handed over.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync, writeFileSync } from "node:fs";
import { COMPONENT_HOST, MUC_HOST } from "./helpers/prosody.js";
import { timeline, useHarness } from "./helpers/scenario.js";
import { uniqueRoom } from "./helpers/xmpp.js";

const h = useHarness();

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const linesOf = (text: string, level: string): string[] => text.split("\n").filter((line) => line.includes(`\t${level}\t`));

describe("operator's view of the setup", () => {
  it("warns once, naming muc_component and the MUC hosts that exist, when muc_component names no host", async () => {
    const api = await h.receiver();
    const typo = "conferense.localhost";
    const p = await h.prosody({ component: { api_prefix: api.url, muc_component: typo } });
    await sleep(500);
    const warnings = linesOf(p.logText(), "warn").filter((line) => line.includes("muc_component"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`"${typo}"`);
    expect(warnings[0]).toContain(`MUC components on this server: ${MUC_HOST}`);
    expect(warnings[0]).toContain(COMPONENT_HOST);

    const a = await h.user(p);
    await a.join(uniqueRoom("typo"), "alice");
    expect(await api.quietFor(500)).toEqual([]);
  });

  it("says nothing of handed-over state when a broken configuration is fixed and the module reloaded", async () => {
    const api = await h.receiver();
    const p = await h.prosody({ component: { muc_component: MUC_HOST }, adminConsole: true });
    expect(linesOf(p.logText(), "error").filter((line) => line.includes("api_prefix"))).toHaveLength(1);

    // The operator adds the missing option, reloads the config, then the module.
    const config = readFileSync(p.configPath, "utf8");
    const block = `Component "${COMPONENT_HOST}" "event_sync_component"\n`;
    expect(config).toContain(block);
    writeFileSync(p.configPath, config.replace(block, `${block}    api_prefix = "${api.url}"\n`));
    expect(await p.adminCommand("config:reload()")).toMatch(/Config reloaded|reloaded/i);
    expect(await p.adminCommand(`module:reload("event_sync_component", "${COMPONENT_HOST}")`)).toMatch(/Module reloaded on 1 host/);

    const log = p.logText();
    expect(log).toMatch(/event_sync \S+ posting to/);
    expect(log).not.toMatch(/handed over/);
    expect(linesOf(log, "warn").filter((line) => line.includes("event_sync_component"))).toEqual([]);

    const a = await h.user(p);
    const room = uniqueRoom("fixed");
    await a.join(room, "alice");
    await a.leave(room, "alice");
    expect(timeline(await api.waitFor(4))).toEqual(["created", `joined:${a.jid}`, `left:${a.jid}`, "destroyed"]);
  });
});
