import { DriverError } from '../errors';
import { displayBytes } from '../redis/keys';
import { StructEntry, StructNode } from './shapes';

/** The most nodes and the deepest nesting a decoded structure may have: hostile input cannot exhaust the host. */
export const MAX_NODES = 200_000;
export const MAX_DEPTH = 200;

/** Counts the nodes a decoder makes, refusing past MAX_NODES. */
export class NodeBudget {
  private used = 0;

  constructor(private readonly what: string) {}

  take(count = 1): void {
    this.used += count;
    if (this.used > MAX_NODES) throw new DriverError('config', `This ${this.what} has more than ${MAX_NODES.toLocaleString()} elements: it is too big to show as a structure.`);
  }

  depth(level: number): void {
    if (level > MAX_DEPTH) throw new DriverError('config', `This ${this.what} nests deeper than ${MAX_DEPTH} levels: it is too deep to show as a structure.`);
  }
}

export const scalar = (type: string, value: string): StructNode => ({ type, value });
export const container = (type: string, entries: readonly StructEntry[], value?: string): StructNode => (value === undefined ? { type, entries } : { type, value, entries });
export const indexed = (nodes: readonly StructNode[]): StructEntry[] => nodes.map((node, i) => ({ key: String(i), node }));

/** Bytes as text where they are UTF-8, escapes where not (as every value is shown). */
export function bytesText(data: Uint8Array): string {
  return displayBytes(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).text;
}

/** A one-line summary of a node, for a dictionary key that is itself a structure. */
export function summary(node: StructNode): string {
  if (node.entries === undefined) return node.value ?? node.type;
  const inner = node.entries.slice(0, 4).map((e) => summary(e.node)).join(', ');
  return `${node.value ?? node.type}(${inner}${node.entries.length > 4 ? ', …' : ''})`;
}
