import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { gunzipSync, gzipSync } from 'node:zlib';
import Redis from 'ioredis';
import { closeAllEditors, holds, panelFrame, row, shot, UiStep } from './ui';

const GZIP = 'e2e:decode:gzip-json';
const PY_GZIP = 'e2e:decode:py-gzip-json';
const PICKLE = 'e2e:decode:pickle';

/** A Node service's write: JSON gzip'd with zlib.gzipSync, as an Express or Nest application caches a response. */
const nodeApplication = (redis: Redis, doc: unknown): Promise<unknown> => redis.set(GZIP, gzipSync(Buffer.from(JSON.stringify(doc))));

/** A Python service's writes with redis-py: gzip'd JSON and a pickled object. */
const WRITER = String.raw`
import os, gzip, json, pickle, redis
r = redis.Redis.from_url(os.environ['REDIS_URL'])
class Account:
    def __init__(self):
        self.owner = 'ada'
        self.balance = 12.5
r.set('${PY_GZIP}', gzip.compress(json.dumps({"user": "grace", "plan": "pro"}).encode()))
r.set('${PICKLE}', pickle.dumps({"user": "ada", "visits": 3, "acct": Account()}))
print('written')
`;


function pythonApplication(redisUrl: string): void {
  const out = execFileSync('/usr/bin/python3', ['-c', WRITER], { env: { ...process.env, REDIS_URL: redisUrl }, encoding: 'utf8' });
  assert.equal(out.trim(), 'written');
}

/**
 * Value decoders in the key browser: a gzip'd JSON an application wrote shows as JSON and is edited as JSON (saved
 * gzip'd again, read back with zlib; a save over a value changed meanwhile says so and keeps the edit); one Python
 * gzip'd shows as JSON too; a pickle written by redis-py shows as a structure, read-only; Raw shows the stored bytes.
 */
export function redisDecodersStep(need: (key: string) => string): UiStep {
  return {
    name: 'decodes Redis values: gzip\'d JSON shown and saved as JSON, a redis-py pickle shown as a structure',
    async run(page) {
      const url = need('REDIS_URL');
      const redis = new Redis(url);
      await redis.del(GZIP, PY_GZIP, PICKLE);
      await nodeApplication(redis, { user: 'ada', plan: 'pro', tags: ['a', 'b'] });
      pythonApplication(url);
      try {
        await closeAllEditors(page);
        await row(page, /^db0/).click();
        const browser = await panelFrame(page, 'redisBrowser');
        await browser.getByRole('searchbox', { name: 'Key pattern' }).fill('e2e:decode:*');
        await browser.getByRole('button', { name: 'Scan', exact: true }).click();
        await browser.locator('.status').filter({ hasText: /^3 keys · done in/ }).waitFor({ timeout: 30_000 });

        await browser.locator('.vlist-row:visible').filter({ hasText: GZIP }).click();
        const detected = browser.locator('.details .decoded-as');
        await detected.filter({ hasText: 'detected: gzip → JSON' }).waitFor({ timeout: 15_000 });
        const decoded = browser.getByRole('textbox', { name: 'Decoded value' });
        assert.match(await decoded.inputValue(), /^\{\n {2}"user": "ada",\n {2}"plan": "pro"/, 'the JSON inside the gzip is shown, indented');
        await shot(page, '17-redis-decoded-gzip-json');

        // Decoded as the user picks it, edited and saved: what is stored is gzip'd JSON again.
        const choice = browser.getByRole('combobox', { name: 'Decode as' });
        await choice.selectOption('gzip');
        await detected.filter({ hasText: /^gzip → JSON$/ }).waitFor({ timeout: 15_000 });
        await browser.getByRole('button', { name: 'Edit', exact: true }).click();
        await decoded.fill('{"user":"ada","plan":"team","seats":5}');
        await browser.getByRole('button', { name: 'Save', exact: true }).click();
        await browser.locator('.details .status').filter({ hasText: 'Saved.' }).waitFor({ timeout: 15_000 });
        const stored = await redis.getBuffer(GZIP);
        assert.ok(stored && stored[0] === 0x1f && stored[1] === 0x8b, 'still gzip');
        assert.deepEqual(JSON.parse(gunzipSync(stored).toString('utf8')), { user: 'ada', plan: 'team', seats: 5 });
        // The pane reads the key again and shows what the server holds now, indented, decoded as picked.
        await holds(decoded, /"seats": 5/);
        assert.equal(await choice.inputValue(), 'gzip', 'the pick stays after the save');
        await detected.filter({ hasText: /^gzip → JSON$/ }).waitFor();

        // The application writes meanwhile: Save says so and the edit stays where it was typed.
        await browser.getByRole('button', { name: 'Edit', exact: true }).click();
        await decoded.fill('{"user":"ada","plan":"mine"}');
        await nodeApplication(redis, { user: 'ada', plan: 'theirs' });
        await browser.getByRole('button', { name: 'Save', exact: true }).click();
        await browser.locator('.details .status').filter({ hasText: 'Not saved: this value changed since it was read' }).waitFor({ timeout: 15_000 });
        assert.equal(await decoded.inputValue(), '{"user":"ada","plan":"mine"}', 'the edit is kept');
        assert.deepEqual(JSON.parse(gunzipSync((await redis.getBuffer(GZIP))!).toString('utf8')), { user: 'ada', plan: 'theirs' }, 'the other write stands');
        await browser.getByRole('button', { name: 'Reload', exact: true }).click();
        await holds(decoded, /"plan": "theirs"/);

        // Raw shows the bytes as stored.
        await choice.selectOption('none');
        await detected.filter({ hasText: 'showing the value as stored' }).waitFor();
        assert.match(await browser.getByRole('textbox', { name: 'Value', exact: true }).inputValue(), /^\\x1f\\x8b\\x08/);

        // Python's gzip shows as JSON too, and is editable.
        await browser.locator('.vlist-row:visible').filter({ hasText: PY_GZIP }).click();
        await detected.filter({ hasText: 'detected: gzip → JSON' }).waitFor({ timeout: 15_000 });
        await holds(decoded, /^\{\n {2}"user": "grace",\n {2}"plan": "pro"\n\}$/);
        // Byte for byte where Node's zlib happens to make Python's bytes again, else in the same format: saved either way.
        await browser.locator('.details .decoded-note').filter({ hasText: /reproduce the stored bytes exactly|the same format, though not the same compressed bytes/ }).waitFor();
        await browser.getByRole('button', { name: 'Edit', exact: true }).click();
        await decoded.fill('{"user":"grace","plan":"team"}');
        await browser.getByRole('button', { name: 'Save', exact: true }).click();
        await browser.locator('.details .status').filter({ hasText: 'Saved.' }).waitFor({ timeout: 15_000 });
        const readByPython = execFileSync('/usr/bin/python3', ['-c', `import os, gzip, redis\nprint(gzip.decompress(redis.Redis.from_url(os.environ['REDIS_URL']).get('${PY_GZIP}')).decode())`], { env: { ...process.env, REDIS_URL: url }, encoding: 'utf8' });
        assert.equal(readByPython.trim(), '{"user":"grace","plan":"team"}', 'Python reads the edit back');

        await browser.locator('.vlist-row:visible').filter({ hasText: PICKLE }).click();
        await detected.filter({ hasText: /^detected: pickle \(protocol \d\)$/ }).waitFor({ timeout: 15_000 });
        const tree = browser.getByRole('list', { name: 'Decoded structure' });
        await tree.locator('li').filter({ hasText: /^user: ada/ }).waitFor();
        await tree.locator('li').filter({ hasText: /^visits: 3/ }).waitFor();
        await tree.locator('summary').filter({ hasText: /acct: call __main__\.Account/ }).waitFor();
        assert.equal(await browser.getByRole('button', { name: 'Save', exact: true }).count(), 0, 'a pickle is shown read-only');
        await shot(page, '18-redis-decoded-pickle');
      } finally {
        await redis.del(GZIP, PY_GZIP, PICKLE);
        redis.disconnect();
      }
    },
  };
}
