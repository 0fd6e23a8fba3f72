/**
 * What delivery reports about itself. The Prosody implementation feeds `module:measure`;
 * specs can record calls.
 */

import { EventName } from "../payloads";

export interface DeliveryMetrics {
  /** An event was queued for delivery. */
  produced(eventName: EventName): void;
  /** An event reached the API; `latencySeconds` runs from when it happened. */
  delivered(eventName: EventName, latencySeconds: number): void;
  /** An attempt failed and another is scheduled. */
  retried(eventName: EventName): void;
  /** An event was dropped after its last attempt or a non-retryable answer. */
  gaveUp(eventName: EventName): void;
  /** An undelivered event was dropped to stay under `api_max_pending`. */
  dropped(eventName: EventName): void;
  /** Deliveries in flight or waiting, after any change. */
  pending(count: number): void;
}
