import * as vscode from 'vscode';
import type { Container } from '../../src/container';

export const EXTENSION_ID = 'switchboard.switchboard';

/** Activates the extension under test and returns its composition root. */
export async function extension(): Promise<Container> {
  const ext = vscode.extensions.getExtension<Container>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext.activate();
}

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set in the extension host: run through npm run test:vscode`);
  return value;
}

/** Waits until a condition holds, for state that settles asynchronously (tree refreshes, tabs). */
export async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
