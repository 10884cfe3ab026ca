import type { DocumentReader } from '../../corpus/documentReaders.ts';
import type { ItemError } from '../sourceRepository.ts';
import type { JiraClient } from './JiraClient.ts';
import type { JiraIssue, JiraUser, PermissionHolder } from './jiraTypes.ts';

/**
 * Who may read a Jira issue, as Jira decides it: an issue under a security level is read by that
 * level's members; any other by whoever holds the project's Browse Projects permission. Holders
 * become readers: anyone and application access as everyone in the source, groups by id and
 * name, users and project roles' users by email, the reporter and assignee of the issue itself.
 * A holder Tapeout cannot name is left out and reported; the project's gate over a security
 * level is the collection's grants (see docs/sources.md).
 */
export class JiraReaders {
  private browse: Promise<PermissionHolder[]> | undefined;
  private readonly levels = new Map<string, Promise<PermissionHolder[] | undefined>>();
  private readonly roles = new Map<string, Promise<DocumentReader[]>>();
  private readonly emails = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly client: JiraClient,
    private readonly project: string,
    private readonly notes: ItemError[],
  ) {}

  async ofIssue(issue: JiraIssue): Promise<DocumentReader[]> {
    const level = issue.fields.security;
    if (level) {
      if (!this.levels.has(level.id)) this.levels.set(level.id, this.client.levelMembers(this.project, level.id));
      const members = await this.levels.get(level.id)!;
      if (!members) {
        this.note(
          issue.key,
          `The security level "${level.name}" cannot be read through Data Center's REST API: nobody reads the issue here.`,
        );
        return [];
      }
      return this.readersOf(members, issue);
    }
    this.browse ??= this.client.browsers(this.project);
    return this.readersOf(await this.browse, issue);
  }

  private async readersOf(holders: PermissionHolder[], issue: JiraIssue): Promise<DocumentReader[]> {
    const readers: DocumentReader[] = [];
    for (const holder of holders) readers.push(...(await this.readersOfHolder(holder, issue)));
    return readers;
  }

  private async readersOfHolder(holder: PermissionHolder, issue: JiraIssue): Promise<DocumentReader[]> {
    switch (holder.type) {
      case 'anyone':
      case 'applicationRole':
        return [{ kind: 'everyone' }];
      case 'group':
        return holder.parameter || holder.value ? [{ kind: 'group', id: holder.value, name: holder.parameter ?? '' }] : [];
      case 'user':
        return this.userReader(this.cloudOrServerUser(holder.parameter), issue.key);
      case 'reporter':
      case 'assignee': {
        const person = issue.fields[holder.type] as JiraUser | null | undefined;
        return person ? this.userReader(person, issue.key) : [];
      }
      case 'projectRole':
        if (!holder.parameter) return [];
        if (!this.roles.has(holder.parameter)) this.roles.set(holder.parameter, this.roleReaders(holder.parameter, issue.key));
        return this.roles.get(holder.parameter)!;
      default:
        this.note(issue.key, `Jira gives access to a "${holder.type}" holder, which Tapeout cannot name; it is left out.`);
        return [];
    }
  }

  private async roleReaders(roleId: string, item: string): Promise<DocumentReader[]> {
    const readers: DocumentReader[] = [];
    for (const actor of await this.client.roleActors(this.project, roleId)) {
      if (actor.type === 'atlassian-group-role-actor') {
        readers.push({ kind: 'group', id: actor.actorGroup?.groupId, name: actor.actorGroup?.name ?? actor.name ?? '' });
      } else {
        readers.push(
          ...(await this.userReader(actor.actorUser?.accountId ? { accountId: actor.actorUser.accountId } : { name: actor.name }, item)),
        );
      }
    }
    return readers;
  }

  private cloudOrServerUser(parameter: string | undefined): JiraUser {
    return this.client.cloud ? { accountId: parameter } : { name: parameter };
  }

  private async userReader(user: JiraUser, item: string): Promise<DocumentReader[]> {
    const email = user.emailAddress || (await this.emailOf(user));
    if (email) return [{ kind: 'user', email }];
    this.note(
      item,
      `${user.displayName ?? user.accountId ?? user.name ?? 'A user'} has no email Tapeout can read; left out of the readers.`,
    );
    return [];
  }

  private emailOf(user: JiraUser): Promise<string | undefined> {
    const key = user.accountId ?? `name:${user.name}`;
    if (!user.accountId && !user.name) return Promise.resolve(undefined);
    if (!this.emails.has(key))
      this.emails.set(
        key,
        this.client.user(user).then((found) => found?.emailAddress || undefined),
      );
    return this.emails.get(key)!;
  }

  private note(item: string, message: string): void {
    if (this.notes.length < 100 && !this.notes.some((note) => note.message === message))
      this.notes.push({ item, code: 'reader_unmatched', message });
  }
}
