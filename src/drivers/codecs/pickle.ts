import { DriverError } from '../errors';
import { bytesText, container, indexed, NodeBudget, scalar, summary } from './structure';
import { StructEntry, StructNode } from './shapes';

/*
 * Python pickles read as a structure by walking their opcodes, protocols 0 to 5. Nothing is unpickled: GLOBAL and
 * STACK_GLOBAL become descriptions of the callable they name, REDUCE, NEWOBJ, OBJ and INST become descriptions of the
 * call they would make ("call os.system (never run)"), BUILD attaches the state it would set. No callable is ever
 * looked up, let alone invoked, so a pickle written to run code shows what it would have run.
 */

/** A value on the pickle machine's stack; containers stay mutable while APPEND, SETITEM and BUILD fill them. */
type Value =
  | { readonly t: 'scalar'; readonly node: StructNode }
  | { readonly t: 'list' | 'tuple' | 'set' | 'frozenset'; readonly items: Value[] }
  | { readonly t: 'dict'; readonly entries: [Value, Value][] }
  | { readonly t: 'global'; readonly module: string; readonly name: string }
  | { readonly t: 'call'; readonly how: string; readonly callable: Value; readonly args: Value; state?: Value }
  | { readonly t: 'mark' };

const MARK: Value = { t: 'mark' };
const s = (type: string, value: string): Value => ({ t: 'scalar', node: scalar(type, value) });

export function isPickle(data: Buffer): boolean {
  // A pickle always ends with STOP. Protocol 2 and later begin with PROTO; protocols 0 and 1 (Python 2's default,
  // and text) with a container, a global or a scalar opcode, and only a full parse tells them from other text.
  if (data.length < 2 || data[data.length - 1] !== 0x2e) return false;
  if (data[0] === 0x80) return data[1]! >= 2 && data[1]! <= 5;
  return /^(?:\((?:dp|lp|tp)?\d*\n?|c[\w.]+\n|[\]}]|[NIVSFL])/.test(data.toString('latin1', 0, 16));
}

class Reader {
  pos = 0;
  constructor(private readonly data: Buffer) {}

  take(n: number): Buffer {
    if (n < 0 || this.pos + n > this.data.length) throw new DriverError('config', `This pickle ends early: it needs ${n} more bytes at offset ${this.pos}.`);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  byte(): number {
    return this.take(1)[0]!;
  }

  line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) throw new DriverError('config', `This pickle ends early: a line at offset ${this.pos} has no end.`);
    const text = this.data.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return text;
  }

  u32(): number {
    return this.take(4).readUInt32LE(0);
  }

  u64(): number {
    const value = this.take(8).readBigUInt64LE(0);
    if (value > BigInt(this.data.length)) throw new DriverError('config', `This pickle claims ${value} bytes at offset ${this.pos - 8}, more than it holds.`);
    return Number(value);
  }
}

/** Little-endian two's complement bytes (LONG1, LONG4) as decimal text. */
function longText(bytes: Buffer): string {
  if (bytes.length === 0) return '0';
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  if (bytes[bytes.length - 1]! & 0x80) value -= 1n << BigInt(bytes.length * 8);
  return value.toString();
}

/** Python 2 STRING and protocol 0 quoting: 'text' or "text" with backslash escapes, shown as written. */
const quoted = (line: string): string => (/^(['"]).*\1$/s.test(line) ? line.slice(1, -1) : line);

/** raw-unicode-escape, as protocol 0's UNICODE writes text: \uXXXX and \UXXXXXXXX, the rest Latin-1. */
const rawUnicode = (line: string): string =>
  line.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, short?: string, long?: string) => String.fromCodePoint(parseInt(short ?? long ?? '0', 16)));

/** The protocol a pickle declares (PROTO opens protocols 2 to 5); undefined for protocols 0 and 1, which declare none. */
export function pickleProtocol(data: Buffer): number | undefined {
  return data[0] === 0x80 && data.length > 1 ? data[1] : undefined;
}

export function parsePickle(data: Buffer): StructNode {
  const budget = new NodeBudget('pickle');
  const reader = new Reader(data);
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const pop = (): Value => {
    const value = stack.pop();
    if (value === undefined || value === MARK) throw new DriverError('config', `This pickle pops an empty stack at offset ${reader.pos - 1}.`);
    return value;
  };
  const popMark = (): Value[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new DriverError('config', `This pickle has no MARK for the opcode at offset ${reader.pos - 1}.`);
    return stack.splice(at).slice(1);
  };
  const top = (): Value => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK) throw new DriverError('config', `This pickle has nothing to add to at offset ${reader.pos - 1}.`);
    return value;
  };
  const push = (value: Value): void => {
    budget.take();
    stack.push(value);
  };
  const add = (target: Value, items: Value[]): void => {
    if (target.t === 'list' || target.t === 'set' || target.t === 'frozenset') target.items.push(...items);
    else if (target.t === 'call') target.state = { t: 'list', items: [...(target.state?.t === 'list' ? target.state.items : []), ...items] };
    else throw new DriverError('config', `This pickle appends to a ${target.t} at offset ${reader.pos - 1}.`);
  };
  const setItems = (target: Value, flat: Value[]): void => {
    if (target.t !== 'dict') throw new DriverError('config', `This pickle sets items on a ${target.t} at offset ${reader.pos - 1}.`);
    for (let i = 0; i + 1 < flat.length; i += 2) target.entries.push([flat[i]!, flat[i + 1]!]);
  };
  const call = (how: string, callable: Value, args: Value): Value => ({ t: 'call', how, callable, args });
  for (;;) {
    const op = reader.byte();
    switch (op) {
      case 0x80: reader.byte(); break; // PROTO
      case 0x95: reader.take(8); break; // FRAME: its length only helps a streaming reader
      case 0x2e: // STOP
        if (reader.pos !== data.length) throw new DriverError('config', `This pickle has ${data.length - reader.pos} bytes after its end.`);
        return render(pop(), budget);
      case 0x28: stack.push(MARK); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: push(top()); break; // DUP
      case 0x4e: push(s('None', 'None')); break;
      case 0x88: push(s('bool', 'True')); break;
      case 0x89: push(s('bool', 'False')); break;
      case 0x49: { // INT: protocol 0 writes bools as I01 / I00
        const line = reader.line();
        push(line === '01' ? s('bool', 'True') : line === '00' ? s('bool', 'False') : s('int', line));
        break;
      }
      case 0x4a: push(s('int', String(reader.take(4).readInt32LE(0)))); break; // BININT
      case 0x4b: push(s('int', String(reader.byte()))); break; // BININT1
      case 0x4d: push(s('int', String(reader.take(2).readUInt16LE(0)))); break; // BININT2
      case 0x4c: push(s('int', reader.line().replace(/L$/, ''))); break; // LONG
      case 0x8a: push(s('int', longText(reader.take(reader.byte())))); break; // LONG1
      case 0x8b: push(s('int', longText(reader.take(reader.u32())))); break; // LONG4
      case 0x46: push(s('float', reader.line())); break; // FLOAT
      case 0x47: push(s('float', String(reader.take(8).readDoubleBE(0)))); break; // BINFLOAT
      case 0x53: push(s('str', quoted(reader.line()))); break; // STRING (Python 2 str)
      case 0x54: push(s('bytes', bytesText(reader.take(reader.u32())))); break; // BINSTRING
      case 0x55: push(s('bytes', bytesText(reader.take(reader.byte())))); break; // SHORT_BINSTRING
      case 0x56: push(s('str', rawUnicode(reader.line()))); break; // UNICODE
      case 0x58: push(s('str', reader.take(reader.u32()).toString('utf8'))); break; // BINUNICODE
      case 0x8c: push(s('str', reader.take(reader.byte()).toString('utf8'))); break; // SHORT_BINUNICODE
      case 0x8d: push(s('str', reader.take(reader.u64()).toString('utf8'))); break; // BINUNICODE8
      case 0x42: push(s('bytes', bytesText(reader.take(reader.u32())))); break; // BINBYTES
      case 0x43: push(s('bytes', bytesText(reader.take(reader.byte())))); break; // SHORT_BINBYTES
      case 0x8e: push(s('bytes', bytesText(reader.take(reader.u64())))); break; // BINBYTES8
      case 0x96: push(s('bytearray', bytesText(reader.take(reader.u64())))); break; // BYTEARRAY8
      case 0x97: push(s('buffer', 'out-of-band buffer (not in the pickle)')); break; // NEXT_BUFFER
      case 0x98: break; // READONLY_BUFFER
      case 0x5d: push({ t: 'list', items: [] }); break; // EMPTY_LIST
      case 0x6c: push({ t: 'list', items: popMark() }); break; // LIST
      case 0x61: { const item = pop(); add(top(), [item]); break; } // APPEND
      case 0x65: { const items = popMark(); add(top(), items); break; } // APPENDS
      case 0x29: push({ t: 'tuple', items: [] }); break; // EMPTY_TUPLE
      case 0x74: push({ t: 'tuple', items: popMark() }); break; // TUPLE
      case 0x85: push({ t: 'tuple', items: [pop()] }); break; // TUPLE1
      case 0x86: { const b = pop(); push({ t: 'tuple', items: [pop(), b] }); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); push({ t: 'tuple', items: [pop(), b, c] }); break; } // TUPLE3
      case 0x7d: push({ t: 'dict', entries: [] }); break; // EMPTY_DICT
      case 0x64: { const dict: Value = { t: 'dict', entries: [] }; setItems(dict, popMark()); push(dict); break; } // DICT
      case 0x73: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; } // SETITEM
      case 0x75: { const flat = popMark(); setItems(top(), flat); break; } // SETITEMS
      case 0x8f: push({ t: 'set', items: [] }); break; // EMPTY_SET
      case 0x90: { const items = popMark(); add(top(), items); break; } // ADDITEMS
      case 0x91: push({ t: 'frozenset', items: popMark() }); break; // FROZENSET
      case 0x63: { const module = reader.line(); push({ t: 'global', module, name: reader.line() }); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        const text = (v: Value): string => (v.t === 'scalar' ? (v.node.value ?? '') : '?');
        push({ t: 'global', module: text(module), name: text(name) });
        break;
      }
      case 0x52: { const args = pop(); push(call('REDUCE', pop(), args)); break; } // REDUCE
      case 0x81: { const args = pop(); push(call('NEWOBJ', pop(), args)); break; } // NEWOBJ
      case 0x92: { const kwargs = pop(); const args = pop(); push(call('NEWOBJ_EX', pop(), { t: 'tuple', items: [args, kwargs] })); break; } // NEWOBJ_EX
      case 0x6f: { const [callable, ...args] = popMark(); push(call('OBJ', callable ?? s('None', 'None'), { t: 'tuple', items: args })); break; } // OBJ
      case 0x69: { // INST
        const module = reader.line();
        const name = reader.line();
        push(call('INST', { t: 'global', module, name }, { t: 'tuple', items: popMark() }));
        break;
      }
      case 0x62: { // BUILD: the state __setstate__ (or the instance dict) would get
        const state = pop();
        const target = top();
        if (target.t === 'call') target.state = state;
        else stack[stack.length - 1] = { t: 'call', how: 'BUILD', callable: { t: 'global', module: '', name: '(state of)' }, args: { t: 'tuple', items: [target] }, state };
        break;
      }
      case 0x50: push(s('persistent id', reader.line())); break; // PERSID
      case 0x51: push({ t: 'call', how: 'BINPERSID', callable: { t: 'global', module: '', name: 'persistent_load' }, args: { t: 'tuple', items: [pop()] } }); break;
      case 0x82: push(s('extension', String(reader.byte()))); break; // EXT1
      case 0x83: push(s('extension', String(reader.take(2).readUInt16LE(0)))); break; // EXT2
      case 0x84: push(s('extension', String(reader.u32()))); break; // EXT4
      case 0x70: memo.set(Number(reader.line()), top()); break; // PUT
      case 0x71: memo.set(reader.byte(), top()); break; // BINPUT
      case 0x72: memo.set(reader.u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x67: push(fromMemo(memo, Number(reader.line()), reader.pos)); break; // GET
      case 0x68: push(fromMemo(memo, reader.byte(), reader.pos)); break; // BINGET
      case 0x6a: push(fromMemo(memo, reader.u32(), reader.pos)); break; // LONG_BINGET
      default:
        throw new DriverError('config', `This is not a pickle this reader knows: opcode 0x${op.toString(16).padStart(2, '0')} at offset ${reader.pos - 1}.`);
    }
  }
}

function fromMemo(memo: Map<number, Value>, index: number, at: number): Value {
  const value = memo.get(index);
  if (!value) throw new DriverError('config', `This pickle refers to memo ${index}, which it never stored (offset ${at}).`);
  return value;
}

/** The stack's final value as a StructNode; a value met again inside itself (a cycle through the memo) is named, not followed. */
function render(value: Value, budget: NodeBudget): StructNode {
  const open = new Set<Value>();
  const go = (v: Value, depth: number): StructNode => {
    budget.depth(depth);
    budget.take();
    if (v.t === 'scalar') return v.node;
    if (v.t === 'mark') return scalar('mark', 'MARK');
    if (v.t === 'global') return scalar('global', `${v.module}.${v.name}`);
    if (open.has(v)) return scalar('reference', '(recursive reference to an enclosing value)');
    open.add(v);
    try {
      if (v.t === 'dict') return container('dict', v.entries.map(([k, item]): StructEntry => ({ key: summary(go(k, depth + 1)), node: go(item, depth + 1) })));
      if (v.t === 'call') {
        const callable = go(v.callable, depth + 1);
        const entries: StructEntry[] = [{ key: 'arguments', node: go(v.args, depth + 1) }];
        if (v.state) entries.push({ key: 'state', node: go(v.state, depth + 1) });
        return container('call', entries, `${callable.value ?? summary(callable)} (${v.how}, never run)`);
      }
      return container(v.t, indexed(v.items.map((item) => go(item, depth + 1))));
    } finally {
      open.delete(v);
    }
  };
  return go(value, 0);
}
