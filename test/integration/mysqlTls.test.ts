import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Connection, createConnection } from 'mysql2/promise';
import { driver, MySqlSession } from '../../src/drivers/mysql';
import { isDriverError } from '../../src/drivers/errors';
import { MySqlProfile } from '../../src/drivers/types';
import { makeCertificates } from '../services/tls';
import { need, pinnedHostKey, TIMEOUT_MS } from './env';

/**
 * TLS to the real MariaDB (started with its own private CA, offering TLS on its one port): the server's certificate is
 * verified against the CA file of the profile, a wrong CA fails as an untrusted certificate, and a user created
 * REQUIRE X509 gets in with the client certificate and key only.
 */

const X509_USER = 'sb_x509';
const X509_PASSWORD = 'x509-secret';
let raw: Connection;
let scratch: string;

function profile(extra: Partial<MySqlProfile>): MySqlProfile {
  const url = new URL(need('MYSQL_URL'));
  return { id: 'tls', name: 'tls', kind: 'mysql', host: url.hostname, port: Number(url.port), username: decodeURIComponent(url.username), tls: true, readOnly: false, ...extra };
}

async function connect(p: MySqlProfile, password = decodeURIComponent(new URL(need('MYSQL_URL')).password)): Promise<MySqlSession> {
  return await driver.connect(p, { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') });
}

/** The session's TLS version as the server reports it ('' for a plain connection). */
async function sslVersion(session: MySqlSession): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await session.export("SHOW SESSION STATUS LIKE 'Ssl_version'", out, { format: 'json' });
  const rows: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  assert.ok(Array.isArray(rows));
  const [row]: unknown[] = rows;
  return row && typeof row === 'object' && 'Value' in row ? String(row.Value) : '';
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'sb-mysql-tls-'));
  raw = await createConnection({ uri: need('MYSQL_URL') });
  await raw.query(`DROP USER IF EXISTS '${X509_USER}'@'127.0.0.1'`);
  await raw.query(`CREATE USER '${X509_USER}'@'127.0.0.1' IDENTIFIED BY '${X509_PASSWORD}' REQUIRE X509`);
});

after(async () => {
  await raw.query(`DROP USER IF EXISTS '${X509_USER}'@'127.0.0.1'`);
  await raw.end();
  rmSync(scratch, { recursive: true, force: true });
});

test('MySQL over TLS verifies the server against the profile\'s CA file, and the session is encrypted', async () => {
  const session = await connect(profile({ caFile: need('MYSQL_CA_FILE') }));
  try {
    assert.match(await sslVersion(session), /^TLSv1\.[23]$/);
  } finally {
    await session.close();
  }
});

test('a CA that did not sign the server\'s certificate fails as an untrusted certificate, naming the CA setting', async () => {
  const other = await makeCertificates(join(scratch, 'other-ca'));
  for (const p of [profile({ caFile: other.caFile }), profile({})]) {
    await assert.rejects(connect(p), (error: unknown) => {
      assert.ok(isDriverError(error), String(error));
      assert.equal(error.code, 'tls');
      assert.match(error.message, /certificate is not trusted/);
      assert.equal(error.hint, 'The connection needs the CA certificate file of the CA that signed it.');
      return true;
    });
  }
});

test('a user created REQUIRE X509 gets in with the client certificate and key, and is refused without them', async () => {
  const withCert = profile({ username: X509_USER, caFile: need('MYSQL_CA_FILE'), certFile: need('MYSQL_CLIENT_CERT'), keyFile: need('MYSQL_CLIENT_KEY') });
  const session = await connect(withCert, X509_PASSWORD);
  try {
    assert.match(await sslVersion(session), /^TLSv1\.[23]$/);
  } finally {
    await session.close();
  }
  await assert.rejects(connect(profile({ username: X509_USER, caFile: need('MYSQL_CA_FILE') }), X509_PASSWORD), (error: unknown) => isDriverError(error) && error.code === 'auth');
});

test('a client key that is not the certificate\'s is said plainly before dialling', async () => {
  const p = profile({ caFile: need('MYSQL_CA_FILE'), certFile: need('MYSQL_CLIENT_CERT'), keyFile: need('MYSQL_CA_FILE').replace(/ca\.pem$/, 'other.key') });
  await assert.rejects(connect(p), (error: unknown) => isDriverError(error) && error.code === 'config' && /not the one of this certificate/.test(error.message));
});
