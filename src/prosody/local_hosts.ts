/**
 * Runs `attach` for every local VirtualHost (not components): those active now and those
 * activated later. Hooks placed through `module.context(host)` go with our module's unload.
 */
import { guarded } from "../safe";
import { Log } from "../delivery/types";

export function forEachLocalHost(log: Log, attach: (this: void, host: string) => void): void {
  const visit = (host: string): void => {
    if (hosts.get(host)?.type === "local") attach(host);
  };
  for (const [host] of hosts) visit(host);
  module.hook_global("host-activated", guarded(log, "host-activated", (host: string) => visit(host)));
}
