import { stringify } from 'csv-stringify/sync';
import type { KeyStat, MemoryReport, PrefixNode } from './memoryShapes';

/* A memory report as files a person keeps or opens in a spreadsheet (here, beside csv-stringify, loaded on first use). */

/**
 * Key names are anyone's data: a text cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage
 * return first) is prefixed with an apostrophe, so opening the file runs nothing.
 */
export const inertCell = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const HEADER = ['section', 'name', 'type', 'keys', 'memory_bytes', 'length', 'ttl_ms'];

/** Every figure of the report as rows of one CSV: prefixes (depth first), types, TTL buckets, then the top lists. */
export function reportCsv(report: MemoryReport): string {
  const rows: (string | number)[][] = [HEADER];
  const prefix = (node: PrefixNode): void => {
    for (const child of node.children) {
      rows.push(['prefix', child.other ? `${child.prefix}(other)` : child.prefix, '', child.keys, child.memory, '', '']);
      prefix(child);
    }
  };
  prefix(report.prefixes);
  for (const t of report.byType) rows.push(['type', t.type, t.type, t.keys, t.memory, '', '']);
  for (const t of report.ttl) rows.push(['ttl', t.bucket, '', t.keys, t.memory, '', '']);
  const top = (section: string, keys: readonly KeyStat[]): void => {
    for (const k of keys) rows.push([section, k.base64 !== undefined ? `base64:${k.base64}` : k.text, k.type, 1, k.memory, k.length, k.ttl]);
  };
  top('top_by_memory', report.topByMemory);
  top('top_by_length', report.topByLength);
  top('top_without_ttl', report.topWithoutTtl);
  return stringify(rows, { cast: { string: inertCell }, record_delimiter: 'windows' });
}

/** The report as JSON, with what it is of and when it was taken. */
export function reportJson(report: MemoryReport, about: { connection: string; db: number; takenAt: string; delimiter: string }): string {
  return `${JSON.stringify({ ...about, report }, null, 2)}\n`;
}

/** The report as the text of a file in `format`. */
export function memoryReportFile(report: MemoryReport, format: 'json' | 'csv', about: { connection: string; db: number; takenAt: string; delimiter: string }): string {
  return format === 'json' ? reportJson(report, about) : reportCsv(report);
}
