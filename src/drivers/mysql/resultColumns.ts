import type { FieldPacket } from 'mysql2/promise';
import { ColumnInfo, ColumnKind } from './resultShapes';
import { CellFormat } from './wireRows';

// mysql2 column type codes.
const NUMBER_TYPES = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);
const DATE_TYPES = new Set([7, 10, 11, 12, 14]);
const NULL_TYPE = 6;
const TYPE_NAMES: Record<number, string> = {
  0: 'DECIMAL', 1: 'TINYINT', 2: 'SMALLINT', 3: 'INT', 4: 'FLOAT', 5: 'DOUBLE', 6: 'NULL', 7: 'TIMESTAMP', 8: 'BIGINT', 9: 'MEDIUMINT',
  10: 'DATE', 11: 'TIME', 12: 'DATETIME', 13: 'YEAR', 14: 'DATE', 15: 'VARCHAR', 16: 'BIT', 242: 'VECTOR', 245: 'JSON', 246: 'DECIMAL', 247: 'ENUM',
  248: 'SET', 249: 'TINYBLOB', 250: 'MEDIUMBLOB', 251: 'LONGBLOB', 252: 'BLOB', 253: 'VARCHAR', 254: 'CHAR', 255: 'GEOMETRY',
};
const BINARY_CHARSET = 63;
const PRI_KEY_FLAG = 2;

/** A result column as the grid describes it, from its column definition. */
export function columnOf(field: FieldPacket): ColumnInfo {
  const code = field.columnType ?? field.type ?? 15;
  // MariaDB sends JSON as LONGTEXT and names the format in its extended metadata.
  const json = code === 245 || field.extendedFormat === 'json';
  const number = NUMBER_TYPES.has(code);
  const date = DATE_TYPES.has(code);
  // Numbers and dates carry the binary character set too, but arrive as ASCII text.
  const binary = !json && !number && !date && code !== NULL_TYPE && (field.characterSet === BINARY_CHARSET || code === 16 || code === 255);
  const kind: ColumnKind = number ? 'number' : date ? 'date' : json ? 'json' : binary ? 'binary' : 'text';
  let type = json ? 'JSON' : TYPE_NAMES[code] ?? `TYPE ${code}`;
  if (binary && code >= 249 && code <= 252) type = type.replace('TEXT', 'BLOB');
  else if (!binary && code >= 249 && code <= 252) type = type.replace('BLOB', 'TEXT');
  else if (binary && code === 253) type = 'VARBINARY';
  else if (binary && code === 254) type = 'BINARY';
  return { name: field.name, origin: field.orgName ?? '', table: field.orgTable ?? field.table ?? '', database: field.schema ?? field.db ?? '', type, kind, primaryKey: ((field.flags as number) & PRI_KEY_FLAG) !== 0 };
}

/** How the column's cells read off the wire: binary ones as hex, the rest as text in the character set they came in. */
export function formatOf(field: FieldPacket, column: ColumnInfo): CellFormat {
  const encoding = field.encoding && field.encoding !== 'binary' ? field.encoding : 'utf8';
  return { binary: column.kind === 'binary', encoding };
}
