import { Duplex } from 'node:stream';

/**
 * A stream at once, for client libraries that need one synchronously (mysql2's `stream` option), joined to the
 * stream `opening` resolves to: writes wait for it; a failure to open destroys this one with that error; when the
 * inner stream closes, this one ends and refuses further writes.
 */
export function streamWhenReady(opening: Promise<Duplex>): Duplex {
  let inner: Duplex | undefined;
  let closed = false;
  let waiting: (() => void) | undefined;
  let draining: ((error?: Error) => void) | undefined;
  const outer = new Duplex({
    write(chunk: Buffer, encoding, callback) {
      const send = (): void => {
        if (closed || !inner) return callback(new Error('the tunnelled connection closed'));
        if (inner.write(chunk, encoding)) return callback();
        draining = callback;
        inner.once('drain', () => {
          draining = undefined;
          callback();
        });
      };
      if (inner || closed) send();
      else waiting = send;
    },
    final(callback) {
      const end = (): void => {
        inner?.end();
        callback();
      };
      if (inner || closed) end();
      else waiting = end;
    },
    read() {
      inner?.resume();
    },
    destroy(error, callback) {
      inner?.destroy();
      callback(error);
    },
  });
  opening.then(
    (stream) => {
      if (outer.destroyed) return void stream.destroy();
      inner = stream;
      stream.on('data', (chunk: Buffer) => {
        if (!outer.push(chunk)) stream.pause();
      });
      stream.on('end', () => outer.push(null));
      stream.on('error', (error: Error) => outer.destroy(error));
      stream.on('close', () => {
        closed = true;
        outer.push(null);
        draining?.(new Error('the tunnelled connection closed'));
      });
      const pending = waiting;
      waiting = undefined;
      pending?.();
    },
    (error: unknown) => outer.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return outer;
}
