import { parse } from 'java-deserialization';
import { DriverError, messageOf } from '../errors';
import { bytesText, container, indexed, NodeBudget, scalar, summary } from './structure';
import { StructEntry, StructNode } from './shapes';

/*
 * Java serialization streams (ObjectOutputStream) read as a structure with java-deserialization, a parser of the
 * stream grammar: it builds plain JavaScript records of class descriptions and field values, and has no way to load
 * or instantiate a Java class, so no readObject or gadget chain can run. Records are walked here with a cycle guard
 * (back-references can make a graph) and a node budget.
 */

export function isJavaSerialized(data: Buffer): boolean {
  return data.length >= 4 && data.readUInt16BE(0) === 0xaced && data.readUInt16BE(2) === 5;
}

/** What the parser hands back: objects carry their class description in a non-enumerable `class`. */
function classOf(value: object): string | undefined {
  const described: unknown = Object.getOwnPropertyDescriptor(value, 'class')?.value;
  if (typeof described !== 'object' || described === null || !('name' in described)) return undefined;
  return typeof described.name === 'string' ? described.name : undefined;
}

function render(value: unknown, budget: NodeBudget): StructNode {
  const open = new Set<object>();
  const go = (v: unknown, depth: number): StructNode => {
    budget.depth(depth);
    budget.take();
    if (v === null || v === undefined) return scalar('null', 'null');
    if (typeof v === 'string') return scalar('String', v);
    if (typeof v === 'number') return scalar(Number.isInteger(v) ? 'int' : 'double', String(v));
    if (typeof v === 'boolean') return scalar('boolean', String(v));
    if (typeof v !== 'object') return scalar(typeof v, String(v));
    if (Buffer.isBuffer(v)) return scalar('block data', bytesText(v));
    const cls = classOf(v);
    // Longs come as long.js values, enum constants as String objects carrying their class.
    if (v instanceof String) return scalar('enum', `${cls ?? 'enum'}.${v.valueOf()}`);
    if (cls === undefined && 'low' in v && 'high' in v && 'unsigned' in v) return scalar('long', String(v));
    if (open.has(v)) return scalar('reference', `(back-reference to an enclosing ${cls ?? 'value'})`);
    open.add(v);
    try {
      if (v instanceof Map) {
        return container('map', [...v.entries()].map(([k, item]): StructEntry => ({ key: summary(go(k, depth + 1)), node: go(item, depth + 1) })), cls);
      }
      if (Array.isArray(v)) return container('array', indexed(v.map((item) => go(item, depth + 1))), cls);
      const entries: StructEntry[] = Object.keys(v).map((key) => ({ key: key === '@' ? 'written by writeObject' : key, node: go(Object.getOwnPropertyDescriptor(v, key)?.value, depth + 1) }));
      return container('object', entries, cls ?? 'object');
    } finally {
      open.delete(v);
    }
  };
  return go(value, 0);
}

export function parseJava(data: Buffer): StructNode {
  let contents: unknown[];
  try {
    contents = parse(data);
  } catch (error) {
    throw new DriverError('config', `This is not a Java serialization stream this reader can follow: ${messageOf(error)}.`);
  }
  const budget = new NodeBudget('Java object');
  return contents.length === 1 ? render(contents[0], budget) : container('stream', indexed(contents.map((c) => render(c, budget))));
}
