/**
 * The durable outbox's metrics on `module:measure` (on `/metrics` with mod_http_openmetrics):
 * `outbox_size` and `dead_letters` (gauges), `storage_errors`, `dead_letters_dropped` and
 * `replayed` (counters).
 */
import { DeadLetterMetrics } from "../delivery/dead_letters";
import { OutboxMetrics } from "../delivery/outbox";

export interface DurabilityMetrics {
  readonly outbox: OutboxMetrics;
  readonly deadLetters: DeadLetterMetrics;
  /** Events taken from the outbox after a start, or dead letters sent again. */
  readonly replayed: (this: void, count: number) => void;
}

export function createDurabilityMetrics(): DurabilityMetrics {
  const size = module.measure("outbox_size", "amount", { description: "Events in the durable outbox (not yet delivered)" });
  const storageErrors = module.measure("storage_errors", "rate", { description: "Failed reads and writes of the outbox and dead letters" });
  const deadLetters = module.measure("dead_letters", "amount", { description: "Events given up and kept as dead letters" });
  const overflow = module.measure("dead_letters_dropped", "rate", { description: "Dead letters dropped over api_dead_letter_max" });
  const replayed = module.measure("replayed", "rate", { description: "Events sent again from the outbox after a start, or replayed dead letters" });
  return {
    outbox: { size: (count) => size(count), storageError: () => storageErrors() },
    deadLetters: { count: (value) => deadLetters(value), overflow: () => overflow() },
    replayed: (count) => {
      for (let i = 0; i < count; i++) replayed();
    },
  };
}
