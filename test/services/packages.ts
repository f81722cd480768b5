import { existsSync } from 'node:fs';
import { run } from './process';

/** The Debian packages the private servers come from, keyed by a file each one installs. */
const PACKAGES: Record<string, string> = {
  '/usr/bin/redis-server': 'redis-server',
  '/usr/bin/redis-cli': 'redis-tools',
  '/usr/bin/memcached': 'memcached',
  '/usr/sbin/mariadbd': 'mariadb-server',
  '/usr/bin/mariadb': 'mariadb-client',
  '/usr/lib/rabbitmq/bin/rabbitmq-server': 'rabbitmq-server',
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/bin/sftp': 'openssh-client',
};

/** Installs whichever server packages are missing (needs root and apt, as on the project's machines). */
export async function ensureServerPackages(log: (line: string) => void = console.log): Promise<void> {
  const missing = [...new Set(Object.entries(PACKAGES).filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing server packages: ${missing.join(' ')}. Install them (apt-get install -y ${missing.join(' ')}) or point the suite at existing servers with REDIS_URL, MEMCACHED_SERVERS, AMQP_URL, MYSQL_URL and SSH_* variables.`);
  }
  log(`installing ${missing.join(' ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}
