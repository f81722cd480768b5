import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Client } from 'ssh2';
import { row, runCommand, shot, UiStep } from './ui';

/** Runs a shell command on the test host as its user, outside the UI: what the server holds, whatever the UI says. */
function onHost(need: (key: string) => string, command: string): Promise<string> {
  const expected = Buffer.from(need('SSH_HOST_KEY').split(' ')[1] ?? '', 'base64');
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('error', reject);
    client.on('ready', () => client.exec(command, (error, stream) => {
      if (error) return reject(error);
      let out = '';
      stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
      stream.on('close', () => {
        client.end();
        resolve(out);
      });
    }));
    client.connect({ host: need('SSH_HOST'), port: Number(need('SSH_PORT')), username: need('SSH_USER'), password: need('SSH_PASSWORD'), hostVerifier: (key: Buffer) => key.equals(expected) });
  });
}

/** Re-reads the Files folder of the SSH connection, as its inline Refresh does. */
async function refreshFiles(page: Page): Promise<void> {
  const files = row(page, /^Files/);
  await files.hover();
  await files.locator('.action-label[aria-label^="Refresh"]').click();
}

/**
 * Chooses a context-menu entry by keyboard once the pointer has focused it: the workbench ignores a click that comes
 * too soon after a menu opens, which left the menu open with nothing chosen.
 */
async function contextCommand(page: Page, name: RegExp, command: string): Promise<void> {
  await row(page, name).click({ button: 'right' });
  const menu = page.locator('.monaco-menu');
  const item = menu.locator('.action-item').filter({ has: page.locator('.action-label', { hasText: command }) }).first();
  await item.hover();
  await menu.locator('.action-item.focused').filter({ hasText: command }).waitFor();
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'detached' });
}

/** The remote folder rows of the Demo SSH connection: deleting and downloading a folder, with the question asked first. */
export function sftpSafetySteps(need: (key: string) => string): UiStep[] {
  const local = mkdtempSync(join(tmpdir(), 'switchboard-e2e-download-'));
  return [
    {
      name: 'asks before deleting a remote folder, and says how much goes with it',
      async run(page) {
        await onHost(need, 'rm -rf ~/e2e-safety && mkdir -p ~/e2e-safety/sub && printf mine-remote > ~/e2e-safety/a.txt && head -c 2048 /dev/zero > ~/e2e-safety/sub/b.bin');
        await refreshFiles(page);
        await contextCommand(page, /^e2e-safety/, 'Delete');
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'Delete the folder' });
        await dialog.getByText('It holds 2 files and 1 folder, 2.0 KiB in all', { exact: false }).waitFor({ timeout: 15_000 });
        await shot(page, '10-sftp-delete-counted');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
        assert.equal(await onHost(need, 'cat ~/e2e-safety/a.txt; echo; ls ~/e2e-safety/sub'), 'mine-remote\nb.bin\n', 'a cancelled delete deletes nothing');
      },
    },
    {
      name: 'downloads a remote folder over existing local files only as the user chose, listing them first',
      async run(page) {
        mkdirSync(join(local, 'e2e-safety'));
        writeFileSync(join(local, 'e2e-safety', 'a.txt'), 'mine');
        await contextCommand(page, /^e2e-safety/, 'Download');
        // The folder picker: code-server's own, a path typed into a quick input.
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        // The picker fills in its own starting folder once it has listed it: type over that, not before it.
        await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
        await input.fill(local);
        await page.waitForFunction(`document.querySelector('.quick-input-widget input')?.value === ${JSON.stringify(local)}`);
        await page.locator('.quick-input-widget').getByRole('button', { name: 'Download Here' }).click();
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'already exists and would be replaced' });
        await dialog.getByText('a.txt (4 B now, 11 B after)', { exact: false }).waitFor({ timeout: 15_000 });
        await shot(page, '11-sftp-download-replacements');
        await dialog.getByRole('button', { name: 'Skip Existing' }).click();
        const copied = join(local, 'e2e-safety', 'sub', 'b.bin');
        await page.locator('.notifications-toasts').getByText('1 existing file kept as it was', { exact: false }).waitFor({ timeout: 15_000 });
        assert.equal(statSync(copied).size, 2048);
        assert.equal(readFileSync(join(local, 'e2e-safety', 'a.txt'), 'utf8'), 'mine', 'the existing file was kept, as chosen');
        await onHost(need, 'rm -rf ~/e2e-safety');
      },
    },
    {
      name: 'creates a new remote file only where nothing is: an existing one is reported, not emptied',
      async run(page) {
        await onHost(need, 'printf precious > ~/e2e-taken.txt');
        await refreshFiles(page);
        await contextCommand(page, /^Files/, 'New Remote File');
        const input = page.locator('.quick-input-widget input');
        await input.waitFor();
        await input.fill('e2e-taken.txt');
        await page.keyboard.press('Enter');
        await page.locator('.notifications-toasts').getByText('already exists: it was left as it is', { exact: false }).waitFor({ timeout: 15_000 });
        await shot(page, '12-sftp-new-file-exists');
        assert.equal(await onHost(need, 'cat ~/e2e-taken.txt; rm ~/e2e-taken.txt'), 'precious');
        // The error toast would sit over the next steps' panels.
        await runCommand(page, 'Notifications: Clear All Notifications');
      },
    },
  ];
}
