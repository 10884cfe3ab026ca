/** Dimensions that have a partial HNSW index in the schema (see the initial migration). */
const indexedDimensions = new Set([384, 512, 768, 1024, 1536, 2048]);

/**
 * The SQL expression a nearest-neighbour query must order by so Postgres can use the HNSW
 * index for this dimension. The expression must match the index definition exactly.
 */
export function embeddingExpression(dimension: number): string {
  if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`invalid embedding dimension ${dimension}`);
  if (!indexedDimensions.has(dimension)) return 'embedding';
  return dimension > 2000 ? `(embedding::halfvec(${dimension}))` : `(embedding::vector(${dimension}))`;
}

export function queryVectorCast(dimension: number): string {
  return dimension > 2000 && indexedDimensions.has(dimension) ? `halfvec(${dimension})` : `vector(${dimension})`;
}

export function toVectorLiteral(values: ArrayLike<number>): string {
  return `[${Array.from(values).join(',')}]`;
}
