import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The extensionTestsPath of the suite that runs in a VS Code whose display language is Simplified Chinese
 * (`node scripts/test-vscode.mjs --locale zh-cn`), in the shape @vscode/test-electron expects.
 */
export function run(): Promise<void> {
  const grep = process.env['SWITCHBOARD_TEST_GREP'];
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} zh-cn extension-host test${failures === 1 ? '' : 's'} failed`)) : resolve()));
  });
}
