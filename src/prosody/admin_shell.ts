/**
 * The `event_sync` section of Prosody's admin shell (`prosodyctl shell`), one code path for
 * Prosody 0.12 and 13: a table in mod_admin_shell's shared command environment
 * (`module:shared("/*\/admin_shell/env")`, its `def_env` on both versions), with 13's help
 * metadata in its metatable so 13's `help` lists it. 13's `module:add_item("shell-command")`
 * is not used: mod_admin_shell collects a host module's items only on hosts it is loaded on,
 * and a Component does not load the global `modules_enabled`. Every host running the module
 * registers its instance; a command names the host when there are several.
 *
 *   event_sync:status([host])
 *   event_sync:dead_letters([selector [, host]])    selector: "all", an event id or a room JID
 *   event_sync:replay(selector [, host])
 *   event_sync:discard(selector [, host])
 */
import { AdminCommands, Answer } from "../admin_commands";

const SECTION = "event_sync";

/** What mod_admin_shell passes as `self`: the section table, with the shell session. */
interface ShellSelf {
  readonly session: { print(this: void, line: string): void };
}

type ShellReply = LuaMultiReturn<[true, string] | [undefined, string]>;

const HELP = {
  desc: "Webhook delivery of mod_event_sync_component: status, dead letters",
  commands: {
    status: { desc: "Undelivered events per room, outbox, dead letters, last failure", args: [{ name: "host" }] },
    dead_letters: { desc: "List dead letters (all, or by event id or room JID)", args: [{ name: "selector" }, { name: "host" }] },
    replay: { desc: "Send dead letters again, same event ids (all, an event id or a room JID)", args: [{ name: "selector" }, { name: "host" }] },
    discard: { desc: "Delete dead letters (all, an event id or a room JID)", args: [{ name: "selector" }, { name: "host" }] },
  },
};

function hostNames(instances: LuaMap<string, AdminCommands>): string[] {
  const names: string[] = [];
  for (const [name] of instances) names.push(name);
  table.sort(names);
  return names;
}

function reply(self: ShellSelf, answer: Answer): ShellReply {
  if (!answer.ok) return $multi(undefined, answer.error);
  for (const line of answer.lines) self.session.print(line);
  return $multi(true, answer.summary);
}

/** Registers this host's commands; returns the function that unregisters them (for unload). */
export function registerAdminCommands(commands: AdminCommands): () => void {
  const env = module.shared<LuaMap<string, object>>("/*/admin_shell/env");
  const instances = module.shared<LuaMap<string, AdminCommands>>(`/*/${SECTION}/instances`);
  instances.set(module.host, commands);

  const pick = (host: string | undefined): AdminCommands | string => {
    if (host !== undefined) return instances.get(host) ?? `no event_sync on host ${host}; it runs on: ${hostNames(instances).join(", ")}`;
    const names = hostNames(instances);
    if (names.length === 1) return instances.get(names[0]!)!;
    return `name the host: event_sync runs on ${names.join(", ")}`;
  };
  const run = (self: ShellSelf, host: string | undefined, command: (this: void, target: AdminCommands) => Answer): ShellReply => {
    const target = pick(host);
    if (typeof target === "string") return $multi(undefined, target);
    return reply(self, command(target));
  };

  const section = {
    status(this: ShellSelf, host?: string): ShellReply {
      return run(this, host, (target) => ({ ok: true, lines: target.status(), summary: "status shown" }));
    },
    dead_letters(this: ShellSelf, selector?: string, host?: string): ShellReply {
      return run(this, host, (target) => target.deadLetters(selector ?? "all"));
    },
    replay(this: ShellSelf, selector?: string, host?: string): ShellReply {
      if (selector === undefined) return $multi(undefined, 'say which: event_sync:replay("all"), an event id or a room JID');
      return run(this, host, (target) => target.replay(selector));
    },
    discard(this: ShellSelf, selector?: string, host?: string): ShellReply {
      if (selector === undefined) return $multi(undefined, 'say which: event_sync:discard("all"), an event id or a room JID');
      return run(this, host, (target) => target.discard(selector));
    },
  };
  env.set(SECTION, setmetatable(section, { help: HELP } as LuaMetatable<typeof section>));

  return () => {
    if (instances.get(module.host) === commands) instances.delete(module.host);
    if (next(instances)[0] === undefined) env.delete(SECTION);
  };
}
