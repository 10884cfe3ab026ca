/**
 * Who is asking. Built only from the database after authentication; never from anything the
 * client claims. `userId` null is an anonymous principal that sees only `everyone` grants.
 */
export interface Principal {
  userId: string | null;
  email: string | null;
  role: 'admin' | 'member';
  /**
   * Only with `userId` null: reads what every member of this group may read (its grants and
   * everyone's), for an answer posted where that group reads it (a bound Slack channel).
   */
  audienceGroupId?: string;
  /**
   * Tapeout itself acting (start-up, the demo seed, the CLI, SCIM provisioning): see
   * access/systemActor.ts. Never set from a request.
   */
  system?: true;
}

/** Reads only what is granted to everyone: an unmapped Slack user, or a channel read by anyone. */
export const everyoneAudience: Principal = { userId: null, email: null, role: 'member' };
