import Redis from 'ioredis';
import type { Locator } from 'playwright-core';
import { closeAllEditors, runCommand, shot, UiStep } from './ui';

/** The rows of the terminal's screen that hold `text`, counted. */
async function rowsWith(screen: Locator, text: string): Promise<number> {
  return screen.locator('div').filter({ hasText: text }).count();
}

/**
 * The Redis console edits its line as redis-cli does: the cursor keys, Home and End move in the line (they typed
 * "[D" and "[H" into it before), Ctrl+U cuts it, Up recalls, Ctrl+R searches the history, Tab completes the
 * server's command names; INFO prints as text, not as one quoted string.
 */
export function redisConsoleStep(need: (key: string) => string): UiStep {
  return {
    name: 'Redis console edits the line as redis-cli does: arrows, Home, End, Ctrl+U, history, Ctrl+R and Tab; INFO prints as text',
    async run(page) {
      const redis = new Redis(need('REDIS_URL'));
      try {
        await redis.del('e2e:cli:key', 'e2e:cli:n');
        await closeAllEditors(page);
        // Keys go to the active terminal once the panel has the focus. With an earlier step's SSH terminal still open,
        // the Redis one had to be picked in the panel's list of terminals, which is drawn a moment after the second
        // terminal opens (a check before that found no list, and the keys went to the shell): this step closes the
        // other terminals first, so the console is the only one.
        await runCommand(page, 'Terminal: Kill All Terminals');
        await runCommand(page, 'Switchboard: Open Redis Console');
        await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Demo Redis' }).first().click();
        const screen = page.locator('.terminal-wrapper .xterm-rows').last();
        const prompt = /^127\.0\.0\.1:\d+> /;
        await screen.locator('div').filter({ hasText: prompt }).first().waitFor({ timeout: 30_000 });
        // Keys go to the terminal only once it has the focus (a webview that had it keeps it otherwise).
        await runCommand(page, 'Terminal: Focus Terminal');
        await page.locator('.terminal-wrapper .xterm.focus').last().waitFor();
        const enter = async (reply: string): Promise<void> => {
          await page.keyboard.press('Enter');
          await screen.locator('div').filter({ hasText: reply }).first().waitFor({ timeout: 10_000 });
        };

        // Home goes back to the start of the line: the missing S is typed there.
        await page.keyboard.type('ET e2e:cli:key "hello world"');
        await page.keyboard.press('Home');
        await page.keyboard.type('S');
        await enter('OK');
        if ((await redis.get('e2e:cli:key')) !== 'hello world') throw new Error('the edited SET did not reach the server as typed');

        // Left twice and Backspace take out the x in the middle of the name; End goes back to its end.
        await page.keyboard.type('GET e2e:cli:kxey');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Backspace');
        await page.keyboard.press('End');
        await enter('"hello world"');

        // Tab completes a command name from the server's own list, in the case it was typed.
        await page.keyboard.type('hgeta');
        await page.keyboard.press('Tab');
        await page.keyboard.type('e2e:cli:none');
        await enter('(empty array)');
        if (!(await rowsWith(screen, 'hgetall e2e:cli:none'))) throw new Error('Tab did not complete hgeta to hgetall');

        await page.keyboard.type('INCR e2e:cli:n');
        await enter('(integer) 1');

        // Ctrl+U cuts what was typed; Up three times recalls the GET (the value changed meanwhile: a fresh reply).
        await redis.set('e2e:cli:key', 'second value');
        await page.keyboard.type('not a command');
        await page.keyboard.press('Control+U');
        for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
        await enter('"second value"');

        // Ctrl+R finds the INCR by a part of it, and Enter runs it again.
        await page.keyboard.press('Control+R');
        await page.keyboard.type('INCR');
        await screen.locator('div').filter({ hasText: "(reverse-i-search)'INCR': INCR e2e:cli:n" }).waitFor({ timeout: 10_000 });
        await enter('(integer) 2');

        await page.keyboard.type('INFO server');
        // Printed as text, line by line (the last lines of the section are the ones still on the screen).
        await enter('tcp_port:');
        const quoted = await screen.locator('div').filter({ hasText: /\\r\\n/ }).count();
        if (quoted) throw new Error('INFO printed its line breaks as \\r\\n');
        await shot(page, '10e-redis-console-line-editing');
        await runCommand(page, 'Terminal: Kill the Active Terminal Instance');
      } finally {
        await redis.del('e2e:cli:key', 'e2e:cli:n');
        redis.disconnect();
      }
    },
  };
}
