/** The parts of `snappyjs` (raw Snappy in plain JavaScript) that Switchboard uses. */
declare module 'snappyjs' {
  /** Throws when the declared length exceeds `maxLength` or the data is not Snappy. */
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
  export function compress<T extends Uint8Array>(uncompressed: T): T;
}
