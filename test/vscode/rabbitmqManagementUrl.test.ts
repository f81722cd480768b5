import * as assert from 'node:assert/strict';
import { dropManagementUrlCredentials } from '../../src/storage/managementUrlMigration';
import { extension, storePassword } from './api';

describe('rabbitmq management URL credentials', () => {
  it('a stored profile whose management URL holds credentials keeps the URL without them, and the note names no password', async () => {
    const api = await extension();
    const base = { kind: 'rabbitmq', host: '127.0.0.1', port: 5672, vhost: '/', tls: false, readOnly: false } as const;
    await api.profiles.save({ ...base, id: 'test-mgmt-same', name: 'Same creds', username: 'ops', managementUrl: 'http://ops:s3cr%40t@127.0.0.1:15672/' });
    await storePassword(api, 'test-mgmt-same', 's3cr@t');
    await api.profiles.save({ ...base, id: 'test-mgmt-other', name: 'Other creds', username: 'app', managementUrl: 'https://admin:t0p@mq.example:15671/rabbit' });
    await api.profiles.save({ ...base, id: 'test-mgmt-clean', name: 'Clean', username: 'app', managementUrl: 'http://127.0.0.1:15672' });
    const notes = await dropManagementUrlCredentials(api.userProfiles, api.secrets);
    const urlOf = (id: string): string | undefined => { const p = api.profiles.get(id); return p?.kind === 'rabbitmq' ? p.managementUrl : undefined; };
    assert.equal(urlOf('test-mgmt-same'), 'http://127.0.0.1:15672');
    assert.equal(urlOf('test-mgmt-other'), 'https://mq.example:15671/rabbit');
    assert.equal(urlOf('test-mgmt-clean'), 'http://127.0.0.1:15672');
    assert.equal(notes.length, 2);
    assert.match(notes.find((n) => n.startsWith('"Same creds"')) ?? '', /the ones the URL held/);
    assert.match(notes.find((n) => n.startsWith('"Other creds"')) ?? '', /user name "admin".*own user "app"/);
    for (const note of notes) assert.ok(!/s3cr|t0p/.test(note), note);
    assert.equal((await api.secrets.read('test-mgmt-other')).password, undefined, 'the URL password is not moved into SecretStorage');
    assert.deepEqual(await dropManagementUrlCredentials(api.userProfiles, api.secrets), [], 'nothing left to change');
    for (const id of ['test-mgmt-same', 'test-mgmt-other', 'test-mgmt-clean']) await api.profiles.delete(id);
  });
});
