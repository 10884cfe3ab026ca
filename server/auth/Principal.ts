/**
 * Who is asking. Built only from the database after authentication; never from anything the
 * client claims. `userId` null is an anonymous principal that sees only `everyone` grants.
 */
export interface Principal {
  userId: string | null;
  email: string | null;
  role: 'admin' | 'member';
}

export const isAdmin = (principal: Principal): boolean => principal.role === 'admin';
