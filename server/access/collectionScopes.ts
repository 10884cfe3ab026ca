/**
 * The SQL that decides which collections a principal may read or edit: the database functions
 * of the schema (visible_collection_ids, editable_collection_ids, readable_collection_ids, and for
 * documents with readers of their own withheld_document_ids and user_reads_document), named
 * only here, so every query that limits rows to a principal's grants is built from these and a
 * grep finds each of them. Each takes the positions of its parameters (`$1`), so callers keep
 * their queries parameterised.
 */
export const collectionScopes = {
  /** Collections the user may read: admins all, members through their groups' grants and `everyone`'s. */
  visible: (userIdParam: string) => `SELECT visible_collection_ids(${userIdParam})`,
  /** Collections the user may change: admins all, members through `edit` grants. */
  editable: (userIdParam: string) => `SELECT editable_collection_ids(${userIdParam})`,
  /**
   * What retrieval may read: the user's visible collections, or, for an answer posted where a
   * group reads it (a Slack channel), only what every member of that group may read.
   */
  readable: (userIdParam: string, audienceGroupParam: string) => `SELECT readable_collection_ids(${userIdParam}, ${audienceGroupParam})`,
  /**
   * The restricted documents of the collections in an array parameter that the principal (or the
   * audience it stands for) is not among the readers of (document_readers): retrieval leaves them out.
   */
  withheldDocuments: (userIdParam: string, audienceGroupParam: string, collectionIdsParam: string) =>
    `SELECT withheld_document_ids(${userIdParam}, ${audienceGroupParam}, ${collectionIdsParam})`,
  /** SQL that is true when the user may read the document: its collection visible and, if restricted, they among its readers. */
  documentReadable: (userIdParam: string, documentIdExpression: string) => `user_reads_document(${userIdParam}, ${documentIdExpression})`,
  /** SQL that is true when the user is an admin (for decisions taken inside one query). */
  userIsAdmin: (userIdParam: string) => `EXISTS (SELECT 1 FROM users u WHERE u.id = ${userIdParam} AND u.role = 'admin')`,
} as const;
