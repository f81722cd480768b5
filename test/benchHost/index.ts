import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs inside the real extension host for `npm run bench`: times Switchboard's activation, then what loading every
 * client library up front would have cost (the driver bundles, required eagerly), and writes both to a JSON file.
 */
export async function run(): Promise<void> {
  const out = process.env['SWITCHBOARD_BENCH_OUT'];
  if (!out) throw new Error('SWITCHBOARD_BENCH_OUT is not set');
  const ext = vscode.extensions.getExtension('switchboard.switchboard');
  if (!ext) throw new Error('the extension is not installed');
  if (ext.isActive) throw new Error('the extension was activated before the measurement');
  let start = performance.now();
  await ext.activate();
  const activationMs = performance.now() - start;
  start = performance.now();
  for (const kind of ['redis', 'memcached', 'rabbitmq', 'mysql', 'ssh']) require(join(ext.extensionPath, 'dist', 'drivers', `${kind}.js`));
  const eagerDriversMs = performance.now() - start;
  writeFileSync(out, JSON.stringify({ activationMs, eagerDriversMs }));
}
