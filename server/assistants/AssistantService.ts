import type { Database, Queryable } from '../db/Database.ts';
import type { Principal } from '../auth/Principal.ts';

export interface RetrievalSettings {
  candidates?: number;
  topK?: number;
  scoreThreshold?: number;
}

export interface Assistant {
  slug: string;
  name: string;
  description: string;
  systemPrompt: string;
  collections: string[];
  model: string | null;
  temperature: number | null;
  retrieval: RetrievalSettings;
  createdAt: string;
  updatedAt: string;
}

export interface NewAssistant {
  slug: string;
  name: string;
  description?: string;
  systemPrompt: string;
  collectionIds: string[];
  model?: string | null;
  temperature?: number | null;
  retrieval?: RetrievalSettings;
}

export interface AssistantForAnswering {
  id: string;
  slug: string;
  systemPrompt: string;
  temperature: number | null;
  retrieval: RetrievalSettings;
  collectionIds: string[];
}

export class AssistantService {
  constructor(private readonly db: Database) {}

  async findForAnswering(slug: string): Promise<AssistantForAnswering | undefined> {
    const { rows } = await this.db.query<AssistantForAnswering>(
      `SELECT a.id, a.slug, a.system_prompt AS "systemPrompt", a.temperature, a.retrieval,
              COALESCE(array_agg(ac.collection_id) FILTER (WHERE ac.collection_id IS NOT NULL), '{}') AS "collectionIds"
         FROM assistants a LEFT JOIN assistant_collections ac ON ac.assistant_id = a.id
        WHERE a.slug = $1 GROUP BY a.id`,
      [slug],
    );
    return rows[0];
  }

  async create(input: NewAssistant, client: Queryable = this.db): Promise<string> {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO assistants (slug, name, description, system_prompt, model, temperature, retrieval)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [input.slug, input.name, input.description ?? '', input.systemPrompt, input.model ?? null, input.temperature ?? null, input.retrieval ?? {}],
    );
    const id = rows[0]!.id;
    await client.query(
      `INSERT INTO assistant_collections (assistant_id, collection_id) SELECT $1, unnest($2::uuid[])`,
      [id, input.collectionIds],
    );
    return id;
  }

  /**
   * Every assistant is listed to every signed-in user; each one only ever answers from the
   * collections the asker may read, so an assistant over private collections is harmless.
   * `collections` lists only the slugs visible to the principal.
   */
  async list(principal: Principal): Promise<Assistant[]> {
    const { rows } = await this.db.query<Assistant>(
      `SELECT a.slug, a.name, a.description, a.system_prompt AS "systemPrompt", a.model, a.temperature, a.retrieval,
              a.created_at AS "createdAt", a.updated_at AS "updatedAt",
              COALESCE(array_agg(c.slug ORDER BY c.slug) FILTER (WHERE c.id IN (SELECT visible_collection_ids($1))), '{}') AS collections
         FROM assistants a
         LEFT JOIN assistant_collections ac ON ac.assistant_id = a.id
         LEFT JOIN collections c ON c.id = ac.collection_id
        GROUP BY a.id
        ORDER BY a.name`,
      [principal.userId],
    );
    return rows;
  }
}
