// src/drivers/types.ts names node:stream's Duplex (what a tunnel hands a client library). The webviews type-check
// that file for the profile types but see no Node types, and use no stream: this stands in for it here only.
declare module 'node:stream' {
  export interface Duplex {}
}
