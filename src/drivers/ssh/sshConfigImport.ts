import SSHConfig, { LineType } from 'ssh-config';
import { userInfo } from 'node:os';
import { portablePath } from '../homePath';

/** One concrete Host of ~/.ssh/config, resolved the way ssh would (first value wins, wildcards applied). */
export interface SshConfigHost {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly identityFile?: string;
  /** ProxyJump hops in order, each an alias of this file or a [user@]host[:port] spec. */
  readonly proxyJump: readonly string[];
}

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** The concrete hosts a config names (patterns such as `*` or `!x` are applied to them, not imported). */
export function readSshConfig(text: string): SshConfigHost[] {
  const config = SSHConfig.parse(text);
  const aliases: string[] = [];
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values = Array.isArray(line.value) ? line.value.map((v) => v.val) : line.value.split(/\s+/);
    for (const alias of values) if (alias && !/[*?!]/.test(alias) && !aliases.includes(alias)) aliases.push(alias);
  }
  return aliases.map((alias) => {
    const computed = config.compute(alias);
    const identityFile = first(computed['IdentityFile']);
    const jump = first(computed['ProxyJump']);
    return {
      alias,
      host: first(computed['HostName'])?.replace(/%h/g, alias) ?? alias,
      port: Number(first(computed['Port']) ?? 22) || 22,
      user: first(computed['User']) ?? userInfo().username,
      ...(identityFile ? { identityFile: portablePath(identityFile) } : {}),
      proxyJump: jump && jump.toLowerCase() !== 'none' ? jump.split(',').map((hop) => hop.trim()).filter(Boolean) : [],
    };
  });
}
