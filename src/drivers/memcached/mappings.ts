/** How a client picks the server of a key; a profile names the one its applications use, so Switchboard reads the same pool. */
export type KeyMapping = 'memjs' | 'ketama' | 'python';

export const KEY_MAPPINGS: readonly { readonly value: KeyMapping; readonly label: string }[] = [
  { value: 'memjs', label: 'memjs default (hash modulo server count)' },
  { value: 'ketama', label: 'Consistent hashing (ketama, libmemcached-compatible)' },
  { value: 'python', label: 'python-memcached (CRC32 modulo, servers repeated by weight)' },
];
