import { existsSync } from 'node:fs';
import { run } from './process';

/** A set-up step that failed, worded for the person who ran it (the scripts print its message without a stack). */
class SetupError extends Error {
  override readonly name = 'SetupError';
}

/** Debian packages keyed by a file each one installs: a package is missing when its file is. */
export type DebianPackages = Readonly<Record<string, string>>;

/** The Debian packages the private servers come from. */
export const SERVER_PACKAGES: DebianPackages = {
  '/usr/bin/redis-server': 'redis-server',
  '/usr/bin/redis-cli': 'redis-tools',
  '/usr/bin/memcached': 'memcached',
  '/usr/sbin/mariadbd': 'mariadb-server',
  '/usr/bin/mariadb': 'mariadb-client',
  '/usr/lib/rabbitmq/bin/rabbitmq-server': 'rabbitmq-server',
  '/usr/sbin/sshd': 'openssh-server',
  '/usr/bin/ssh-keygen': 'openssh-client',
  '/usr/bin/sftp': 'openssh-client',
  // The real python-memcached, which the python key mapping is checked against.
  '/usr/lib/python3/dist-packages/memcache.py': 'python3-memcache',
  // The real writers of the Redis values the decoders read: redis-py with Python's compressors and msgpack, PHP's
  // serialize() and Java's ObjectOutputStream (a JDK, for a single-file source program).
  '/usr/lib/python3/dist-packages/redis/__init__.py': 'python3-redis',
  '/usr/lib/python3/dist-packages/brotli.py': 'python3-brotli',
  '/usr/lib/python3/dist-packages/lz4/__init__.py': 'python3-lz4',
  '/usr/lib/python3/dist-packages/snappy/__init__.py': 'python3-snappy',
  '/usr/lib/python3/dist-packages/msgpack/__init__.py': 'python3-msgpack',
  '/usr/bin/php': 'php-cli',
  '/usr/bin/javac': 'default-jdk-headless',
};

/**
 * Installs whichever of `packages` are missing with apt-get (needs root, as on the project's machines).
 * `purpose` and `estimate` say what they are for and about how long the first install takes.
 */
export async function ensureDebianPackages(packages: DebianPackages, purpose: string, estimate: string, log: (line: string) => void): Promise<void> {
  const missing = [...new Set(Object.entries(packages).filter(([file]) => !existsSync(file)).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new SetupError(`Installing ${purpose} failed: it needs root for apt-get. Run \`${command}\` as root, then run this command again.`);
  }
  log(`installing ${purpose} with apt-get: ${missing.join(' ')} (${estimate})`);
  const started = Date.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new SetupError(
      `Installing ${purpose} failed: apt-get did not finish. Check that Debian's package mirrors are reachable and that no other apt-get or dpkg is running, then run this command again (or \`${command}\` by hand).\n${detail}`,
      { cause: error },
    );
  }
  log(`installed ${missing.join(' ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Installs whichever server packages are missing. */
export function ensureServerPackages(log: (line: string) => void = console.log): Promise<void> {
  return ensureDebianPackages(SERVER_PACKAGES, 'the private servers (Redis, Memcached, MariaDB, RabbitMQ, OpenSSH) and the real clients tests compare with (python-memcached, redis-py, PHP, a JDK)', 'about 280 MB (more without a JDK), 15 s to 1 minute depending on the mirror', log);
}
