import { driver, RedisSession } from '../../src/drivers/redis';
import type { ConnectOptions, RedisProfile } from '../../src/drivers/types';
import { need, pinnedHostKey, sessionOf, TIMEOUT_MS } from './env';

/** A session of the Redis driver, checked to be one (no cast). */
export const redisSession = (profile: RedisProfile, options: ConnectOptions): Promise<RedisSession> => sessionOf(driver.connect(profile, options), RedisSession);

/**
 * The suite's Redis (REDIS_URL) as a test file names it: a profile with the file's own id, name and settings, the
 * options to connect with, and the password a raw client signs in with.
 */
export function suiteRedis(own: Pick<RedisProfile, 'id' | 'name'> & Partial<RedisProfile>): { profile: RedisProfile; options: ConnectOptions & { secrets: { password: string } }; password: string } {
  const url = new URL(need('REDIS_URL'));
  const password = decodeURIComponent(url.password);
  const profile: RedisProfile = { kind: 'redis', host: url.hostname, port: Number(url.port), tls: false, db: 0, readOnly: false, ...own };
  return { profile, options: { secrets: { password }, timeoutMs: TIMEOUT_MS, hostKeys: pinnedHostKey('x AAAA') }, password };
}
