/**
 * The management API URL as a profile may hold it: http or https, and no user name or password. The API signs in
 * with the connection's own user and secret, so credentials in the URL would only be a password kept in plain
 * profile data (globalState, exports) and repeated in error texts.
 */
export type ManagementUrl =
  | { readonly ok: true; readonly url: URL; readonly shown: string }
  | { readonly ok: false; readonly problem: 'invalid' | 'scheme' | 'credentials'; readonly shown: string };

/** The URL without its user name and password, as it may be shown. */
function shownUrl(url: URL): string {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare.href.replace(/\/$/, '');
}

export function checkManagementUrl(text: string): ManagementUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not echoed: text that does not parse may still hold a password.
    return { ok: false, problem: 'invalid', shown: 'the management API URL' };
  }
  const shown = shownUrl(url);
  if (url.username !== '' || url.password !== '') return { ok: false, problem: 'credentials', shown };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, problem: 'scheme', shown };
  return { ok: true, url, shown };
}

/** For profiles stored before such URLs were refused: the same URL without credentials, or undefined if it had none. */
export function strippedManagementUrl(text: string): { readonly url: string; readonly user: string } | undefined {
  const checked = checkManagementUrl(text);
  if (checked.ok || checked.problem !== 'credentials') return undefined;
  return { url: checked.shown, user: decodeURIComponent(new URL(text).username) };
}
