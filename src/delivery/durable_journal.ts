/**
 * The `DeliveryJournal` of the durable outbox: new events go into the outbox; a finished
 * delivery leaves it, and one given up or dropped becomes a dead letter. Pure.
 */
import { DeadLetters } from "./dead_letters";
import { Outbox } from "./outbox";
import { Delivery, DeliveryJournal, DeliveryOutcome } from "./types";

/** The error a dead letter records for an event dropped over `api_max_pending`. */
export const DROPPED_REASON = "dropped: more events were waiting than api_max_pending (or 16 MB of bodies) allows";

export class DurableJournal implements DeliveryJournal {
  constructor(
    private readonly outbox: Outbox,
    private readonly deadLetters: DeadLetters,
    private readonly nowMs: (this: void) => number,
  ) {}

  recorded(delivery: Delivery): void {
    this.outbox.record(delivery);
  }

  settled(delivery: Delivery, outcome: DeliveryOutcome): void {
    if (outcome.kind === "delivered") {
      this.outbox.settled(delivery);
      return;
    }
    // It leaves the outbox only once its dead letter is written: never in neither store.
    const leaveOutbox = (): void => this.outbox.settled(delivery);
    if (outcome.kind === "gave-up") {
      this.deadLetters.add(delivery, outcome.reason, outcome.code > 0 ? outcome.code : undefined, this.nowMs(), leaveOutbox);
    } else {
      this.deadLetters.add(delivery, DROPPED_REASON, undefined, this.nowMs(), leaveOutbox);
    }
    this.outbox.touch(); // written in the next round
  }
}
