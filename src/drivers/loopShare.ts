import type { Readable } from 'node:stream';

/** The longest a socket is read in one turn of the event loop, in ms. */
const TURN_MS = 15;

/**
 * libuv reads up to 32 chunks of a busy socket in one turn of the event loop: with a parser behind each, a fast
 * stream (a million-key listing, 50 MB through a terminal) holds the extension host for 50 ms and more. Once a socket
 * has been read for TURN_MS in one turn, it pauses until the next, so everything else gets its turn in between.
 */
export function shareTheLoop(socket: Readable): void {
  let turnStarted: number | undefined;
  socket.on('data', () => {
    if (turnStarted === undefined) {
      turnStarted = performance.now();
      setImmediate(() => {
        turnStarted = undefined;
        if (!socket.destroyed) socket.resume();
      });
    } else if (performance.now() - turnStarted > TURN_MS) {
      socket.pause();
    }
  });
}
