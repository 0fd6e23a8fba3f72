/**
 * A first-in first-out queue on a Lua table with head and tail indices: push and shift are
 * O(1) and never move other items. With `weak`, the queue does not keep its items alive: an
 * item nothing else references disappears from it (Lua's weak-valued tables).
 */
export class Fifo<T extends object> {
  private readonly items = new LuaMap<number, T>();
  private head = 1;
  private tail = 0;

  constructor(weak = false) {
    if (weak) setmetatable(this.items, { __mode: "v" });
  }

  push(item: T): void {
    this.tail += 1;
    this.items.set(this.tail, item);
  }

  /** The oldest item still there, left in place. */
  peek(): T | undefined {
    const item = this.items.get(this.head);
    if (item !== undefined || this.head > this.tail) return item;
    this.skipGone(); // a weak queue's front was collected
    return this.items.get(this.head);
  }

  /** Removes and returns the oldest item still there. */
  shift(): T | undefined {
    let item = this.items.get(this.head);
    if (item === undefined) {
      this.skipGone(); // empty, or a weak queue's front was collected
      if (this.head > this.tail) return undefined;
      item = this.items.get(this.head);
    }
    this.items.delete(this.head);
    this.head += 1;
    return item;
  }

  /** The n-th item from the front, 1-based (for a queue that is not weak: no gaps). */
  at(n: number): T | undefined {
    return this.items.get(this.head + n - 1);
  }

  /** Slots from the front to the back, for `at` (a weak queue may have gaps among them). */
  size(): number {
    return this.tail - this.head + 1;
  }

  /** Items in order, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = this.head; i <= this.tail; i++) {
      const item = this.items.get(i);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  isEmpty(): boolean {
    return this.peek() === undefined;
  }

  /** Steps over slots a weak queue lost to the garbage collector. */
  private skipGone(): void {
    while (this.head <= this.tail && this.items.get(this.head) === undefined) this.head += 1;
  }
}
