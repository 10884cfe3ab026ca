import { replaceReaders } from '../corpus/documentReaders.ts';
import type { Database } from '../db/Database.ts';
import type { SourceItem, SourceListing } from './SourceConnector.ts';
import type { RunCounts, RunUpdate, storedItems } from './sourceRepository.ts';

type StoredItems = Awaited<ReturnType<typeof storedItems>>;

/**
 * Sets the readers of stored items from the listing, each document in its own transaction;
 * returns how many documents' readers changed. Items without readers (Git, web) are left alone.
 */
export async function updateReaders(db: Database, items: readonly SourceItem[], stored: StoredItems): Promise<number> {
  let changed = 0;
  for (const item of items) {
    const documentId = stored.get(item.key)?.documentId;
    if (!documentId || item.readers === undefined) continue;
    if (await db.transaction((client) => replaceReaders(client, documentId, item.readers))) changed++;
  }
  return changed;
}

/**
 * A permission-only sync: the readers of every stored item the source still lists are set anew
 * (a permission revoked there stops answers here now); nothing is added, read or deleted, and
 * the cursor stays, so the next content sync finds what it would have.
 */
export async function storeReadersOnly(
  db: Database,
  listing: SourceListing,
  stored: StoredItems,
  report: (update: RunUpdate) => Promise<void>,
): Promise<RunCounts> {
  const failed = listing.failed ?? [];
  await report({ stage: `checking who may read ${listing.items.length} items` });
  const readersChanged = await updateReaders(db, listing.items, stored);
  const counts: RunCounts = { added: 0, changed: 0, deleted: 0, skipped: listing.skipped.length, failed: failed.length, readersChanged };
  await report({
    status: 'succeeded',
    stage: 'done',
    ...counts,
    errors: [...failed, ...listing.skipped, ...(listing.notes ?? [])].slice(0, 200),
  });
  return counts;
}
