import type { DocumentReader } from '../../corpus/documentReaders.ts';
import type { ItemError } from '../sourceRepository.ts';
import type { ConfluenceClient } from './ConfluenceClient.ts';
import type { ContentSummary, RestrictionSubjects } from './confluenceTypes.ts';

const everyone: DocumentReader[] = [{ kind: 'everyone' }];
const identity = (reader: DocumentReader) =>
  reader.kind === 'user'
    ? `u:${reader.email.toLowerCase()}`
    : reader.kind === 'group'
      ? `g:${reader.id ?? reader.name.toLowerCase()}`
      : '*';

/**
 * Who may read a Confluence page, as Confluence decides it: the space's view permission, then
 * the page's read restrictions and those of every restricted ancestor (a page is readable only
 * by those its own restrictions and each ancestor's allow). Users are named by email (Cloud:
 * from the restriction or the user API; Data Center: username@userEmailDomain), groups by id
 * and name. Whoever cannot be named that way is left out and reported: a restriction never
 * widens because a name could not be read.
 */
export class ConfluenceReaders {
  private readonly emails = new Map<string, Promise<string | undefined>>();
  private readonly groupNames = new Map<string, Promise<string | undefined>>();
  readonly notes: ItemError[] = [];

  constructor(
    private readonly client: ConfluenceClient,
    private readonly cloud: boolean,
    private readonly userEmailDomain: string | undefined,
    private readonly spacePermissions: boolean,
  ) {}

  /**
   * Who may view the space. Cloud lists it (v2 space permissions); Data Center's REST API does
   * not, so there the collection's grants stand for the space's permissions ('everyone').
   */
  async ofSpace(spaceKey: string): Promise<DocumentReader[]> {
    if (!this.cloud || !this.spacePermissions) return everyone;
    const readers: DocumentReader[] = [];
    for await (const permission of this.client.spacePermissions(spaceKey)) {
      if (permission.operation.key !== 'read' || permission.operation.targetType !== 'space') continue;
      const { type, id } = permission.principal;
      if (type === 'user') {
        const email = await this.email(id);
        if (email) readers.push({ kind: 'user', email });
        else
          this.note(
            `space ${spaceKey}`,
            'reader_unmatched',
            `The account ${id} has no visible email; it is left out of the space's readers.`,
          );
      } else if (type === 'group') {
        readers.push({ kind: 'group', id, name: (await this.groupName(id)) ?? '' });
      } else {
        this.note(
          `space ${spaceKey}`,
          'reader_unmatched',
          `A ${type} (${id}) may view the space; Tapeout has no such principal, so it is left out.`,
        );
      }
    }
    return readers;
  }

  /** A page's readers from its restrictions and its ancestors' (`pages`: the space's pages by id), else the space's. */
  async ofPage(page: ContentSummary, pages: ReadonlyMap<string, ContentSummary>, space: DocumentReader[]): Promise<DocumentReader[]> {
    const chain = [page, ...(page.ancestors ?? []).map((ancestor) => pages.get(ancestor.id)).filter((p) => p !== undefined)];
    const levels: DocumentReader[][] = [];
    for (const level of chain) {
      const subjects = level.restrictions?.read?.restrictions;
      if (!hasSubjects(subjects)) continue;
      levels.push(await this.subjects(subjects!, `page ${page.id}`));
    }
    if (levels.length === 0) return space;
    // Each restricted level must allow the reader: kept are those every level names.
    return levels.reduce((kept, level) => {
      const named = new Set(level.map(identity));
      return kept.filter((reader) => named.has(identity(reader)));
    });
  }

  private async subjects(subjects: RestrictionSubjects, item: string): Promise<DocumentReader[]> {
    const readers: DocumentReader[] = [];
    for (const user of subjects.user?.results ?? []) {
      const email = user.email || (user.accountId ? await this.email(user.accountId) : undefined) || this.dataCenterEmail(user.username);
      if (email) readers.push({ kind: 'user', email });
      else {
        this.note(
          item,
          'reader_unmatched',
          `${user.displayName ?? user.accountId ?? user.username ?? 'A user'} has no email Tapeout can read; left out of the readers.`,
        );
      }
    }
    for (const group of subjects.group?.results ?? []) readers.push({ kind: 'group', id: group.id, name: group.name });
    return readers;
  }

  private dataCenterEmail(username: string | undefined): string | undefined {
    return username && this.userEmailDomain ? `${username}@${this.userEmailDomain}` : undefined;
  }

  private email(accountId: string): Promise<string | undefined> {
    if (!this.emails.has(accountId)) this.emails.set(accountId, this.client.emailOf(accountId));
    return this.emails.get(accountId)!;
  }

  private groupName(id: string): Promise<string | undefined> {
    if (!this.groupNames.has(id)) this.groupNames.set(id, this.client.groupName(id));
    return this.groupNames.get(id)!;
  }

  private note(item: string, code: string, message: string): void {
    if (this.notes.length < 100 && !this.notes.some((note) => note.item === item && note.message === message)) {
      this.notes.push({ item, code, message });
    }
  }
}

function hasSubjects(subjects: RestrictionSubjects | undefined): boolean {
  return Boolean(subjects?.user?.results?.length || subjects?.group?.results?.length);
}
