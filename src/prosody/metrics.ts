/**
 * Delivery metrics on `module:measure`, shown by mod_http_openmetrics on `/metrics` when
 * `statistics = "internal"` (or another statistics provider) is set. Per event type:
 * `produced_*`, `delivered_*`, `retried_*`, `gave_up_*`, `dropped_*` (counters); plus `delivery_latency`
 * (seconds from the event to its delivery) and `pending` (deliveries in flight or waiting).
 */
import { DeliveryMetrics } from "../delivery/metrics";
import { EVENT_NAMES } from "../payloads";

type Counter = "produced" | "delivered" | "retried" | "gave_up" | "dropped";
const COUNTERS: readonly Counter[] = ["produced", "delivered", "retried", "gave_up", "dropped"];

/** `muc-occupant-joined` → `occupant_joined`: the metric-name form of an event. */
function metricSuffix(eventName: string): string {
  const [suffix] = string.gsub(string.gsub(eventName, "^muc%-", "")[0], "%-", "_");
  return suffix;
}

export function createModuleMetrics(): DeliveryMetrics {
  /** One counter per event type (looked up by the event's name, no string built per call). */
  const counters = (counter: Counter): LuaMap<string, ProsodyMeasure> => {
    const byEvent = new LuaMap<string, ProsodyMeasure>();
    for (const eventName of EVENT_NAMES) byEvent.set(eventName, module.measure(`${counter}_${metricSuffix(eventName)}`, "rate"));
    return byEvent;
  };
  const [produced, delivered, retried, gaveUp, dropped] = COUNTERS.map((counter) => counters(counter));
  const latency = module.measure("delivery_latency", "distribution", {
    unit: "seconds",
    description: "Time from a room event to its delivery to the API",
  });
  const pending = module.measure("pending", "amount", { description: "Deliveries in flight or waiting" });

  return {
    produced: (eventName) => produced.get(eventName)?.(),
    delivered: (eventName, latencySeconds) => {
      delivered.get(eventName)?.();
      latency(latencySeconds);
    },
    retried: (eventName) => retried.get(eventName)?.(),
    gaveUp: (eventName) => gaveUp.get(eventName)?.(),
    dropped: (eventName) => dropped.get(eventName)?.(),
    pending: (value) => pending(value),
  };
}
