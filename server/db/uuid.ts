const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether an id a client sent is a UUID in its usual form. Repositories look ids up only then, as
 * `id = $1` (which uses the primary key, where `id::text = $1` cannot); anything else is simply not
 * found, never a SQL error.
 */
export const isUuid = (id: string): boolean => uuidPattern.test(id);
