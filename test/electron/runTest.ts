import { resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

/**
 * `npm run test:electron`: the same extension-host suite under @vscode/test-electron, where VS Code can be downloaded.
 * Servers come from the environment (REDIS_URL, ...), as `npm test` sets them.
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  await runTests({ extensionDevelopmentPath: root, extensionTestsPath: resolve(root, 'out', 'test', 'vscode', 'index.js'), launchArgs: ['--disable-extensions'] });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
