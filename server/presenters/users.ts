import type { User, UserListing } from '../users/userRepository.ts';

export function presentUser(user: User) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, active: user.active };
}

export function presentUserListing(user: UserListing) {
  return {
    ...presentUser(user),
    groups: [...user.groups],
    canSignIn: user.canSignIn,
    managedByIdentityProvider: user.managedByIdentityProvider,
    givenName: user.givenName,
    familyName: user.familyName,
    createdAt: user.createdAt,
  };
}

export type UserResponse = ReturnType<typeof presentUser>;

/** A user as Admin › Users lists them. */
export type UserListingResponse = ReturnType<typeof presentUserListing>;
