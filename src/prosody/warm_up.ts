/**
 * Opens the API connections when a client logs in (`resource-bind` on a VirtualHost) and none
 * is open: a Jitsi Meet client joins its conference right after logging in, and at a meeting's
 * start many do at once. A connection opened by the first join instead is established only
 * after Prosody has handled every stanza that was ready before it, which under such a burst
 * delays the first webhooks by hundreds of milliseconds. The transport opens them at most once
 * per idle period, and closes them again when nothing uses them.
 */
import { Log } from "../delivery/types";
import { guarded } from "../safe";
import { forEachLocalHost } from "./local_hosts";

/** After everything else Prosody does at a login: nothing of ours runs before it. */
const AFTER_LOGIN = -100;

export function warmOnLogin(log: Log, warm: (this: void) => void): void {
  forEachLocalHost(log, (host) => {
    module.context(host).hook<ResourceBindEvent>("resource-bind", guarded(log, "resource-bind", () => warm()), AFTER_LOGIN);
  });
}
