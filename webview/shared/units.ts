/** Sizes, counts and durations as a person reads them. */
import * as l10n from '@vscode/l10n';

export function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export const count = (n: number): string => Math.round(n).toLocaleString();

export function duration(ms: number): string {
  if (ms < 0) return l10n.t('none');
  if (ms < 1000) return l10n.t('{0} ms', String(Math.round(ms)));
  if (ms < 120_000) return l10n.t('{0} s', (ms / 1000).toFixed(1));
  if (ms < 7_200_000) return l10n.t('{0} min', String(Math.round(ms / 60_000)));
  if (ms < 172_800_000) return l10n.t('{0} h', (ms / 3_600_000).toFixed(1));
  return l10n.t('{0} d', (ms / 86_400_000).toFixed(1));
}
