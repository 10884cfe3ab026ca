import type { Database, Queryable } from '../db/Database.ts';
import type { Principal } from '../auth/Principal.ts';
import { requireAdmin } from '../access/policies.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { RetrievalFilter } from '../retrieval/retrievalFilter.ts';
import { collectionScopes } from '../access/collectionScopes.ts';
import { collectionIdsBySlug } from '../corpus/collectionRepository.ts';

export interface RetrievalSettings {
  candidates?: number;
  topK?: number;
  scoreThreshold?: number;
  /** Limits the assistant to some documents of its collections. */
  filter?: RetrievalFilter;
}

export interface Assistant {
  slug: string;
  name: string;
  description: string;
  /** Shown to admins and to editors of one of its collections; null for everyone else. */
  systemPrompt: string | null;
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

/** An assistant as the API writes it: collections by slug. */
export interface AssistantInput {
  slug: string;
  name: string;
  description?: string;
  systemPrompt: string;
  collections: string[];
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

  async create(principal: Principal, input: NewAssistant, client: Queryable = this.db): Promise<string> {
    requireAdmin(principal, 'create assistants');
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO assistants (slug, name, description, system_prompt, model, temperature, retrieval)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        input.slug,
        input.name,
        input.description ?? '',
        input.systemPrompt,
        input.model ?? null,
        input.temperature ?? null,
        input.retrieval ?? {},
      ],
    );
    const id = rows[0]!.id;
    await client.query(`INSERT INTO assistant_collections (assistant_id, collection_id) SELECT $1, unnest($2::uuid[])`, [
      id,
      input.collectionIds,
    ]);
    return id;
  }

  /** Creates an assistant over collections named by slug; 409 for a taken slug, 400 for an unknown collection. */
  async createFromInput(principal: Principal, input: AssistantInput): Promise<void> {
    requireAdmin(principal, 'create assistants');
    await this.db.transaction(async (client) => {
      const { rowCount } = await client.query('SELECT 1 FROM assistants WHERE slug = $1', [input.slug]);
      if (rowCount) throw new ConflictError(`An assistant with slug "${input.slug}" already exists.`);
      await this.create(principal, { ...input, collectionIds: await collectionIdsOf(client, input.collections) }, client);
    });
  }

  /** Changes the given fields; `collections`, when given, replaces the assistant's collections. */
  async update(principal: Principal, slug: string, patch: Partial<Omit<AssistantInput, 'slug'>>): Promise<void> {
    requireAdmin(principal, 'change assistants');
    await this.db.transaction(async (client) => {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM assistants WHERE slug = $1 FOR UPDATE', [slug]);
      const id = rows[0]?.id;
      if (!id) throw new NotFoundError(`Assistant "${slug}"`);
      await client.query(
        `UPDATE assistants SET name = COALESCE($2, name), description = COALESCE($3, description), system_prompt = COALESCE($4, system_prompt),
                model = CASE WHEN $5::boolean THEN $6 ELSE model END, temperature = CASE WHEN $7::boolean THEN $8::real ELSE temperature END,
                retrieval = COALESCE($9, retrieval), updated_at = now()
          WHERE id = $1`,
        [
          id,
          patch.name ?? null,
          patch.description ?? null,
          patch.systemPrompt ?? null,
          patch.model !== undefined,
          patch.model ?? null,
          patch.temperature !== undefined,
          patch.temperature ?? null,
          patch.retrieval ?? null,
        ],
      );
      if (patch.collections) {
        const collectionIds = await collectionIdsOf(client, patch.collections);
        await client.query('DELETE FROM assistant_collections WHERE assistant_id = $1', [id]);
        await client.query(`INSERT INTO assistant_collections (assistant_id, collection_id) SELECT $1, unnest($2::uuid[])`, [
          id,
          collectionIds,
        ]);
      }
    });
  }

  async delete(principal: Principal, slug: string): Promise<void> {
    requireAdmin(principal, 'delete assistants');
    const { rowCount } = await this.db.query('DELETE FROM assistants WHERE slug = $1', [slug]);
    if (!rowCount) throw new NotFoundError(`Assistant "${slug}"`);
  }

  async get(principal: Principal, slug: string): Promise<Assistant> {
    const found = (await this.list(principal)).find((assistant) => assistant.slug === slug);
    if (!found) throw new NotFoundError(`Assistant "${slug}"`);
    return found;
  }

  /**
   * Every assistant is listed to every signed-in user; each one only ever answers from the
   * collections the asker may read, so an assistant over private collections is harmless.
   * `collections` lists only the slugs visible to the principal. The system prompt (an admin's
   * instructions, which may say more than the assistant's description) is given only to admins
   * and to those who may edit one of its collections.
   */
  async list(principal: Principal): Promise<Assistant[]> {
    const { rows } = await this.db.query<Assistant>(
      `SELECT a.slug, a.name, a.description, a.model, a.temperature, a.retrieval,
              CASE WHEN EXISTS (SELECT 1 FROM assistant_collections mine WHERE mine.assistant_id = a.id AND mine.collection_id IN (${collectionScopes.editable('$1')}))
                     OR ${collectionScopes.userIsAdmin('$1')}
                   THEN a.system_prompt END AS "systemPrompt",
              a.created_at AS "createdAt", a.updated_at AS "updatedAt",
              COALESCE(array_agg(c.slug ORDER BY c.slug) FILTER (WHERE c.id IN (${collectionScopes.visible('$1')})), '{}') AS collections
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

async function collectionIdsOf(client: Queryable, slugs: string[]): Promise<string[]> {
  const rows = await collectionIdsBySlug(client, slugs);
  const unknown = slugs.filter((slug) => !rows.some((row) => row.slug === slug));
  if (unknown.length) throw new ValidationError(`Unknown collection(s): ${unknown.join(', ')}.`);
  return rows.map((row) => row.id);
}
