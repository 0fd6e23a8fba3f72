/**
 * Delivery metrics on `module:measure`, shown by mod_http_openmetrics on `/metrics` when
 * `statistics = "internal"` (or another statistics provider) is set. Per event type:
 * `produced_*`, `delivered_*`, `retried_*`, `gave_up_*`, `dropped_*` (counters); plus `delivery_latency`
 * (seconds from the event to its delivery) and `pending` (deliveries in flight or waiting).
 */
import { DeliveryMetrics } from "../delivery/metrics";
import { EVENT_NAMES, EventName } from "../payloads";

type Counter = "produced" | "delivered" | "retried" | "gave_up" | "dropped";
const COUNTERS: readonly Counter[] = ["produced", "delivered", "retried", "gave_up", "dropped"];

/** `muc-occupant-joined` → `occupant_joined`: the metric-name form of an event. */
function metricSuffix(eventName: string): string {
  const [suffix] = string.gsub(string.gsub(eventName, "^muc%-", "")[0], "%-", "_");
  return suffix;
}

export function createModuleMetrics(): DeliveryMetrics {
  const counters = new LuaMap<string, ProsodyMeasure>();
  for (const counter of COUNTERS) {
    for (const eventName of EVENT_NAMES) {
      const name = `${counter}_${metricSuffix(eventName)}`;
      counters.set(`${counter} ${eventName}`, module.measure(name, "rate"));
    }
  }
  const count = (counter: Counter, eventName: EventName): void => counters.get(`${counter} ${eventName}`)?.();
  const latency = module.measure("delivery_latency", "distribution", {
    unit: "seconds",
    description: "Time from a room event to its delivery to the API",
  });
  const pending = module.measure("pending", "amount", { description: "Deliveries in flight or waiting" });

  return {
    produced: (eventName) => count("produced", eventName),
    delivered: (eventName, latencySeconds) => {
      count("delivered", eventName);
      latency(latencySeconds);
    },
    retried: (eventName) => count("retried", eventName),
    gaveUp: (eventName) => count("gave_up", eventName),
    dropped: (eventName) => count("dropped", eventName),
    pending: (value) => pending(value),
  };
}
