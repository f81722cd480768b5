type Growable = Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

/** A typed array twice as long, holding the same items first. */
export function grown<T extends Growable>(array: T, make: (length: number) => T): T {
  const next = make(array.length * 2);
  next.set(array);
  return next;
}

/** The last of the first `count` items of an ascending array that is at most `value` (0 when none is), by binary search. */
export function lastAtMost(sorted: Growable, count: number, value: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid]! <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

export const u8 = (n: number): Uint8Array<ArrayBuffer> => new Uint8Array(n);
export const u16 = (n: number): Uint16Array<ArrayBuffer> => new Uint16Array(n);
export const u32 = (n: number): Uint32Array<ArrayBuffer> => new Uint32Array(n);
export const f64 = (n: number): Float64Array<ArrayBuffer> => new Float64Array(n);

/** A growable list of unsigned 32-bit numbers (record indices), without an object per item. */
export class IndexList {
  private items = u32(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(index: number): void {
    if (this.count === this.items.length) this.items = grown(this.items, u32);
    this.items[this.count++] = index;
  }

  at(i: number): number {
    return this.items[i]!;
  }
}
