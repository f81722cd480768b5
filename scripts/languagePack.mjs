// A VS Code display language for the extension-host tests. VS Code switches its display language (and so
// vscode.env.language, the extension's package.nls.<lang>.json and l10n/bundle.l10n.<lang>.json) only to a language
// an installed language pack contributes; the Marketplace's Chinese pack cannot be had offline. This pack registers
// the language with no translations of VS Code's own texts (they stay English); Switchboard's texts are what the tests
// read, and they come from Switchboard's own files.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/** Packs and installs into `extensionsDir` a language pack registering `locale` (`zh-cn`). */
export function installLanguagePack(paths, { dir, extensionsDir, userDataDir, locale }) {
  const pack = join(dir, `language-pack-${locale}`);
  mkdirSync(join(pack, 'translations'), { recursive: true });
  const manifest = {
    name: `switchboard-test-language-${locale}`,
    displayName: `${locale} display language for Switchboard's tests`,
    description: `Registers ${locale} as a display language; VS Code's own texts stay English.`,
    publisher: 'switchboard-test',
    version: '1.0.0',
    license: 'MIT',
    engines: { vscode: '^1.100.0' },
    categories: ['Language Packs'],
    contributes: { localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  };
  writeFileSync(join(pack, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(pack, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(join(pack, 'README.md'), `Registers ${locale} as a display language for Switchboard's tests.\n`);
  cpSync(join(root, 'LICENSE'), join(pack, 'LICENSE'));
  const vsix = join(dir, `language-pack-${locale}.vsix`);
  execFileSync(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '-o', vsix], { cwd: pack, stdio: 'ignore' });
  execFileSync(paths.node, [paths.codeServer, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], { stdio: 'ignore' });
  // VS Code's server reads the display languages from languagepacks.json, which it writes only when a pack is installed
  // from the running workbench; the command-line install above leaves it unwritten, so it is written as VS Code would.
  const installed = join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [locale]: {
      hash: `${manifest.name}-${manifest.version}`,
      extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
      translations: { vscode: join(installed, 'translations', 'main.i18n.json') },
      label: locale,
    },
  }));
}
