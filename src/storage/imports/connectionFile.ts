import * as l10n from '@vscode/l10n';
import { importDocument } from '../connectionFiles';
import { importArdm, parseArdmFile } from './anotherRedisDesktopManager';
import { importDbeaver, isDbeaverDataSources } from './dbeaver';
import { ImportReport, isObject, SECRET_NAMES } from './importReport';
import { importRedisInsight, isRedisInsightExport } from './redisInsight';

const WORDS = {
  unknown: () => l10n.t('This is not a connection file Switchboard can read. It reads its own export, a RedisInsight export (JSON), an Another Redis Desktop Manager export (.ano) and DBeaver\'s data-sources.json.'),
  switchboard: 'Switchboard',
  invalid: () => l10n.t('not valid here'),
};
const SECRET_FIELDS = ['password', 'passphrase'] as const;

/**
 * Reads a connection file of any tool Switchboard imports from, recognised by its content rather than its name:
 * Switchboard's own export, RedisInsight's export, Another Redis Desktop Manager's .ano, DBeaver's data-sources.json.
 */
export function readConnectionFile(fileText: string): ImportReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fileText);
  } catch {
    parsed = undefined;
  }
  if (isObject(parsed) && Array.isArray(parsed['profiles'])) {
    const { profiles, skipped } = importDocument(fileText);
    // Switchboard never exports a secret, but a file edited by hand may carry one: it is dropped, and said so.
    const secretsLeftOut = parsed['profiles'].filter(isObject).flatMap((entry) =>
      SECRET_FIELDS.filter((field) => typeof entry[field] === 'string' && entry[field] !== '').map((field) => ({ name: typeof entry['name'] === 'string' ? entry['name'] : l10n.t('(unnamed)'), text: field === 'password' ? SECRET_NAMES.password() : SECRET_NAMES.keyPassphrase() })));
    return { tool: WORDS.switchboard, profiles, skipped: skipped.map((name) => ({ name, text: WORDS.invalid() })), secretsLeftOut, notes: [] };
  }
  if (isRedisInsightExport(parsed)) return importRedisInsight(parsed);
  if (isDbeaverDataSources(parsed)) return importDbeaver(parsed);
  const ardm = parseArdmFile(fileText);
  if (ardm !== undefined) return importArdm(ardm);
  throw new Error(WORDS.unknown());
}
