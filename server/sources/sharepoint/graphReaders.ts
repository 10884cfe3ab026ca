import type { DocumentReader } from '../../corpus/documentReaders.ts';
import type { ItemError } from '../sourceRepository.ts';
import type { IdentitySet, Permission } from './graphTypes.ts';

/** A SharePoint claims login ("i:0#.f|membership|alice@contoso.com") to its email. */
function emailOfLogin(login: string | undefined): string | undefined {
  const last = login?.split('|').pop();
  return last && /^[^@\s]+@[^@\s]+$/.test(last) ? last : undefined;
}

/**
 * A drive item's readers from its permissions (GET /drives/{d}/items/{i}/permissions), each of
 * which grants at least read: Entra users by email, Entra groups by object id (SCIM's external
 * id) and name, SharePoint site groups ("Hardware Members") by name, and sharing links scoped
 * to the organisation (or anyone) as everyone in the source; a link for specific people names
 * them. An identity with neither email nor group is left out and reported.
 */
export function readersOfPermissions(permissions: Permission[], item: string, notes: ItemError[]): DocumentReader[] {
  const readers: DocumentReader[] = [];
  const add = (identities: IdentitySet | undefined) => {
    if (!identities) return;
    const { user, group, siteUser, siteGroup } = identities;
    if (group) {
      readers.push({ kind: 'group', id: group.id, name: group.displayName ?? '' });
      return;
    }
    if (siteGroup && !user) {
      readers.push({ kind: 'group', name: siteGroup.displayName ?? siteGroup.loginName ?? '' });
      return;
    }
    const email = user?.email ?? siteUser?.email ?? user?.userPrincipalName ?? emailOfLogin(siteUser?.loginName);
    if (email) readers.push({ kind: 'user', email });
    else if (user || siteUser || identities.application) {
      const who = user?.displayName ?? siteUser?.displayName ?? identities.application?.displayName ?? 'An identity';
      if (notes.length < 100)
        notes.push({ item, code: 'reader_unmatched', message: `${who} has no email Tapeout can read; left out of the readers.` });
    }
  };
  for (const permission of permissions) {
    const scope = permission.link?.scope;
    if (scope === 'organization' || scope === 'anonymous') {
      readers.push({ kind: 'everyone' });
      continue;
    }
    add(permission.grantedToV2);
    for (const identities of permission.grantedToIdentitiesV2 ?? []) add(identities);
  }
  return readers;
}
