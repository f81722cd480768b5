/** A folder of keys sharing a prefix: "user" holds user:1, user:2 and the folder user:session. */
interface Group {
  readonly id: number;
  readonly name: string;
  readonly depth: number;
  readonly children: Map<string, Group>;
  /** Rows of keys that end in this folder. */
  readonly keys: number[];
  /** Keys in this folder and every folder below it. */
  count: number;
  expanded: boolean;
}

/** One line of the tree as drawn: a folder, or a key (its row index) at a depth. */
export type TreeLine = { readonly group: number; readonly depth: number } | { readonly row: number; readonly depth: number };

/**
 * Keys as a tree of folders split at a delimiter (user:session:42 sits in user → session), with the number of keys
 * below each folder. Built as keys stream in; `lines()` flattens the expanded part for a virtualized list.
 */
export class KeyTree {
  private readonly groups: Group[] = [];
  private readonly root: Group = this.group('', -1);

  constructor(private readonly delimiter: string) {}

  add(key: string, row: number): void {
    const parts = key.split(this.delimiter);
    let at = this.root;
    at.count++;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!;
      let next = at.children.get(name);
      if (!next) {
        next = this.group(name, at.depth + 1);
        at.children.set(name, next);
      }
      next.count++;
      at = next;
    }
    at.keys.push(row);
  }

  clear(): void {
    this.groups.length = 1;
    this.root.children.clear();
    this.root.keys.length = 0;
    this.root.count = 0;
  }

  toggle(group: number): void {
    const g = this.groups[group];
    if (g) g.expanded = !g.expanded;
  }

  label(group: number): { name: string; count: number; expanded: boolean } {
    const g = this.groups[group]!;
    return { name: `${g.name}${this.delimiter}`, count: g.count, expanded: g.expanded };
  }

  /** The key's part below its folder, for drawing it under that folder. */
  leaf(key: string): string {
    const at = key.lastIndexOf(this.delimiter);
    return at < 0 ? key : key.slice(at + this.delimiter.length);
  }

  /** The visible lines: folders sorted by name before the keys of the same folder; collapsed folders hide their content. */
  lines(): TreeLine[] {
    const out: TreeLine[] = [];
    const walk = (g: Group): void => {
      for (const child of [...g.children.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        out.push({ group: child.id, depth: child.depth });
        if (child.expanded) walk(child);
      }
      for (const row of g.keys) out.push({ row, depth: g.depth + 1 });
    };
    walk(this.root);
    return out;
  }

  private group(name: string, depth: number): Group {
    const g: Group = { id: this.groups.length, name, depth, children: new Map(), keys: [], count: 0, expanded: false };
    this.groups.push(g);
    return g;
  }
}
