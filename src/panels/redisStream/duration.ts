/** How each unit of a duration is worded: a template for its number ({0}), e.g. `{0} min`. */
export interface DurationUnits {
  readonly ms: string;
  readonly s: string;
  readonly min: string;
  readonly h: string;
}

/** The units in English. The panel (webview l10n) and its questions (vscode.l10n) pass them in the user's language. */
const ENGLISH: DurationUnits = { ms: '{0} ms', s: '{0} s', min: '{0} min', h: '{0} h' };

/**
 * Milliseconds as a person reads them: "850 ms", "12 s", "3 min 5 s", "2 h 10 min". Shared by the panel and its
 * questions; pure (no l10n here), so that both sides can use it, each with its own translated units.
 */
export function duration(ms: number, units: DurationUnits = ENGLISH): string {
  const say = (unit: string, n: number): string => unit.replace('{0}', String(n));
  if (ms < 1000) return say(units.ms, ms);
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return say(units.s, seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${say(units.min, minutes)}${seconds % 60 ? ` ${say(units.s, seconds % 60)}` : ''}`;
  return `${say(units.h, Math.floor(minutes / 60))}${minutes % 60 ? ` ${say(units.min, minutes % 60)}` : ''}`;
}
