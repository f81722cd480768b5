import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { CrashableService, crashableDaemon, freePort, run } from './process';
import { ClientCertificates, makeCertificates, makeClientCertificate } from './tls';

export interface MariaDbService extends CrashableService {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly socket: string;
  readonly url: string;
  /** The private CA that signed the server's certificate (TLS is offered on the same port). */
  readonly caFile: string;
  /** A client certificate signed by that CA, for users created REQUIRE X509. */
  readonly client: ClientCertificates;
  /** Runs SQL as root over the private socket. */
  sql(statements: string): Promise<string>;
}

export async function startMariaDb(root: string, user = 'switchboard', password = 'maria-secret', database = 'demo'): Promise<MariaDbService> {
  const dir = join(root, 'mariadb');
  const data = join(dir, 'data');
  // Temporary tables go in the instance's own folder: in the shared /tmp, two instances bootstrapping at once
  // were seen to trip over each other's temporary files (install-db failed with "Unknown table 'mysql.tmp_proxies_priv'").
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  await run('/usr/bin/mariadb-install-db', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, '--user=root', '--auth-root-authentication-method=normal',
    '--skip-test-db', '--skip-name-resolve', '--innodb-log-file-size=8M']);
  const tls = await makeCertificates(join(dir, 'tls'));
  const client = await makeClientCertificate(join(dir, 'tls'));
  const port = await freePort();
  const socket = join(dir, 'sock');
  const daemon = await crashableDaemon('mariadb', dir, '/usr/sbin/mariadbd', ['--no-defaults', `--datadir=${data}`, `--tmpdir=${tmp}`, `--socket=${socket}`, `--port=${port}`,
    '--bind-address=127.0.0.1', '--user=root', '--skip-name-resolve', '--skip-log-bin', '--innodb-log-file-size=8M',
    `--ssl-ca=${tls.caFile}`, `--ssl-cert=${tls.certFile}`, `--ssl-key=${tls.keyFile}`,
    `--log-error=${join(dir, 'err.log')}`, `--pid-file=${join(dir, 'pid')}`], port, 30_000);
  const sql = (statements: string): Promise<string> =>
    run('/usr/bin/mariadb', ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch'], { input: statements });
  await sql(`CREATE DATABASE \`${database}\`; CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY '${password}';` +
    ` GRANT ALL ON *.* TO '${user}'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;`);
  return {
    ...daemon, user, password, database, socket, sql, caFile: tls.caFile, client,
    url: `mysql://${user}:${password}@127.0.0.1:${port}/${database}`,
  };
}
