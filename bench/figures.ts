/** One measured figure; with a baseline, the ratio to it is printed too. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly name: string; readonly value: number };
  /** What the ratio should stay within, e.g. "<= 1.3". */
  readonly target?: string;
}

export function printFigures(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toFixed(f.value < 10 ? 2 : 1)} ${f.unit}`,
    f.baseline ? `${f.baseline.name}: ${f.baseline.value.toFixed(f.baseline.value < 10 ? 2 : 1)} ${f.unit}` : '',
    f.baseline ? `${(f.value / f.baseline.value).toFixed(2)}x` : '',
    f.target ?? '',
  ]);
  const header = ['figure', 'value', 'raw baseline (same run)', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Median of repeated timings, in ms. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
