import type { Group } from '../users/groupRepository.ts';

export function presentGroup(group: Group) {
  return {
    id: group.id,
    name: group.name,
    description: group.description,
    builtin: group.builtin,
    managedBy: group.managedBy,
    members: group.members.map(({ id, email }) => ({ id, email })),
    grants: group.grants.map(({ collection, permission }) => ({ collection, permission })),
  };
}

export type GroupResponse = ReturnType<typeof presentGroup>;
