/** The parts of `hashring` (ketama-compatible consistent hashing) that Switchboard uses. */
declare module 'hashring' {
  class HashRing {
    constructor(servers: Record<string, { weight: number }> | string[], algorithm?: string, options?: { 'default port'?: number; compatibility?: 'ketama' | 'hash_ring' });
    get(key: string): string | undefined;
  }
  export = HashRing;
}
