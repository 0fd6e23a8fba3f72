/** The delivery `Scheduler` on `module:add_timer`: non-blocking, skipped after unload. */
import { Scheduler, TimerHandle } from "../delivery/types";

export function createModuleScheduler(): Scheduler {
  return {
    after(seconds: number, callback: (this: void) => void): TimerHandle {
      const timer = module.add_timer(seconds, () => {
        callback();
        return undefined; // a number would reschedule the timer
      });
      return { stop: () => timer.stop() };
    },
  };
}
