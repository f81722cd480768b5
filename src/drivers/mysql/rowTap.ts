import type { Query } from 'mysql2';

/** A row packet as mysql2 hands it to its row parser: the payload is buffer[offset, end). */
interface RowPacket {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly end: number;
  isEOF(): boolean;
}

type PacketState = (this: unknown, packet: RowPacket, connection: unknown) => unknown;

/**
 * Hands each row of a running text-protocol query to `onRow` as the bytes the server sent, instead of letting mysql2
 * parse it into JavaScript values (no 'result' event is emitted for rows then; result-set headers, OK packets, errors
 * and 'fields' / 'end' are untouched).
 *
 * mysql2's Query command reads each packet in its current state method; after a result set's columns the state is
 * `this.row`, looked up on the command, so an own `row` on this one command takes every row packet and passes the
 * end-of-rows packet back to mysql2. The integration tests compare every column type read this way with mysql2's own
 * parser, so a mysql2 release that moved this would fail them rather than show wrong cells.
 */
export function tapRows(query: Query, onRow: (bytes: Buffer, start: number, end: number) => void): void {
  const command = query as unknown as { row?: PacketState };
  const parse = command.row;
  if (typeof parse !== 'function') throw new Error('This mysql2 version has no Query.row state: the result rows cannot be read.');
  const tap: PacketState = function (this: unknown, packet, connection) {
    if (packet.isEOF()) return parse.call(this, packet, connection);
    onRow(packet.buffer, packet.offset, packet.end);
    return tap;
  };
  command.row = tap;
}
