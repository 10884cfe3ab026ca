import pg from 'pg';

/**
 * Writes `$1`, `$2`… of `sql` as literals, for statements sent in one message with the simple
 * query protocol, which carries no parameters (Database.queryInOneMessage). Values are quoted by
 * pg's own escapeLiteral; only null, finite numbers, strings and arrays of those are accepted, so
 * nothing else can reach the text. `sql` must hold no `$n` inside its own string literals.
 */
export function inlineParameters(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, index: string) => {
    const position = Number(index);
    if (position < 1 || position > params.length) throw new Error(`inlineParameters: no value for $${index}`);
    return literal(params[position - 1]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`inlineParameters: ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (Array.isArray(value)) return pg.escapeLiteral(`{${value.map(arrayElement).join(',')}}`);
  throw new Error(`inlineParameters: cannot write a ${typeof value} as a literal`);
}

/** An element of a Postgres array literal: NULL, or double-quoted with `"` and `\` escaped. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return `"${value.replace(/["\\]/g, '\\$&')}"`;
  throw new Error(`inlineParameters: cannot write a ${typeof value} in an array literal`);
}
