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

/** The most lines an outline has: past it, one line says how many more nodes there are. */
const OUTLINE_LINES = 5000;

/**
 * A structure as indented text, one node per line ("key: value (type)", its children two spaces in), for a pane
 * that shows text only; cut at OUTLINE_LINES.
 */
export function outline(root: StructNode): string {
  const lines: string[] = [];
  let left = 0;
  const visit = (node: StructNode, label: string | undefined, depth: number): void => {
    if (lines.length >= OUTLINE_LINES) {
      left++;
      return;
    }
    // "ada", "3 (int)", "dict", "__main__.Account (object)": a value with its type, but for text and bare containers.
    const shown = node.value === undefined ? node.type : node.type === 'str' ? node.value : `${node.value} (${node.type})`;
    lines.push(`${'  '.repeat(depth)}${label === undefined ? '' : `${label}: `}${shown}`);
    for (const entry of node.entries ?? []) visit(entry.node, entry.key, depth + 1);
  };
  visit(root, undefined, 0);
  if (left > 0) lines.push(`… and ${left.toLocaleString('en-US')} more`);
  return lines.join('\n');
}
