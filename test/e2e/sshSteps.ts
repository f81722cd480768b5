import { addConnection, row, runCommand, shot, UiStep } from './ui';

/** An SSH host: its key shown before it is trusted, a remote terminal and a remote file. */
export function sshSteps(need: (key: string) => string): UiStep[] {
  return [
    {
      name: 'adds an SSH host, shows its fingerprint before trusting it, and lists host facts',
      async run(page) {
        await runCommand(page, 'Switchboard: Add Connection');
        await addConnection(page, 'Demo SSH', `${need('SSH_USER')}@${need('SSH_HOST')}:${need('SSH_PORT')}`, { password: need('SSH_PASSWORD') });
        await row(page, 'Demo SSH').click();
        const dialog = page.locator('.monaco-dialog-box');
        await dialog.filter({ hasText: "can't be established" }).waitFor({ timeout: 30_000 });
        await dialog.getByText(/SHA256:/).waitFor();
        await shot(page, '04-ssh-host-key');
        await dialog.getByRole('button', { name: 'Trust and Connect' }).click();
        await row(page, /^System/).waitFor({ timeout: 30_000 });
        await shot(page, '05-all-connected');
      },
    },
    {
      name: 'opens a remote terminal and a remote file from the SSH connection',
      async run(page) {
        await runCommand(page, 'Switchboard: Open SSH Terminal');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo SSH' }).first().click();
        const screen = page.locator('.terminal-wrapper .xterm-rows').last();
        await screen.filter({ hasText: '$' }).waitFor({ timeout: 30_000 });
        await page.keyboard.type('echo "hello from $(whoami) on $(uname -s)"');
        await page.keyboard.press('Enter');
        await screen.filter({ hasText: `hello from ${need('SSH_USER')} on Linux` }).waitFor({ timeout: 15_000 });
        await shot(page, '06-ssh-terminal');
        await row(page, /^Files/).click();
        await row(page, /^\.profile/).click();
        await page.locator('.tabs-container .tab').filter({ hasText: '.profile' }).waitFor({ timeout: 15_000 });
        await page.locator('.monaco-editor .view-lines').filter({ hasText: 'PATH' }).first().waitFor({ timeout: 15_000 });
        await shot(page, '07-sftp-file');
      },
    },
  ];
}
