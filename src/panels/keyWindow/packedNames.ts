/**
 * Names one after another in one growing buffer, each found by its number: a name costs two numbers, not an object
 * (the folder tree keeps up to 200,000 folder names this way). Number 0 is the empty name.
 */
export class PackedNames {
  private bytes = Buffer.allocUnsafe(4096);
  private used = 0;
  private readonly starts: number[] = [0];
  private readonly lengths: number[] = [0];

  /** Keeps `key[start, end)` as the next name. */
  add(key: Buffer, start: number, end: number): void {
    const length = end - start;
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    key.copy(this.bytes, this.used, start, end);
    this.starts.push(this.used);
    this.lengths.push(length);
    this.used += length;
  }

  /** The name's bytes (a view into the buffer: copy them to keep them past the next `add`). */
  name(id: number): Buffer {
    return this.bytes.subarray(this.starts[id]!, this.starts[id]! + this.lengths[id]!);
  }

  /** Byte order of two names. */
  compare(a: number, b: number): number {
    const bytes = this.bytes;
    const [sa, la, sb, lb] = [this.starts[a]!, this.lengths[a]!, this.starts[b]!, this.lengths[b]!];
    for (let i = 0; i < Math.min(la, lb); i++) {
      const d = bytes[sa + i]! - bytes[sb + i]!;
      if (d !== 0) return d;
    }
    return la - lb;
  }

  /** Whether name `id` is `key[start, end)`. */
  equals(id: number, key: Buffer, start: number, end: number): boolean {
    const length = end - start;
    if (this.lengths[id] !== length) return false;
    const at = this.starts[id]!;
    for (let i = 0; i < length; i++) if (this.bytes[at + i] !== key[start + i]) return false;
    return true;
  }
}
