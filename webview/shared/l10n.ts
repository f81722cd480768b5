/**
 * Loads the webview's strings in the user's display language into @vscode/l10n; panels then call `l10n.t` from
 * '@vscode/l10n' as the extension calls vscode.l10n.t (and @vscode/l10n-dev extracts both alike). The host puts
 * VS Code's bundle for the display language (vscode.l10n.bundle: English message -> translation) into the page as a
 * JSON data block, not a script: the CSP stays `script-src 'nonce-…'` and nothing in it runs. An English UI has an
 * empty bundle and shows the messages as written. Import this module once, before the panel renders.
 */
import * as l10n from '@vscode/l10n';

const BUNDLE_ELEMENT_ID = 'switchboard-l10n';

function readBundle(): Record<string, string> {
  const text = document.getElementById(BUNDLE_ELEMENT_ID)?.textContent ?? '';
  try {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}

l10n.config({ contents: readBundle() });
