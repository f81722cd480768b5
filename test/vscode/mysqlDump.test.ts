import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createConnection } from 'mysql2/promise';
import type { TreeNode } from '../../src/explorer/nodes/treeNode';
import { env, extension, storePassword } from './api';

const ID = 'test-mysql-dump';
const DB = 'sb_vscode_dump';
const label = (n: TreeNode): string => String(n.treeItem().label);

describe('mysql dump', () => {
  it('dumps a database from its tree row into a file: the table\'s definition and rows, written whole', async () => {
    const raw = await createConnection({ uri: env('MYSQL_URL'), multipleStatements: true });
    const dir = mkdtempSync(join(tmpdir(), 'sb-vscode-dump-'));
    try {
      await raw.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB} CHARACTER SET utf8mb4;
        CREATE TABLE ${DB}.notes (id INT PRIMARY KEY, body TEXT); INSERT INTO ${DB}.notes VALUES (1, 'it''s'), (2, NULL);`);
      const api = await extension();
      const url = new URL(env('MYSQL_URL'));
      await api.profiles.save({ id: ID, name: 'Maria dump', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), tls: false, readOnly: true });
      await storePassword(api, ID, decodeURIComponent(url.password));
      const [connection] = (await api.tree.getChildren()).filter((n) => label(n) === 'Maria dump');
      const db = (await api.tree.getChildren(connection!)).find((n) => label(n) === DB);
      assert.ok(db, `a ${DB} row under the connection`);
      assert.match(String(db.treeItem().contextValue), /^node:mysql:db:readonly$/);
      const file = join(dir, 'dump.sql');
      const result = await vscode.commands.executeCommand<{ file: string; rows: number }>('switchboard.mysql.dumpDatabase', db, { file });
      assert.deepEqual(result, { file, rows: 2 });
      const sql = readFileSync(file, 'utf8');
      assert.match(sql, /^CREATE TABLE `notes`/m);
      assert.match(sql, /^INSERT INTO `notes` \(`id`, `body`\) VALUES\n\(1,'it''s'\),\n\(2,NULL\);$/m);
      assert.match(sql, /-- Dump complete: 1 tables, 0 views, 0 triggers, 0 routines, 0 events, 2 rows\.\n$/);
      assert.deepEqual(readdirSync(dir), ['dump.sql'], 'no temporary file is left beside it');
    } finally {
      await raw.query(`DROP DATABASE IF EXISTS ${DB}`);
      await raw.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
