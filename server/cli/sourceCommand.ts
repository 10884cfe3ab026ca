import { text } from 'node:stream/consumers';
import type { Config } from '../config/index.ts';
import type { SourceRunResponse, SyncedSourceDetailResponse, SyncedSourceResponse } from '../presenters/syncedSources.ts';
import { CliError } from './CliError.ts';

export interface SourceTarget {
  server?: string;
  apiKey?: string;
}

export interface SourceAddOptions extends SourceTarget {
  collection: string;
  kind: string;
  name: string;
  url: string;
  branch?: string;
  include?: string[];
  exclude?: string[];
  /** Web sites: other hosts of the site, links followed, pages fetched at most. */
  host?: string[];
  maxDepth?: string;
  maxPages?: string;
  /** A cron expression, or "manual" for none. */
  schedule?: string;
  /** The kind's settings as JSON (Confluence's spaces, Jira's projects, …), merged with the options above. */
  settings?: string;
  /** Read the token from standard input (never from an argument, which the process list shows). */
  tokenStdin?: boolean;
  /** Atlassian Cloud: the account email the token belongs to. */
  username?: string;
  /** SharePoint: the app whose client secret is the token. */
  tenantId?: string;
  clientId?: string;
}

/**
 * `tapeout source add|sync|list`: the sources of a running server, through its REST API (the
 * server's worker does the syncing, so the CLI never opens the database itself).
 */
export class SourceCommands {
  private readonly baseUrl: string;
  private readonly apiKey: string;

  constructor(target: SourceTarget, config: Config) {
    this.baseUrl = (target.server ?? `http://localhost:${config.port}`).replace(/\/+$/, '');
    const apiKey = target.apiKey ?? config.admin.apiKey;
    if (!apiKey) throw new CliError('Pass --api-key or set ADMIN_API_KEY: the sources are managed through the running server.');
    this.apiKey = apiKey;
  }

  async list(): Promise<number> {
    const { sources } = await this.call<{ sources: SyncedSourceResponse[] }>('GET', '/api/sources');
    if (sources.length === 0) console.log('No sources.');
    for (const source of sources) {
      const run = source.lastRun
        ? `${source.lastRun.status}${source.lastRun.finishedAt ? ` at ${source.lastRun.finishedAt}` : ''}`
        : 'never synced';
      console.log(
        `${source.id}  ${source.collection}/${source.name}  ${source.kind} ${source.url}  ${source.items} items  ${source.paused ? 'paused' : (source.schedule ?? 'manual')}  last run: ${run}`,
      );
    }
    return 0;
  }

  async add(options: SourceAddOptions, stdin: NodeJS.ReadableStream = process.stdin): Promise<number> {
    const token = options.tokenStdin ? (await text(stdin)).trim() : undefined;
    if (options.tokenStdin && !token) throw new CliError('--token-stdin was given but standard input held no token.');
    const { source, run } = await this.call<{ source: SyncedSourceResponse; run: SourceRunResponse }>('POST', '/api/sources', {
      kind: options.kind,
      collection: options.collection,
      name: options.name,
      url: options.url,
      ...(options.branch ? { branch: options.branch } : {}),
      ...(options.include?.length ? { include: options.include } : {}),
      ...(options.exclude?.length ? { exclude: options.exclude } : {}),
      ...(settingsOf(options) ? { settings: settingsOf(options) } : {}),
      ...(options.schedule ? { schedule: options.schedule === 'manual' ? null : options.schedule } : {}),
      ...(token ? { credentials: credentialsOf(options, token) } : {}),
    });
    console.log(`Added source ${source.id} (${source.collection}/${source.name}); its first sync is ${run.status}.`);
    return 0;
  }

  /** Queues a sync of the source (by id or name); with `wait`, prints how it ended. */
  async sync(which: string, wait: boolean, mode: 'content' | 'permissions' = 'content'): Promise<number> {
    const source = await this.find(which);
    const { run } = await this.call<{ run: SourceRunResponse }>('POST', `/api/sources/${source.id}/sync`, { mode });
    console.log(`Sync ${run.id} of ${source.collection}/${source.name} is ${run.status}.`);
    if (!wait) return 0;
    for (;;) {
      const detail = await this.call<SyncedSourceDetailResponse>('GET', `/api/sources/${source.id}`);
      const current = detail.runs.find((candidate) => candidate.id === run.id);
      if (current && (current.status === 'succeeded' || current.status === 'failed')) {
        const { added, changed, deleted, skipped, failed, readersChanged } = current.counts;
        console.log(
          `${current.status}: added ${added}, changed ${changed}, deleted ${deleted}, skipped ${skipped}, failed ${failed}, readers changed ${readersChanged}.`,
        );
        if (current.error) console.log(`  ${current.error.code}: ${current.error.message}`);
        for (const error of current.errors.slice(0, 20)) console.log(`  ${error.item}: ${error.code}: ${error.message}`);
        return current.status === 'succeeded' ? 0 : 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  private async find(which: string): Promise<SyncedSourceResponse> {
    const { sources } = await this.call<{ sources: SyncedSourceResponse[] }>('GET', '/api/sources');
    const matches = sources.filter(
      (source) => source.id === which || source.name === which || `${source.collection}/${source.name}` === which,
    );
    if (matches.length === 1) return matches[0]!;
    throw new CliError(
      matches.length
        ? `Several sources are named "${which}": use collection/name or the id.`
        : `No source "${which}" (see tapeout source list).`,
    );
  }

  private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${route}`, {
        method,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new CliError(`No Tapeout server answers at ${this.baseUrl}: start it (npm start) or pass --server.`);
    }
    const answer = (await response.json().catch(() => ({}))) as T & { error?: { code: string; message: string } };
    if (!response.ok)
      throw new CliError(`${answer.error?.message ?? `HTTP ${response.status}`} (${answer.error?.code ?? response.status})`);
    return answer;
  }
}

/** The token as the kind wants it: with the Atlassian account's email, or as a SharePoint app's client secret. */
function credentialsOf(options: SourceAddOptions, token: string) {
  if (options.kind === 'sharepoint') {
    if (!options.tenantId || !options.clientId)
      throw new CliError('A SharePoint source needs --tenant-id and --client-id, and the client secret on standard input.');
    return { token: '', oauth: { tenantId: options.tenantId, clientId: options.clientId, clientSecret: token } };
  }
  return { token, ...(options.username ? { username: options.username } : {}) };
}

/** The kind's settings from --settings and the options given (the server checks them, and refuses what the kind does not take). */
function settingsOf(options: SourceAddOptions): Record<string, unknown> | undefined {
  let given: Record<string, unknown> = {};
  if (options.settings !== undefined) {
    try {
      given = JSON.parse(options.settings) as Record<string, unknown>;
    } catch {
      throw new CliError(`--settings takes a JSON object, such as '{"spaces":["HW"]}'.`);
    }
    if (typeof given !== 'object' || given === null || Array.isArray(given)) throw new CliError('--settings takes a JSON object.');
  }
  const settings = {
    ...given,
    ...(options.host?.length ? { hosts: options.host } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: whole(options.maxDepth, '--max-depth') } : {}),
    ...(options.maxPages !== undefined ? { maxPages: whole(options.maxPages, '--max-pages') } : {}),
  };
  return Object.keys(settings).length ? settings : undefined;
}

function whole(value: string, option: string): number {
  if (!/^\d+$/.test(value)) throw new CliError(`${option} takes a whole number, not ${value}.`);
  return Number(value);
}
