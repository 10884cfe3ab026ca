import type { Principal } from '../auth/Principal.ts';
import type { Database, Queryable } from '../db/Database.ts';
import { requireAdmin, requireEditable } from '../access/policies.ts';
import { isSystemActor } from '../access/systemActor.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import {
  chunkSettings,
  collectionAccess,
  collectionExists,
  deleteGrant,
  findCollectionBySlug,
  findVisibleCollection,
  insertCollection,
  listCollections,
  updateCollection,
  upsertGrant,
  type Collection,
  type CollectionListing,
  type NewCollection,
} from '../corpus/collectionRepository.ts';

export type { Collection, CollectionListing, NewCollection };

export class CollectionService {
  constructor(private readonly db: Database) {}

  async create(principal: Principal, input: NewCollection, client: Queryable = this.db): Promise<Collection> {
    requireAdmin(principal, 'create collections');
    return insertCollection(client, input);
  }

  async findBySlug(slug: string): Promise<Collection | undefined> {
    return findCollectionBySlug(this.db, slug);
  }

  /**
   * The collection, when the principal may change it (admins, and groups granted 'edit').
   * One the principal cannot even read is reported as not found, so its existence does not leak.
   */
  async findEditable(principal: Principal, slug: string): Promise<Collection> {
    if (isSystemActor(principal)) {
      const collection = await findCollectionBySlug(this.db, slug);
      if (!collection) throw new NotFoundError(`Collection "${slug}"`);
      return collection;
    }
    const row = await findVisibleCollection(this.db, principal.userId, slug);
    requireEditable(
      row && { visible: true, editable: row.editable },
      `Collection "${slug}"`,
      `You can read "${slug}" but not change it: ask an admin for edit rights.`,
    );
    const { editable: _editable, ...collection } = row!;
    return collection;
  }

  /** Throws unless the principal may change the collection with this id (NotFound when it may not even read it). */
  async assertEditable(principal: Principal, collectionId: string, what: string): Promise<void> {
    // Tapeout itself (a source's sync deleting what left the source) may change any collection that exists.
    if (isSystemActor(principal)) {
      if (!(await collectionExists(this.db, collectionId))) throw new NotFoundError(what);
      return;
    }
    requireEditable(await collectionAccess(this.db, principal.userId, collectionId), what);
  }

  async grantToGroup(
    principal: Principal,
    collectionId: string,
    groupName: string,
    permission: 'read' | 'edit' = 'read',
    client: Queryable = this.db,
  ): Promise<void> {
    requireAdmin(principal, 'grant collections to groups');
    if (!(await upsertGrant(client, collectionId, groupName, permission))) throw new NotFoundError(`Group "${groupName}"`);
  }

  async revokeFromGroup(principal: Principal, collectionId: string, groupName: string): Promise<void> {
    requireAdmin(principal, 'revoke grants');
    if (!(await deleteGrant(this.db, collectionId, groupName))) throw new NotFoundError(`A grant of this collection to "${groupName}"`);
  }

  /** Collections the principal can read (or just one of them), with what the admin console shows about each. */
  async list(principal: Principal, onlyId?: string): Promise<CollectionListing[]> {
    return listCollections(this.db, principal.userId, onlyId);
  }

  /** Changes names and chunking; new chunking applies to files ingested (or re-ingested) from now on. */
  async update(
    principal: Principal,
    collectionId: string,
    patch: { name?: string; description?: string; chunkSize?: number; chunkOverlap?: number },
  ): Promise<void> {
    requireAdmin(principal, "change a collection's settings");
    const current = await chunkSettings(this.db, collectionId);
    if (!current) throw new NotFoundError(`Collection ${collectionId}`);
    const size = patch.chunkSize ?? current.chunkSize;
    const overlap = patch.chunkOverlap ?? current.chunkOverlap;
    if (overlap >= size) throw new ValidationError(`chunkOverlap (${overlap}) must be smaller than chunkSize (${size}).`);
    await updateCollection(this.db, collectionId, {
      name: patch.name,
      description: patch.description,
      chunkSize: size,
      chunkOverlap: overlap,
    });
  }
}
