import type { ResultSink } from '../../src/drivers/mysql/queryRunner';
import type { Cell, ColumnInfo } from '../../src/drivers/mysql/resultShapes';
import type { RowStore } from '../../src/drivers/mysql/rowStore';
import assert from 'node:assert/strict';
import { HostKeyVerifier, Session } from '../../src/drivers/types';

/** Reads a variable set by test/services (or by the developer, to point the suite at existing servers). */
export function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`npm test\`, which starts the private servers.`);
  return value;
}

export const TIMEOUT_MS = 5000;

/** A connected session, checked to be of the driver's own class (no cast). */
export async function sessionOf<S extends Session>(connecting: Promise<Session>, kind: abstract new (...args: never[]) => S): Promise<S> {
  const session = await connecting;
  assert.ok(session instanceof kind, `a ${kind.name} was expected`);
  return session;
}

/** Trusts exactly the host key test/services generated for the private sshd: real verification, not a bypass. */
export function pinnedHostKey(publicKeyLine = need('SSH_HOST_KEY')): HostKeyVerifier & { seen: number } {
  const expected = Buffer.from(publicKeyLine.split(' ')[1] ?? '', 'base64');
  return {
    seen: 0,
    async verify(_host, _port, key) {
      this.seen++;
      return Buffer.from(key).equals(expected);
    },
  };
}

/** A loopback port nothing listens on. */
export async function refusedPort(): Promise<number> {
  const { freePort } = await import('../services/process');
  return freePort();
}

/** A verifier that reads known_hosts text the way Switchboard does (no prompt: unknown keys are refused). */
export function knownHostsVerifier(text: string): HostKeyVerifier {
  return {
    async verify(host, port, key) {
      const { checkKnownHosts } = await import('../../src/drivers/ssh/knownHosts');
      return checkKnownHosts(text, host, port, Buffer.from(key)) === 'trusted';
    },
  };
}

/** A result sink that keeps each result set's columns and row store. */
export class CollectedRows implements ResultSink {
  readonly columnSets: ColumnInfo[][] = [];
  private readonly stores: RowStore[] = [];

  columns(set: number, columns: readonly ColumnInfo[], rows: RowStore): void {
    this.columnSets[set] = [...columns];
    this.stores[set] = rows;
  }

  rows(): void {}

  /** Every set's rows, as cells. */
  cells(): Cell[][][] {
    return this.stores.map((store) => store.slice(0, store.length));
  }
}
