export interface KeyspaceEntry {
  readonly keys: number;
  readonly expires: number;
}

/** Parses the `# Keyspace` section of INFO: "db0:keys=12,expires=3,avg_ttl=0". */
export function parseKeyspace(info: string): Map<number, KeyspaceEntry> {
  const result = new Map<number, KeyspaceEntry>();
  for (const match of info.matchAll(/^db(\d+):keys=(\d+),expires=(\d+)/gm)) {
    result.set(Number(match[1]), { keys: Number(match[2]), expires: Number(match[3]) });
  }
  return result;
}
