/** A MySQL identifier (database, table, column) quoted with backticks, backticks inside doubled. */
export const ident = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
