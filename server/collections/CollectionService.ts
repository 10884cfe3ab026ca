import type { Database, Queryable } from '../db/Database.ts';

export interface Collection {
  id: string;
  slug: string;
  name: string;
  description: string;
  embeddingModel: string;
  embeddingDimension: number;
  textSearchConfig: string;
}

export interface NewCollection {
  slug: string;
  name: string;
  description?: string;
  embeddingModel: string;
  embeddingDimension: number;
  textSearchConfig?: string;
  chunkSize?: number;
  chunkOverlap?: number;
  createdBy?: string | null;
}

const columns = `id, slug, name, description, embedding_model AS "embeddingModel",
  embedding_dimension AS "embeddingDimension", text_search_config::text AS "textSearchConfig"`;

export class CollectionService {
  constructor(private readonly db: Database) {}

  async create(input: NewCollection, client: Queryable = this.db): Promise<Collection> {
    const { rows } = await client.query<Collection>(
      `INSERT INTO collections (slug, name, description, embedding_model, embedding_dimension, text_search_config, created_by, chunk_size, chunk_overlap)
       VALUES ($1, $2, $3, $4, $5, $6::regconfig, $7, $8, $9) RETURNING ${columns}`,
      [
        input.slug,
        input.name,
        input.description ?? '',
        input.embeddingModel,
        input.embeddingDimension,
        input.textSearchConfig ?? 'english',
        input.createdBy ?? null,
        input.chunkSize ?? 512,
        input.chunkOverlap ?? 77,
      ],
    );
    return rows[0]!;
  }

  async findBySlug(slug: string): Promise<Collection | undefined> {
    const { rows } = await this.db.query<Collection>(`SELECT ${columns} FROM collections WHERE slug = $1`, [slug]);
    return rows[0];
  }

  async grantToGroup(collectionId: string, groupName: string, permission: 'read' | 'edit' = 'read', client: Queryable = this.db) {
    const { rowCount } = await client.query(
      `INSERT INTO collection_grants (collection_id, group_id, permission)
       SELECT $1, id, $3 FROM groups WHERE name = $2
       ON CONFLICT (collection_id, group_id) DO UPDATE SET permission = EXCLUDED.permission`,
      [collectionId, groupName, permission],
    );
    if (rowCount === 0) throw new Error(`no group named ${groupName}`);
  }
}
