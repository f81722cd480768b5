import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Figure } from './figures';

/** Activation in a real extension host, against requiring every driver bundle eagerly in the same host. */
export function activationFigures(root: string): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const out = join(dir, 'activation.json');
  try {
    const run = spawnSync('node', [join(root, 'scripts', 'test-vscode.mjs'), join(root, 'out', 'test', 'benchHost', 'index.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SWITCHBOARD_BENCH_OUT: out },
    });
    if (run.status !== 0) throw new Error(`the activation benchmark failed in the extension host (exit ${run.status})`);
    const { activationMs, eagerDriversMs } = JSON.parse(readFileSync(out, 'utf8')) as { activationMs: number; eagerDriversMs: number };
    return [{
      name: 'activation in the extension host',
      value: activationMs,
      unit: 'ms',
      baseline: { name: 'requiring all five client libraries', value: eagerDriversMs },
      target: '< 1 (client libraries load lazily)',
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
