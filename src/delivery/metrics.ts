/**
 * What delivery reports about itself. The Prosody implementation feeds `module:measure`;
 * specs can record calls.
 */

export interface DeliveryMetrics {
  /** An event was queued for delivery. */
  produced(eventName: string): void;
  /** An event reached the API; `latencySeconds` runs from when it happened. */
  delivered(eventName: string, latencySeconds: number): void;
  /** An attempt failed and another is scheduled. */
  retried(eventName: string): void;
  /** An event was dropped after its last attempt or a non-retryable answer. */
  gaveUp(eventName: string): void;
  /** An undelivered event was dropped to stay under `api_max_pending`. */
  dropped(eventName: string): void;
  /** Deliveries in flight or waiting, after any change. */
  pending(count: number): void;
}
