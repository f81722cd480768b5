import type { ServerHostKeyAlgorithm } from 'ssh2';

/** The host-key signature algorithms for each key type, strongest first. SHA-1 "ssh-rsa" is kept apart. */
const BY_KEY_TYPE: readonly [string, readonly ServerHostKeyAlgorithm[]][] = [
  ['ssh-ed25519', ['ssh-ed25519']],
  ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
  ['ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ['ecdsa-sha2-nistp521', ['ecdsa-sha2-nistp521']],
  ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256']],
];

export const SHA1_RSA: ServerHostKeyAlgorithm = 'ssh-rsa';

/**
 * The host-key algorithms to offer a server, as OpenSSH orders them: those of the key types already known for the
 * host first, so that a known host shows the key it is known by; then the rest. SHA-1 "ssh-rsa" signatures only
 * when allowed for this host, after the SHA-2 ones for RSA keys.
 */
export function hostKeyAlgorithms(knownTypes: readonly string[], allowSha1Rsa: boolean): ServerHostKeyAlgorithm[] {
  const of = ([type, algorithms]: (typeof BY_KEY_TYPE)[number]): readonly ServerHostKeyAlgorithm[] => (type === 'ssh-rsa' && allowSha1Rsa ? [...algorithms, SHA1_RSA] : algorithms);
  const known = BY_KEY_TYPE.filter(([type]) => knownTypes.includes(type)).flatMap(of);
  const rest = BY_KEY_TYPE.filter(([type]) => !knownTypes.includes(type)).flatMap(of);
  return [...known, ...rest];
}
