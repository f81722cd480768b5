import { describeError } from '../core/errorWords';

/** A list as a panel shows it: what the server said, when it was read, and why the last read failed if it did. */
export type Reading<D> = D & { readonly readAt: number; readonly error?: string };
/** What one read of a panel's state gives: the state without its time and error. */
export type ReadPart<S> = Omit<S, 'readAt' | 'error'>;

/**
 * What a server list panel (processes, clients, slow log, server values) shows, kept on the host so that a webview
 * rebuilt after being hidden shows it as it was read. A failed read keeps the rows of the last good one and says why.
 */
export class ServerReading<D extends object> {
  private reading: Reading<D>;

  constructor(empty: D, private readonly read: () => Promise<D>, private readonly shown: (reading: Reading<D>) => void) {
    this.reading = { ...empty, readAt: 0 };
  }

  get current(): Reading<D> {
    return this.reading;
  }

  async refresh(): Promise<void> {
    try {
      this.reading = { ...(await this.read()), readAt: Date.now() };
    } catch (error) {
      this.reading = { ...this.reading, error: describeError(error) };
    }
    this.shown(this.reading);
  }
}
