/** A binary min-heap: push and pop in O(log n). Used to keep layout O(n log n) with many overlaps. */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #isLess: (left: T, right: T) => boolean;

  constructor(isLess: (left: T, right: T) => boolean) {
    this.#isLess = isLess;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#isLess(items[index]!, items[parent]!)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && this.#isLess(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && this.#isLess(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === index) return top;
      [items[index], items[smallest]] = [items[smallest]!, items[index]!];
      index = smallest;
    }
  }

  clear(): void {
    this.#items.length = 0;
  }
}
