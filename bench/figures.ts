import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

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

/** The middle value (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median of repeated timings, in ms. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/**
 * Memory in use once garbage collection has run, in MB: the JavaScript heap and Buffers (held outside it). V8 frees a
 * dead Buffer's memory on a background thread after the collection, so it collects, waits, and collects again.
 */
export async function settledMemoryMb(): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  await new Promise((resolve) => setTimeout(resolve, 200));
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
}

export class LoadWatch {
  private readonly loop = monitorEventLoopDelay({ resolution: 10 });
  private worstMs = 0;

  private constructor(private readonly memoryBefore: number) {
    this.loop.enable();
  }

  /** Measures the memory in use, then starts watching the event loop: call right before the load. */
  static async start(): Promise<LoadWatch> {
    return new LoadWatch(await settledMemoryMb());
  }

  /** Ends the delay measurement; call when the load is done. */
  done(): void {
    this.loop.disable();
    this.worstMs = this.loop.max / 1e6;
  }

  /** The figures, once the load's results are released. */
  async figures(kind: string, load: string): Promise<Figure[]> {
    return [
      { name: `${kind}: worst event-loop delay during ${load}`, value: this.worstMs, unit: 'ms', target: '< 50' },
      { name: `${kind}: heap and Buffers after ${load}, results released`, value: await settledMemoryMb(), unit: 'MB', baseline: { name: 'before it', value: this.memoryBefore }, target: '<= 1.2' },
    ];
  }
}
