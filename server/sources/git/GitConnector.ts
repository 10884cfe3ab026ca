import { existsSync } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { z } from 'zod';
import type { SourceLimits } from '../../config/index.ts';
import { ValidationError } from '../../errors.ts';
import { BlockedAddressError, resolvePublicAddress } from '../publicAddress.ts';
import {
  parseSettings,
  SourceSyncError,
  type ListContext,
  type SourceConnector,
  type SourceItem,
  type SourceListing,
  type SourceToSync,
} from '../SourceConnector.ts';
import type { ItemError, SourceSettings } from '../sourceRepository.ts';
import { git, GitCommandError } from './gitCommand.ts';
import { linkTemplateFor } from './linkTemplate.ts';

const refName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]+$/, 'a branch name: letters, digits, and . _ / - (not starting with -)');
const glob = z.string().min(1).max(500);

export const gitSettingsSchema = z
  .object({
    branch: refName.optional(),
    include: z.array(glob).max(100).optional(),
    exclude: z.array(glob).max(100).optional(),
    /** A link to an item, with {commit}, {branch}, {path}, {startLine} and {endLine}. */
    linkTemplate: z
      .url({ protocol: /^https?$/ })
      .max(1000)
      .optional(),
  })
  .strict();
export type GitSettings = z.infer<typeof gitSettingsSchema>;

export interface GitCursor {
  commit: string;
  branch: string;
}

/** One entry of `git ls-tree -r -l -z`. */
interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  size: number | null;
  path: string;
}

/**
 * Git repositories, through the git binary (why not isomorphic-git: docs/sources.md). Each sync
 * fetches the branch's newest commit into a bare mirror under DATA_DIR (shallow: history is not
 * needed) and lists its tree; a file whose blob id changed since the last sync is read from the
 * object store, never from a checkout, so a hostile repository's symlinks point nowhere and its
 * hooks never run.
 */
export class GitConnector implements SourceConnector {
  readonly kind = 'git' as const;

  constructor(private readonly mirrorsDir: string) {}

  async validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings> {
    const parsed = parseSettings(gitSettingsSchema, settings, 'Git');
    await this.remote(url, limits).catch((error: unknown) => {
      if (error instanceof SourceSyncError) throw new ValidationError(error.message);
      throw error;
    });
    return parsed;
  }

  async list(source: SourceToSync, { limits, signal }: ListContext): Promise<SourceListing> {
    const settings = gitSettingsSchema.parse(source.settings);
    const remote = await this.remote(source.url, limits);
    const mirror = await this.mirror(source.id, limits);
    const branch = settings.branch ?? 'HEAD';
    const config = { ...remote.config, ...authorization(source) };
    try {
      await git(['fetch', '--depth=1', '--no-tags', '--no-write-fetch-head', remote.url, `+${refOf(branch)}:refs/tapeout/synced`], {
        ...mirror,
        config,
        signal,
      });
    } catch (error) {
      throw describeFetchFailure(error, source.url, branch);
    }
    const commit = (await git(['rev-parse', 'refs/tapeout/synced^{commit}'], { ...mirror, signal })).toString('utf8').trim();
    await assertPackWithin(mirror, limits, signal);
    const entries = parseTree(await git(['ls-tree', '-r', '-l', '-z', commit], { ...mirror, signal, maxBytes: 512 * 1024 * 1024 }));
    const template = settings.linkTemplate ?? linkTemplateFor(source.url);
    const skipped: ItemError[] = [];
    const items: SourceItem[] = [];
    for (const entry of entries) {
      if (!selected(entry.path, settings)) continue;
      const refusal = refusalOf(entry, limits.maxFileBytes);
      if (refusal) {
        skipped.push({ item: entry.path, ...refusal });
        continue;
      }
      if (items.length >= limits.maxItems) {
        throw new SourceSyncError(
          'too_many_items',
          `The repository has more than ${limits.maxItems} files to index (CONNECTOR_MAX_ITEMS); narrow it with include or exclude globs.`,
        );
      }
      items.push({
        key: entry.path,
        version: entry.object,
        filename: entry.path,
        origin: {
          location: remote.display,
          path: entry.path,
          commit,
          ...(template ? { link: fillTemplate(template, { commit, branch: settings.branch ?? '', path: entry.path }) } : {}),
        },
        read: (maxBytes) => git(['cat-file', 'blob', entry.object], { ...mirror, signal, maxBytes: maxBytes + 1 }),
      });
    }
    return { items, skipped, cursor: { commit, branch } satisfies GitCursor };
  }

  async forget(sourceId: string): Promise<void> {
    await rm(path.join(this.mirrorsDir, `${sourceId}.git`), { recursive: true, force: true });
  }

  /** The URL git is given, and what makes it reach only what was checked. */
  private async remote(url: string, limits: SourceLimits): Promise<{ url: string; display: string; config: Record<string, string> }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SourceSyncError('invalid_url', `${url} is not a URL: use https://host/group/repo.git or file:///path/to/repo.`);
    }
    if (parsed.username || parsed.password) {
      throw new SourceSyncError('invalid_url', 'Put the token in credentials, not in the URL (a URL is shown and logged).');
    }
    if (parsed.protocol === 'file:') return this.localRemote(parsed, limits);
    const host = parsed.hostname.toLowerCase();
    const allowedHost = limits.allowedHosts.includes(host) || limits.allowedHosts.includes(`${host}:${parsed.port}`);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowedHost)) {
      throw new SourceSyncError(
        'invalid_url',
        `A Git source is reached over https:// (plain http:// only for a host in CONNECTOR_ALLOWED_HOSTS), not ${parsed.protocol}`,
      );
    }
    let pinned;
    try {
      pinned = await resolvePublicAddress(parsed, limits.allowedHosts);
    } catch (error) {
      if (error instanceof BlockedAddressError) throw new SourceSyncError(error.code, error.message);
      throw new SourceSyncError('host_unreachable', `${host} cannot be resolved: ${(error as Error).message}`);
    }
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    const address = pinned.family === 6 ? `[${pinned.address}]` : pinned.address;
    return {
      url: parsed.href,
      display: parsed.href,
      config: {
        [`protocol.${parsed.protocol.slice(0, -1)}.allow`]: 'always',
        // git connects to the address checked above, whatever the name resolves to by then.
        'http.curloptResolve': `${host}:${port}:${address}`,
      },
    };
  }

  private async localRemote(parsed: URL, limits: SourceLimits) {
    const wanted = decodeURIComponent(parsed.pathname);
    const real = await realpath(wanted).catch(() => {
      throw new SourceSyncError('invalid_url', `${wanted} does not exist on this server.`);
    });
    const roots = await Promise.all(limits.localRoots.map((root) => realpath(root).catch(() => undefined)));
    const under = roots.some((root) => root && (real === root || !path.relative(root, real).startsWith('..')));
    if (!under) {
      throw new SourceSyncError(
        'path_not_allowed',
        `${wanted} is not under a directory listed in CONNECTOR_LOCAL_ROOTS${limits.localRoots.length ? ` (${limits.localRoots.join(', ')})` : ', which is empty'}.`,
      );
    }
    // The repository may belong to another user of this machine; git refuses those by default.
    return { url: `file://${real}`, display: `file://${wanted}`, config: { 'protocol.file.allow': 'always', 'safe.directory': '*' } };
  }

  private async mirror(sourceId: string, limits: SourceLimits) {
    const dir = path.join(this.mirrorsDir, `${sourceId}.git`);
    if (!existsSync(path.join(dir, 'HEAD'))) {
      await mkdir(dir, { recursive: true });
      await git(['init', '--bare', '--quiet'], { cwd: dir, searchPath: limits.searchPath });
    }
    return { cwd: dir, searchPath: limits.searchPath };
  }
}

function refOf(branch: string): string {
  return branch === 'HEAD' ? 'HEAD' : `refs/heads/${branch}`;
}

/** The token as an HTTP header for this command only: never in a URL, an argument or a file. */
function authorization(source: SourceToSync): Record<string, string> {
  if (!source.credentials) return {};
  const basic = Buffer.from(`${source.credentials.username ?? 'x-access-token'}:${source.credentials.token}`).toString('base64');
  return { 'http.extraHeader': `Authorization: Basic ${basic}` };
}

function describeFetchFailure(error: unknown, url: string, branch: string): Error {
  if (!(error instanceof GitCommandError)) return error as Error;
  const said = error.stderr;
  if (/couldn't find remote ref|not our ref|invalid refspec/i.test(said)) {
    return new SourceSyncError('branch_not_found', `The repository ${url} has no branch ${branch}.`);
  }
  // The status is matched as git words it: a URL's port (127.0.0.1:34401) must not read as a 401.
  if (/redirect|returned error: 30\d\b/i.test(said))
    return new SourceSyncError(
      'redirect_refused',
      `The repository ${url} redirected elsewhere, which Tapeout does not follow: use the final URL.`,
    );
  if (/authentication|returned error: 40[13]\b|could not read Username/i.test(said)) {
    return new SourceSyncError('authentication_failed', `The repository ${url} refused the credentials (or needs some): ${said}`);
  }
  return new Error(`Fetching ${url} failed: ${said}`);
}

async function assertPackWithin(mirror: { cwd: string; searchPath: string }, limits: SourceLimits, signal: AbortSignal) {
  const counted = (await git(['count-objects', '-v'], { ...mirror, signal })).toString('utf8');
  const kib = Number(/size-pack: (\d+)/.exec(counted)?.[1] ?? 0) + Number(/^size: (\d+)/m.exec(counted)?.[1] ?? 0);
  if (kib * 1024 > limits.maxSyncBytes) {
    throw new SourceSyncError(
      'sync_too_large',
      `The repository's newest commit takes ${Math.round(kib / 1024)} MiB, over CONNECTOR_MAX_SYNC_BYTES.`,
    );
  }
}

function parseTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, object, size] = record.slice(0, tab).split(/\s+/);
    entries.push({ mode: mode!, type: type!, object: object!, size: size === '-' ? null : Number(size), path: record.slice(tab + 1) });
  }
  return entries;
}

function selected(file: string, settings: GitSettings): boolean {
  const matches = (pattern: string) => minimatch(file, pattern, { dot: true, matchBase: !pattern.includes('/') });
  if (settings.include?.length && !settings.include.some(matches)) return false;
  return !settings.exclude?.some(matches);
}

/** Why an entry is not indexed, or undefined when it is. */
function refusalOf(entry: TreeEntry, maxFileBytes: number): { code: string; message: string } | undefined {
  if (entry.mode === '120000') return { code: 'symlink', message: 'A symbolic link: not followed.' };
  if (entry.type === 'commit') return { code: 'submodule', message: 'A submodule: another repository, not fetched.' };
  if (entry.type !== 'blob') return { code: 'not_a_file', message: `A ${entry.type}, not a file.` };
  if ((entry.size ?? 0) > maxFileBytes) {
    return { code: 'file_too_large', message: `${entry.size} bytes, over CONNECTOR_MAX_FILE_BYTES (${maxFileBytes}).` };
  }
  if (entry.size === 0) return { code: 'empty_document', message: 'An empty file.' };
  return undefined;
}

function fillTemplate(template: string, values: { commit: string; branch: string; path: string }): string {
  return template
    .replaceAll('{commit}', values.commit)
    .replaceAll('{branch}', encodeURIComponent(values.branch))
    .replaceAll('{path}', values.path.split('/').map(encodeURIComponent).join('/'));
}
