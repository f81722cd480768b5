import type { ColumnSchema } from './schema';

/**
 * A CSV field checked against the column it goes into, before anything is written: the value bound to the INSERT, or
 * why the field does not fit. An unquoted empty field is NULL; a quoted one ("") is the empty string. Binary columns
 * take 0x hex, as Switchboard's exports write them.
 */
export type CsvField = string | null;
export type Bound = string | bigint | Buffer | null;
export type Checked = { readonly ok: true; readonly value: Bound } | { readonly ok: false; readonly reason: string };
export type FieldCheck = (field: CsvField) => Checked;

const INTEGER_BITS: Readonly<Record<string, number>> = { tinyint: 8, smallint: 16, mediumint: 24, int: 32, integer: 32, bigint: 64 };
const TEXT_BYTES: Readonly<Record<string, number>> = { tinytext: 255, text: 65_535, mediumtext: 16_777_215, longtext: 4_294_967_295 };
const BLOB_BYTES: Readonly<Record<string, number>> = { tinyblob: 255, blob: 65_535, mediumblob: 16_777_215, longblob: 4_294_967_295 };
const NOT_IMPORTABLE = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'vector']);

const ok = (value: Bound): Checked => ({ ok: true, value });
const bad = (reason: string): Checked => ({ ok: false, reason });
const shown = (value: string): string => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** The number in a column type's parentheses, e.g. 120 of "varchar(120)". */
function size(columnType: string): number | undefined {
  const match = /\((\d+)/.exec(columnType);
  return match ? Number(match[1]) : undefined;
}

/** The members of an ENUM or SET column type, e.g. ['a', "b'c"] of "enum('a','b''c')". */
export function members(columnType: string): string[] {
  const body = /^(?:enum|set)\((.*)\)$/is.exec(columnType)?.[1] ?? '';
  return [...body.matchAll(/'((?:[^'\\]|''|\\.)*)'/g)].map((m) => (m[1] ?? '').replace(/''/g, "'").replace(/\\(.)/g, '$1'));
}

function validDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function validDateTime(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?$/.exec(text);
  if (!match || !validDate(match[1] ?? '')) return false;
  return match[2] === undefined || (Number(match[2]) < 24 && Number(match[3]) < 60 && Number(match[4] ?? 0) < 60);
}

function integer(column: ColumnSchema): FieldCheck {
  const bits = INTEGER_BITS[column.dataType] ?? 64;
  const unsigned = /unsigned/i.test(column.columnType);
  const min = unsigned ? 0n : -(1n << BigInt(bits - 1));
  const max = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  return (field) => {
    const text = field?.trim() ?? '';
    if (!/^[-+]?\d+$/.test(text)) return bad(`${shown(text)} is not a whole number`);
    const value = BigInt(text);
    return value < min || value > max ? bad(`${text} is out of range for ${column.columnType} (${min} to ${max})`) : ok(value.toString());
  };
}

function decimal(column: ColumnSchema): FieldCheck {
  const match = /\((\d+)(?:,\s*(\d+))?\)/.exec(column.columnType);
  const precision = Number(match?.[1] ?? 10);
  const scale = Number(match?.[2] ?? 0);
  return (field) => {
    const text = field?.trim() ?? '';
    const parts = /^([-+]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (!parts || (parts[2] === '' && (parts[3] ?? '') === '')) return bad(`${shown(text)} is not a decimal number`);
    const whole = (parts[2] ?? '').replace(/^0+(?=\d)/, '');
    const fraction = parts[3] ?? '';
    if (whole.length > precision - scale) return bad(`${text} has more digits before the point than ${column.columnType} holds`);
    if (fraction.replace(/0+$/, '').length > scale) return bad(`${text} has more decimals than ${column.columnType} keeps (${scale})`);
    return ok(text);
  };
}

function text(column: ColumnSchema): FieldCheck {
  const bytes = TEXT_BYTES[column.dataType];
  const characters = bytes === undefined ? size(column.columnType) : undefined;
  return (field) => {
    const value = field ?? '';
    if (characters !== undefined && [...value].length > characters) return bad(`${shown(value)} is longer than ${column.columnType} (${[...value].length} characters)`);
    if (bytes !== undefined && Buffer.byteLength(value) > bytes) return bad(`the value is longer than ${column.columnType} holds (${Buffer.byteLength(value)} bytes)`);
    return ok(value);
  };
}

function binary(column: ColumnSchema): FieldCheck {
  const limit = BLOB_BYTES[column.dataType] ?? size(column.columnType);
  return (field) => {
    const value = field?.trim() ?? '';
    if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(value)) return bad(`${shown(value)} is not 0x hex (binary columns take their bytes as 0x hex)`);
    const bytes = Buffer.from(value.slice(2), 'hex');
    return limit !== undefined && bytes.length > limit ? bad(`${bytes.length} bytes are more than ${column.columnType} holds`) : ok(bytes);
  };
}

function pattern(test: (value: string) => boolean, what: string): FieldCheck {
  return (field) => {
    const value = field?.trim() ?? '';
    return test(value) ? ok(value) : bad(`${shown(value)} is not ${what}`);
  };
}

/** Why a column cannot be filled from CSV, or undefined when it can. */
export function notImportable(column: ColumnSchema): string | undefined {
  if (/GENERATED/i.test(column.extra)) return `${column.name} is a generated column`;
  if (NOT_IMPORTABLE.has(column.dataType)) return `${column.name} is a ${column.dataType} column`;
  return undefined;
}

/** The check of a column's CSV fields, NULL included. */
export function checkOf(column: ColumnSchema): FieldCheck {
  const type = column.dataType.toLowerCase();
  const check: FieldCheck = type in INTEGER_BITS ? integer(column)
    : type === 'decimal' || type === 'numeric' ? decimal(column)
    : type === 'float' || type === 'double' || type === 'real' ? pattern((v) => /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(v) && Number.isFinite(Number(v)), 'a number')
    : type === 'bit' ? (field) => {
      const n = /^\d+$/.test(field?.trim() ?? '') ? BigInt(field?.trim() ?? '0') : -1n;
      return n >= 0n && n < 1n << BigInt(size(column.columnType) ?? 1) ? ok(n) : bad(`${shown(field ?? '')} is not a whole number that fits ${column.columnType}`);
    }
    : type === 'date' ? pattern(validDate, 'a date (YYYY-MM-DD)')
    : type === 'datetime' || type === 'timestamp' ? pattern(validDateTime, 'a date and time (YYYY-MM-DD hh:mm:ss)')
    : type === 'time' ? pattern((v) => /^-?\d{1,3}:[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?$/.test(v), 'a time (hh:mm:ss)')
    : type === 'year' ? pattern((v) => /^\d{4}$/.test(v) && ((Number(v) >= 1901 && Number(v) <= 2155) || v === '0000'), 'a year from 1901 to 2155')
    : type === 'json' ? (field) => {
      try {
        JSON.parse(field ?? '');
        return ok(field ?? '');
      } catch {
        return bad(`${shown(field ?? '')} is not JSON`);
      }
    }
    : type === 'enum' ? ((names) => (field: CsvField) => {
      const found = names.find((m) => m.toLowerCase() === (field ?? '').toLowerCase());
      return found !== undefined ? ok(found) : bad(`${shown(field ?? '')} is not one of ${column.columnType}`);
    })(members(column.columnType))
    : type === 'set' ? ((names) => (field: CsvField) => {
      const parts = (field ?? '') === '' ? [] : (field ?? '').split(',');
      const wrong = parts.find((p) => !names.some((m) => m.toLowerCase() === p.toLowerCase()));
      return wrong === undefined ? ok(parts.join(',')) : bad(`${shown(wrong)} is not a member of ${column.columnType}`);
    })(members(column.columnType))
    : type.includes('binary') || type.includes('blob') ? binary(column)
    : text(column);
  return (field) => {
    if (field !== null) return check(field);
    if (column.nullable || column.autoIncrement) return ok(null);
    return bad(`${column.name} does not take NULL (an unquoted empty field)`);
  };
}
