/** The parts of `lz4js` (the LZ4 frame format in plain JavaScript) that Switchboard uses. */
declare module 'lz4js' {
  /** The decompressed size a frame declares or implies; throws on a bad magic number or descriptor. */
  export function decompressBound(src: Uint8Array): number;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}
