declare module 'java-deserialization' {
  /** The contents of a Java serialization stream as plain records; throws on anything else. */
  export function parse(data: Buffer): unknown[];
}
