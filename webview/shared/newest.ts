/** A live list as a panel keeps it: what it held and what arrived, the newest `cap` of them (the host's LiveTail keeps as many). */
export function newest<T>(held: readonly T[], arrived: readonly T[], cap: number): T[] {
  const all = held.concat(arrived);
  return all.length > cap ? all.slice(all.length - cap) : all;
}
