import type { z } from 'zod';
import { ValidationError } from '../errors.ts';
import type { DocumentOrigin } from '../corpus/documentOrigin.ts';
import type { DocumentReader } from '../corpus/documentReaders.ts';
import type { SourceLimits } from '../config/index.ts';
import type { SourceCredentials } from './credentialCipher.ts';
import type { ItemError, SourceKind, SourceSettings } from './sourceRepository.ts';

/** A source as its connector sees it during a sync. */
export interface SourceToSync {
  id: string;
  name: string;
  url: string;
  settings: SourceSettings;
  credentials: SourceCredentials | undefined;
  /** Where the last complete sync left it (the connector's own shape). */
  cursor: unknown;
}

/** One thing in a source that becomes one document. */
export interface SourceItem {
  /** Stable within the source: a file's path, a page's URL. */
  key: string;
  /** Changes whenever the content does: a blob id, an ETag, a content hash. */
  version: string;
  /** The document's file name; its format is sniffed from the bytes, never taken from it. */
  filename: string;
  origin: Omit<DocumentOrigin, 'sourceId' | 'sourceName' | 'kind'>;
  /** The item's bytes, at most `maxBytes` (read only when its version changed). */
  read(maxBytes: number): Promise<Buffer>;
  /**
   * Who may read it at the source (a page's restrictions, a file's permissions); the document
   * gets them as its own readers. Undefined for kinds without permissions (Git, web): the
   * collection's grants alone decide.
   */
  readers?: readonly DocumentReader[];
}

/** What a source holds now: every item (unchanged ones too, so the rest are known to be gone), and the cursor to keep. */
export interface SourceListing {
  items: SourceItem[];
  /** Items left out (a symlink, a submodule, a file over the size limit), with why. */
  skipped: ItemError[];
  /** Items that could not be read this time (a page answering 503); counted as failed. */
  failed?: ItemError[];
  /** What the run should tell without counting it (a restricted user left out of a page's readers). */
  notes?: ItemError[];
  cursor: unknown;
  /** Drops what the listing kept for reading its items (fetched pages); called when the sync ends. */
  dispose?: () => Promise<void>;
}

export interface ListContext {
  /** 'permissions': only each item's key, version and readers are wanted (a permission-only sync); nothing is read. */
  mode: 'content' | 'permissions';
  /** Each stored item's version, for a connector that can ask the source for changes only (ETags). */
  known: ReadonlyMap<string, string>;
  limits: SourceLimits;
  /** Aborted when the run's time limit passes. */
  signal: AbortSignal;
  /** Keeps credentials the connector was given anew (a rotated OAuth refresh token), sealed as the old ones were. */
  saveCredentials(credentials: SourceCredentials): Promise<void>;
}

/**
 * A kind of source. Each sits in a folder of its own under server/sources/ and speaks to its
 * system itself; the sync (SyncSourceTask) compares listings, stores documents and deletes the
 * gone ones the same way for every kind.
 */
export interface SourceConnector {
  readonly kind: SourceKind;
  /** Whether its items carry readers, so permission-only syncs run for its sources (CONNECTOR_PERMISSION_SYNC_MINUTES). */
  readonly syncsPermissions?: boolean;
  /** Checks a source's URL and settings when it is added or changed; returns the settings normalised. Throws ValidationError. */
  validate(url: string, settings: SourceSettings, limits: SourceLimits): Promise<SourceSettings>;
  list(source: SourceToSync, context: ListContext): Promise<SourceListing>;
  /** Drops what the connector keeps for a source between syncs (a mirror) when the source is deleted. */
  forget(sourceId: string): Promise<void>;
}

/** A failure of the whole sync that retrying will not fix (a limit reached, a refused address, bad credentials). */
export class SourceSyncError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SourceSyncError';
  }
}

/** A kind's settings checked against its schema, or a ValidationError naming each field that is wrong. */
export function parseSettings<Schema extends z.ZodType>(schema: Schema, settings: SourceSettings, kindName: string): z.infer<Schema> {
  const parsed = schema.safeParse(settings);
  if (!parsed.success) {
    throw new ValidationError(`${kindName} settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
