import { decode, ExtData } from '@msgpack/msgpack';
import { DriverError, messageOf } from '../errors';
import { bytesText, container, indexed, NodeBudget, scalar, summary } from './structure';
import { StructEntry, StructNode } from './shapes';

/** MessagePack read with @msgpack/msgpack, every length capped so a hostile header cannot make it allocate. */
const LIMITS = { maxStrLength: 16 * 2 ** 20, maxBinLength: 16 * 2 ** 20, maxArrayLength: 1_000_000, maxMapLength: 1_000_000, maxExtLength: 16 * 2 ** 20, useBigInt64: true };

/** A map or an array first: a lone MessagePack scalar is indistinguishable from other bytes. */
export function looksLikeMsgpack(data: Buffer): boolean {
  const first = data[0];
  return first !== undefined && ((first >= 0x80 && first <= 0x9f) || first === 0xdc || first === 0xdd || first === 0xde || first === 0xdf);
}

function render(value: unknown, budget: NodeBudget, depth = 0): StructNode {
  budget.depth(depth);
  budget.take();
  if (value === null || value === undefined) return scalar('nil', 'nil');
  if (typeof value === 'string') return scalar('str', value);
  if (typeof value === 'number') return scalar(Number.isInteger(value) ? 'int' : 'float', String(value));
  if (typeof value === 'bigint') return scalar('int', value.toString());
  if (typeof value === 'boolean') return scalar('bool', String(value));
  if (value instanceof Uint8Array) return scalar('bin', bytesText(value));
  if (value instanceof Date) return scalar('timestamp', value.toISOString());
  if (value instanceof ExtData) return scalar(`ext ${value.type}`, bytesText(value.data instanceof Uint8Array ? value.data : new Uint8Array()));
  if (Array.isArray(value)) return container('array', indexed(value.map((item) => render(item, budget, depth + 1))));
  if (value instanceof Map) return container('map', [...value.entries()].map(([k, v]): StructEntry => ({ key: summary(render(k, budget, depth + 1)), node: render(v, budget, depth + 1) })));
  if (typeof value === 'object') return container('map', Object.keys(value).map((key) => ({ key, node: render(Object.getOwnPropertyDescriptor(value, key)?.value, budget, depth + 1) })));
  return scalar(typeof value, String(value));
}

export function parseMsgpack(data: Buffer): StructNode {
  let value: unknown;
  try {
    value = decode(data, LIMITS);
  } catch (error) {
    throw new DriverError('config', `This is not MessagePack: ${messageOf(error)}.`);
  }
  return render(value, new NodeBudget('MessagePack value'));
}
