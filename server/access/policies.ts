import type { Principal } from '../auth/Principal.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';

/**
 * Who may do what, decided here and nowhere else (outline's policies/, immich's requireAccess).
 * Reading is decided in SQL, by the scopes in collectionScopes.ts; these are the decisions taken
 * in code, each throwing the typed error its refusal answers with.
 *
 * | action                                   | admin | member                        | anonymous / audience |
 * | ---------------------------------------- | ----- | ----------------------------- | -------------------- |
 * | administer (users, groups, grants, ...)  | yes   | no (403)                      | no (403)             |
 * | read a collection                        | all   | granted (others: 404)         | `everyone`'s only    |
 * | read a restricted document (own readers) | among its readers, as anyone (SQL)    | every member among them |
 * | see a restricted document's title, readers | yes | among its readers             | no                   |
 * | edit a collection and its documents      | all   | granted `edit` (read only: 403, none: 404) | no      |
 * | see an assistant's system prompt         | yes   | editors of one of its collections | no               |
 * | manage API keys                          | all   | their own (others: 404)       | no                   |
 * | see and revoke MCP sign-ins (OAuth grants) | all | their own (others: 404)       | no                   |
 * | read /metrics, /readyz details           | yes   | no                            | no                   |
 * | end sessions, add API keys of a user     | all   | their own (others: 403)       | no                   |
 *
 * Every state-changing service method takes the principal first and asks these (a spec in
 * test/server/access/ fails when one does not); Tapeout acting on its own is systemActor.ts.
 */
export const isAdmin = (principal: Principal): boolean => principal.role === 'admin';

/** Throws 403 unless the principal is an admin. `what` completes "Only admins can …". */
export function requireAdmin(principal: Principal, what = 'do this'): void {
  if (!isAdmin(principal)) throw new ForbiddenError(`Only admins can ${what}.`);
}

/** Whose credentials (API keys, MCP sign-ins) the principal manages: everyone's (null) for an admin, else its own. */
export function credentialOwnerFor(principal: Principal): string | null {
  if (isAdmin(principal)) return null;
  if (!principal.userId) throw new ForbiddenError('Sign in as a user to manage credentials.');
  return principal.userId;
}

/** Throws 403 unless the principal is the user `userId` or an admin. */
export function requireSelfOrAdmin(principal: Principal, userId: string, what: string): void {
  if (principal.userId !== userId) requireAdmin(principal, what);
}

/**
 * A collection's access as SQL found it for the principal (collectionScopes.ts): one it may not
 * read is "not found", so its existence does not leak; one it may read but not edit is 403.
 */
export function requireEditable(access: { visible: boolean; editable: boolean } | undefined, what: string, refusal?: string): void {
  if (!access?.visible) throw new NotFoundError(what);
  if (!access.editable) throw new ForbiddenError(refusal ?? "Only admins and the collection's editors can do this.");
}

/** Whether a collection's document list shows the restricted documents the principal is not among the readers of (to manage them). */
export const seesEveryDocumentTitle = isAdmin;

/** Whether a key listing or revocation is limited to the principal's own keys. */
export const seesEveryonesKeys = isAdmin;
