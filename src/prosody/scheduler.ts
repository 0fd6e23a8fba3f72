/**
 * The delivery `Scheduler` on `module:add_timer`: non-blocking, skipped after unload. A
 * callback that throws is logged, never raised into Prosody's timer loop.
 */
import { Log, Scheduler, TimerHandle } from "../delivery/types";
import { guarded } from "../safe";

export function createModuleScheduler(log: Log): Scheduler {
  return {
    after(seconds: number, callback: (this: void) => void): TimerHandle {
      const run = guarded(log, "timer", callback);
      const timer = module.add_timer(seconds, () => {
        run();
        return undefined; // a number would reschedule the timer
      });
      return { stop: () => timer.stop() };
    },
  };
}
