import * as vscode from 'vscode';
import type { Container } from '../../src/container';

export const EXTENSION_ID = 'switchboard.switchboard';

/** Activates the extension under test and returns its composition root (exported in a test host only). */
export async function extension(): Promise<Container> {
  const ext = vscode.extensions.getExtension<Container | undefined>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  const root = await ext.activate();
  if (!root) throw new Error(`${EXTENSION_ID} exported nothing: this extension host is not running in test mode`);
  return root;
}

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set in the extension host: run through npm run test:vscode`);
  return value;
}

export { eventually } from '../eventually';

/** Stores a password the way the connection form does: for the saved profile, bound to its endpoint as it is now. */
export async function storePassword(api: Container, profileId: string, password: string): Promise<void> {
  const profile = api.profiles.get(profileId);
  if (!profile) throw new Error(`${profileId} is not a saved connection`);
  await api.secrets.write(profile, { password }, (id) => api.profiles.get(id));
}
