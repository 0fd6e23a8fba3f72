/**
 * Small, typed readers for raw option values. Each reports a bad value as one message naming
 * the option and falls back to the default, so all problems are found in one pass.
 */

/** Returns the raw configured value of an option, or undefined. */
export type OptionReader = (this: void, name: string) => unknown;

/** Collects one message per bad option, so every problem is reported in a single pass. */
export class OptionErrors {
  readonly messages: string[] = [];
  add(name: string, problem: string): void {
    this.messages.push(`option '${name}' ${problem}`);
  }
}

export function readRequiredString(read: OptionReader, name: string, errors: OptionErrors): string {
  const value = read(name);
  if (value === undefined) {
    errors.add(name, "is required but not set");
    return "";
  }
  if (typeof value !== "string" || value === "") {
    errors.add(name, `must be a non-empty string, got ${describe(value)}`);
    return "";
  }
  return value;
}

/** What a numeric option may hold. */
type NumberKind = "count" | "positive count" | "seconds" | "positive seconds";

export function readNumber(read: OptionReader, name: string, fallback: number, errors: OptionErrors, kind: NumberKind): number {
  const value = read(name);
  if (value === undefined) return fallback;
  const parsed = typeof value === "number" ? value : typeof value === "string" ? tonumber(value) : undefined;
  const valid =
    parsed !== undefined &&
    parsed === parsed && // not NaN
    parsed !== Infinity &&
    (kind === "positive seconds" ? parsed > 0 : kind === "positive count" ? parsed >= 1 : parsed >= 0) &&
    ((kind !== "count" && kind !== "positive count") || math.floor(parsed) === parsed);
  if (!valid) {
    const wanted = {
      count: "a whole number >= 0",
      "positive count": "a whole number >= 1",
      seconds: "a number of seconds >= 0",
      "positive seconds": "a number of seconds > 0",
    }[kind];
    errors.add(name, `must be ${wanted}, got ${describe(value)}`);
    return fallback;
  }
  return parsed;
}

/** A short description of a config value for error messages (type, and the value if scalar). */
export function describe(value: unknown): string {
  if (typeof value === "string") return string.format("%q", value);
  if (typeof value === "number" || typeof value === "boolean") return `${type(value)} ${tostring(value)}`;
  return type(value);
}

/**
 * Reads a non-empty string or a non-empty list of strings (Prosody's `get_option_array`
 * convention: a single value is a one-item list). Undefined when unset. A table with other
 * keys (`{ primary = "…" }`) or an empty list is an error: silently reading it as "nothing"
 * would turn signing or every event off.
 */
export function readStringList(read: OptionReader, name: string, errors: OptionErrors): string[] | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  if (typeof value === "string") return [value];
  const problem = `must be a string or a non-empty list of strings`;
  if (typeof value !== "object") {
    errors.add(name, `${problem}, got a ${type(value)}`);
    return undefined;
  }
  const table = value as LuaTable<AnyNotNil, unknown>;
  const list: string[] = [];
  let keys = 0;
  for (const [, item] of pairs(table)) {
    keys += 1;
    if (typeof item !== "string") {
      errors.add(name, `${problem} (an item is a ${type(item)})`);
      return undefined;
    }
  }
  for (let i = 1; i <= keys; i++) {
    const item = table.get(i);
    if (typeof item !== "string") {
      errors.add(name, `${problem} (it has keys that are not list positions)`);
      return undefined;
    }
    list.push(item);
  }
  if (list.length === 0) {
    errors.add(name, `${problem}, got an empty list`);
    return undefined;
  }
  return list;
}

/** Reads a boolean; Prosody configs write `true`/`false`, so nothing else is accepted. */
export function readBoolean(read: OptionReader, name: string, fallback: boolean, errors: OptionErrors): boolean {
  const value = read(name);
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    errors.add(name, `must be true or false, got ${describe(value)}`);
    return fallback;
  }
  return value;
}

/** Reads an optional non-empty string. */
export function readOptionalString(read: OptionReader, name: string, errors: OptionErrors): string | undefined {
  const value = read(name);
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value === "") {
    errors.add(name, `must be a non-empty string, got ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** Reads one of a fixed set of strings. */
export function readChoice<T extends string>(
  read: OptionReader,
  name: string,
  choices: readonly T[],
  fallback: T,
  errors: OptionErrors,
): T {
  const value = read(name);
  if (value === undefined) return fallback;
  for (const choice of choices) if (value === choice) return choice;
  errors.add(name, `must be one of ${choices.map((c) => `"${c}"`).join(", ")}, got ${describe(value)}`);
  return fallback;
}
