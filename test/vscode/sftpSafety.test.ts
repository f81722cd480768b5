import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SshProfile } from '../../src/drivers/types';
import type { SshSession } from '../../src/drivers/ssh';
import { env, extension, storePassword } from './api';

const ID = 'test-sftp-safety';

/** The live SSH session of the test connection. */
async function session(): Promise<SshSession> {
  const api = await extension();
  const { sshSession } = await import('../../src/core/sshSessions');
  return sshSession(api.sessions, api.profiles.get(ID) as SshProfile);
}

/** Runs a shell script on the host and returns its output. */
async function sh(script: string): Promise<string> {
  const out: Buffer[] = [];
  const exit = await (await session()).exec(script, (chunk) => out.push(chunk), (chunk) => out.push(chunk));
  assert.equal(exit.code, 0, Buffer.concat(out).toString());
  return Buffer.concat(out).toString();
}

describe('SFTP files in VS Code keep what the user owns', () => {
  let dir = '';
  let uri: (path: string) => vscode.Uri = () => vscode.Uri.parse('unset:/');

  before(async () => {
    const api = await extension();
    await api.profiles.save({ id: ID, name: 'SFTP safety', kind: 'ssh', host: env('SSH_HOST'), port: Number(env('SSH_PORT')), username: env('SSH_USER'), useAgent: false, readOnly: false });
    await storePassword(api, ID, env('SSH_PASSWORD'));
    const [, base64] = env('SSH_HOST_KEY').split(' ');
    await api.hostKeys.remember(env('SSH_HOST'), Number(env('SSH_PORT')), Buffer.from(base64!, 'base64'));
    const { sftpUri } = await import('../../src/fs/sftpFileSystem');
    dir = `${await (await session()).homeDirectory()}/vscode-sftp-safety-${process.pid}`;
    uri = (path) => sftpUri(ID, `${dir}/${path}`);
    await sh(`rm -rf ${dir} && mkdir -p ${dir}/folder/deep && printf keep > ${dir}/folder/deep/keep.txt && printf file > ${dir}/file.txt`);
  });

  after(async () => {
    await sh(`rm -rf ${dir}`);
    await (await extension()).sessions.disconnect(ID);
  });

  it('refuses to rename a file onto an existing folder, even with overwrite, and the folder keeps what it holds', async () => {
    // VS Code's own file service deletes the target of an overwriting move first; the folder is refused there.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.rename(uri('file.txt'), uri('folder'), { overwrite: true })), /is an existing folder|deleted only with Switchboard's Delete command/);
    assert.equal(await sh(`cat ${dir}/folder/deep/keep.txt ${dir}/file.txt`), 'keepfile');
  });

  it('refuses a rename to "." or ".." or across folders by a name', async () => {
    for (const name of ['.', '..']) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.rename(uri('file.txt'), vscode.Uri.from({ scheme: 'switchboard-sftp', authority: ID, path: `${dir}/${name}` }), { overwrite: true })));
    }
    assert.equal(await sh(`cat ${dir}/file.txt; ls ${dir}`), 'filefile.txt\nfolder\n');
  });

  it('saves through a symbolic link into the file it points to, keeping that file\'s mode', async () => {
    await sh(`printf old > ${dir}/target.txt && chmod 640 ${dir}/target.txt && ln -s target.txt ${dir}/link.txt`);
    await vscode.workspace.fs.writeFile(uri('link.txt'), Buffer.from('saved through the link'));
    assert.equal(await sh(`readlink ${dir}/link.txt; stat -c %a ${dir}/target.txt; cat ${dir}/target.txt`), 'target.txt\n640\nsaved through the link');
  });

  it('leaves names that cannot be named exactly out of a directory listing', async () => {
    await sh(`printf x > ${dir}/"$(printf 'bad\\377name')"`);
    const names = (await vscode.workspace.fs.readDirectory(uri(''))).map(([name]) => name);
    assert.ok(names.includes('file.txt'));
    assert.ok(!names.some((name) => name.includes('\ufffd')), names.join(', '));
  });
});
