import { DriverError } from '../errors';
import { bytesText, container, NodeBudget, scalar } from './structure';
import { StructEntry, StructNode } from './shapes';

/*
 * PHP's serialize() format read as a structure: N; b:1; i:42; d:1.5; s:5:"bytes"; a:2:{…} O:3:"Cls":1:{…}
 * C:3:"Cls":5:{…} E:8:"Enum:Case"; r:3; R:3;. Lengths count bytes, so the value is read as bytes. Objects stay a
 * class name with their properties: no class is looked up or instantiated, and no __wakeup or unserialize() runs.
 */

export function looksLikePhp(data: Buffer): boolean {
  return /^(?:[aO]:\d+:|C:\d+:"|s:\d+:"|i:-?\d+;|d:[-\d.EINFAN]+;|b:[01];|N;|E:\d+:")/.test(data.toString('latin1', 0, 24));
}

class Reader {
  pos = 0;
  /** Every value in the order PHP numbers them for r: and R: (from 1). */
  readonly slots: StructNode[] = [];
  constructor(private readonly data: Buffer, readonly budget: NodeBudget) {}

  fail(what: string): never {
    throw new DriverError('config', `This is not PHP serialize() data: ${what} at offset ${this.pos}.`);
  }

  expect(text: string): void {
    if (this.data.toString('latin1', this.pos, this.pos + text.length) !== text) this.fail(`expected "${text}"`);
    this.pos += text.length;
  }

  until(end: string): string {
    const at = this.data.indexOf(end, this.pos, 'latin1');
    if (at < 0) this.fail(`no "${end}"`);
    const text = this.data.toString('latin1', this.pos, at);
    this.pos = at + end.length;
    return text;
  }

  count(end: string): number {
    const text = this.until(end);
    if (!/^\d{1,10}$/.test(text)) this.fail(`"${text}" is not a length`);
    const value = Number(text);
    // Every element takes at least a few bytes: a larger count is a lie that would make us loop for nothing.
    if (value > this.data.length - this.pos) this.fail(`a count of ${value} with ${this.data.length - this.pos} bytes left`);
    return value;
  }

  bytes(length: number): Buffer {
    if (this.pos + length > this.data.length) this.fail(`${length} bytes running past the end`);
    const bytes = this.data.subarray(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }

  /** `len:"…"` of exactly len bytes. */
  sized(): Buffer {
    const length = this.count(':');
    this.expect('"');
    const bytes = this.bytes(length);
    this.expect('"');
    return bytes;
  }

  peek(n: number): string {
    return this.data.toString('latin1', this.pos, this.pos + n);
  }

  get done(): boolean {
    return this.pos >= this.data.length;
  }
}

/** A property name as PHP mangles it: "\0*\0name" is protected, "\0Class\0name" private. */
function propertyName(key: StructNode): string {
  const text = key.value ?? '';
  const mangled = /^\u0000(\*|[^\u0000]+)\u0000(.*)$/s.exec(text);
  if (!mangled) return text;
  return mangled[1] === '*' ? `${mangled[2]} (protected)` : `${mangled[2]} (private to ${mangled[1]})`;
}

function members(r: Reader, count: number, depth: number, object: boolean): StructEntry[] {
  const entries: StructEntry[] = [];
  for (let i = 0; i < count; i++) {
    const key = value(r, depth + 1, false);
    if (key.type !== 'int' && key.type !== 'string') r.fail(`a ${key.type} as an array key`);
    entries.push({ key: object ? propertyName(key) : (key.value ?? ''), node: value(r, depth + 1, true) });
  }
  r.expect('}');
  return entries;
}

function value(r: Reader, depth: number, numbered: boolean): StructNode {
  r.budget.depth(depth);
  r.budget.take();
  const slot = numbered ? r.slots.push(scalar('pending', '')) - 1 : -1;
  const made = parseTagged(r, depth);
  if (slot >= 0) r.slots[slot] = made;
  return made;
}

function parseTagged(r: Reader, depth: number): StructNode {
  if (r.peek(2) === 'N;') {
    r.pos += 2;
    return scalar('null', 'null');
  }
  const head = r.until(':');
  switch (head) {
    case 'b': {
      const text = r.until(';');
      if (text !== '0' && text !== '1') r.fail(`b:${text}`);
      return scalar('bool', text === '1' ? 'true' : 'false');
    }
    case 'i': {
      const text = r.until(';');
      if (!/^[-+]?\d+$/.test(text)) r.fail(`i:${text}`);
      return scalar('int', text);
    }
    case 'd': {
      const text = r.until(';');
      if (!/^(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|-?INF|NAN)$/.test(text)) r.fail(`d:${text}`);
      return scalar('float', text);
    }
    case 's': {
      const bytes = r.sized();
      r.expect(';');
      return scalar('string', bytesText(bytes));
    }
    case 'a': {
      const count = r.count(':');
      r.expect('{');
      return container('array', members(r, count, depth, false));
    }
    case 'O': {
      const name = r.sized().toString('latin1');
      r.expect(':');
      const count = r.count(':');
      r.expect('{');
      return container('object', members(r, count, depth, true), name);
    }
    case 'C': {
      const name = r.sized().toString('latin1');
      r.expect(':');
      const length = r.count(':');
      r.expect('{');
      const payload = r.bytes(length);
      r.expect('}');
      return container('object', [{ key: 'serialized by the class itself (Serializable)', node: scalar('string', bytesText(payload)) }], name);
    }
    case 'E': {
      const text = r.sized().toString('latin1');
      r.expect(';');
      return scalar('enum', text);
    }
    case 'r':
    case 'R': {
      const index = Number(r.until(';'));
      const target = r.slots[index - 1];
      if (!Number.isInteger(index) || !target) r.fail(`a reference to value ${index}, which does not exist`);
      return scalar('reference', `${head === 'R' ? 'the same variable as' : 'the same object as'} value #${index}`);
    }
    default:
      return r.fail(`unknown type "${head.slice(0, 10)}"`);
  }
}

export function parsePhp(data: Buffer): StructNode {
  const r = new Reader(data, new NodeBudget('PHP value'));
  const root = value(r, 0, true);
  if (!r.done) r.fail('more data after the value');
  return root;
}
