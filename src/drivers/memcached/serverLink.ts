import { DriverError, messageOf } from '../errors';
import { TextConnection } from './textConnection';

const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 5000;

export interface LinkEvents {
  lost(error: Error | undefined): void;
  back(): void;
}

/**
 * The connection to one server of a pool, dialled again after a loss: first at once, then backing off to one try
 * every five seconds until the server answers or the session closes. Requests in between fail at once, by name.
 */
export class ServerLink {
  private connection: TextConnection | undefined;
  private lostWith: Error | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(readonly server: string, connection: TextConnection, private readonly dial: () => Promise<TextConnection>, private readonly events: LinkEvents) {
    this.adopt(connection);
  }

  get up(): boolean {
    return this.connection !== undefined;
  }

  /** The live connection, or an error saying the server is gone and being dialled again. */
  current(): TextConnection {
    if (this.connection) return this.connection;
    throw new DriverError('closed', `Memcached at ${this.server}: the connection was lost${this.lostWith ? ` (${messageOf(this.lostWith)})` : ''}; reconnecting.`,
      'Try again once the server is back; the connection shows when it is.');
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.connection?.close();
    this.connection = undefined;
  }

  private adopt(connection: TextConnection): void {
    this.connection = connection;
    connection.onClose((error) => {
      if (this.closed || this.connection !== connection) return;
      this.connection = undefined;
      this.lostWith = error;
      this.events.lost(error);
      this.schedule(FIRST_RETRY_MS);
    });
  }

  private schedule(delayMs: number): void {
    this.retry = setTimeout(() => {
      this.dial().then(
        (connection) => {
          if (this.closed) return connection.close();
          this.adopt(connection);
          this.events.back();
        },
        () => {
          if (!this.closed) this.schedule(Math.min(delayMs * 2, LONGEST_RETRY_MS));
        },
      );
    }, delayMs);
  }
}
