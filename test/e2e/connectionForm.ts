import assert from 'node:assert/strict';
import type { UiStep } from './ui';
import { assertReloaded, closeAllEditors, form, hideAndReturn, markWebview, openConnectionForm, panelFrame, shot } from './ui';

/**
 * A pasted address replaces every field an address carries, so nothing of the one pasted before (a password above
 * all) is kept for the new one; name, group, tunnel and read-only are the user's and stay.
 */
export const pastedAddressStep: UiStep = {
  name: 'a pasted address replaces the fields of the one pasted before, password included; a URL in the host field is refused there',
  async run(page) {
    const frame = await openConnectionForm(page);
    const paste = frame.locator('#paste-url');
    await frame.locator('#field-name').fill('Kept name');
    await paste.fill('amqp://guest:first-password@10.0.0.7:5673/orders');
    await frame.locator('#paste-url-help').filter({ hasText: 'Filled from the RabbitMQ address' }).waitFor();
    if ((await frame.locator('#field-password').inputValue()) !== 'first-password') throw new Error('the first address did not fill the password');
    await frame.locator('#field-readOnly').check();
    await paste.fill('deploy@10.0.0.9:2222');
    await frame.locator('#paste-url-help').filter({ hasText: 'Filled from the SSH host address' }).waitFor();
    const read = async (key: string): Promise<string> => frame.locator(`#field-${key}`).inputValue();
    const seen = { password: await read('password'), username: await read('username'), host: await read('host'), port: await read('port'), name: await read('name') };
    await shot(page, '02b-form-second-paste');
    if (seen.password !== '') throw new Error(`the password of the previous address was kept: ${JSON.stringify(seen)}`);
    if (seen.username !== 'deploy' || seen.host !== '10.0.0.9' || seen.port !== '2222') throw new Error(`the new address did not fill the form: ${JSON.stringify(seen)}`);
    if (seen.name !== 'Kept name' || !(await frame.locator('#field-readOnly').isChecked())) throw new Error('the name or read-only flag was lost');
    // Only the fields of this kind and mode show: a passphrase once there is a key file; the rest folded away.
    if (await frame.locator('#field-passphrase').isVisible()) throw new Error('the passphrase shows without a key file');
    await frame.locator('#field-keyFile').fill('~/.ssh/id_ed25519');
    await frame.locator('#field-passphrase').waitFor({ state: 'visible' });
    if (await frame.locator('#field-snippets').isVisible()) throw new Error('saved commands are not folded under More options');
    await frame.getByText('More options').click();
    await frame.locator('#field-snippets').waitFor({ state: 'visible' });
    const save = await frame.getByRole('button', { name: 'Save' }).boundingBox();
    const viewport = page.viewportSize();
    if (!save || !viewport || save.y + save.height > viewport.height) throw new Error(`Save is out of view: ${JSON.stringify(save)} in ${JSON.stringify(viewport)}`);
    // A URL typed into the host field is refused there, saying where it goes, before anything is dialled.
    await frame.locator('#field-host').fill('http://foo bar');
    await frame.getByRole('button', { name: 'Save' }).click();
    await frame.locator('#field-host-error').filter({ hasText: 'not a URL: paste the URL into the Address box' }).waitFor();
    if ((await frame.locator('#field-host').getAttribute('aria-invalid')) !== 'true') throw new Error('the host field is not marked invalid');
    await shot(page, '02c-form-host-url');
    await paste.fill('127.0.0.1:11211');
    await frame.locator('#paste-url-help').filter({ hasText: 'Filled from the Memcached address' }).waitFor();
    if ((await read('password')) !== '' || (await read('username')) !== '') throw new Error('the Memcached address kept a user or password it never named');
    // Test Connection pressed while a pasted address is still being read (on a slow host: here in the same turn)
    // tests that address, not the fields drawn before it.
    const formFrame = await panelFrame(page, 'profileForm');
    await formFrame.evaluate(`(() => {
      const input = document.getElementById('paste-url');
      input.value = '127.0.0.1:1';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      [...document.querySelectorAll('button')].find((button) => button.textContent === 'Test Connection').click();
    })()`);
    const status = frame.locator('.actions .status');
    await status.filter({ hasText: /127\.0\.0\.1:1\b/ }).waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      throw new Error(`Test Connection did not test the address just pasted; it says: ${await status.textContent()}`, { cause: error });
    });
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await frame.locator('#paste-url').waitFor({ state: 'detached' });
  },
};

/**
 * A form half filled in, hidden behind another editor and shown again, holds what was typed; the password typed is
 * kept by the host (never handed back to the webview) and Test Connection still uses it.
 */
export function formRestoreStep(need: (key: string) => string): UiStep {
  return {
    name: 'a connection form half filled in comes back after being hidden with what was typed, and its typed password still tests',
    async run(page) {
      await closeAllEditors(page);
      let frame = await openConnectionForm(page);
      await frame.locator('#paste-url').fill(need('MEMCACHED_AUTH_SERVERS').split(',')[0]!);
      await frame.locator('#paste-url-help').filter({ hasText: 'Filled from the Memcached address' }).waitFor();
      await frame.locator('#field-name').fill('Half done');
      await frame.locator('#field-readOnly').check();
      await frame.locator('#field-username').fill(need('MEMCACHED_AUTH_USER'));
      await frame.locator('#field-password').fill(need('MEMCACHED_AUTH_PASSWORD'));
      await markWebview(page, 'profileForm');
      await hideAndReturn(page, 'Add Connection');
      await assertReloaded(page, 'profileForm');
      frame = form(page);
      const password = frame.locator('#field-password');
      await password.waitFor();
      const read = async (key: string): Promise<string> => frame.locator(`#field-${key}`).inputValue();
      const seen = { name: await read('name'), username: await read('username'), password: await read('password') };
      if (seen.name !== 'Half done' || seen.username !== need('MEMCACHED_AUTH_USER')) throw new Error(`the form lost what was typed: ${JSON.stringify(seen)}`);
      if (!(await frame.locator('#field-readOnly').isChecked())) throw new Error('the read-only box was cleared');
      if (seen.password !== '') throw new Error('the password came back into the webview');
      assert.equal(await password.getAttribute('placeholder'), 'typed before the form was hidden, and kept; type to replace');
      await frame.getByRole('button', { name: 'Test Connection' }).click();
      await frame.locator('.actions .status').filter({ hasText: /^Connected: / }).waitFor({ timeout: 30_000 });
      await closeAllEditors(page);
    },
  };
}
