/** How the key browser words times and sizes (failures: webview/shared/problem; counts: `countOf` in webview/shared/viewFormat). */
import { formatDuration, formatSize } from '../../src/drivers/format';

/** A TTL in milliseconds as a person reads it: "850 ms", "42s", "4m 52s", "3d 4h"; empty for none. */
export function ttlText(ms: number): string {
  if (ms < 0) return '';
  return ms < 1000 ? `${ms} ms` : formatDuration(ms / 1000);
}

export const bytesText = (bytes: number | undefined): string => (bytes === undefined ? '' : formatSize(bytes));
