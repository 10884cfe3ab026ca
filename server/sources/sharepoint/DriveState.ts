import type { DriveItem } from './graphTypes.ts';

interface KnownItem {
  name: string;
  parentId: string | null;
  folder: boolean;
  cTag: string;
  size: number;
  webUrl?: string;
}

/** What a sync keeps of a drive between delta queries: the deltaLink and every item, so each sync lists the whole drive. */
export interface DriveCursor {
  deltaLink?: string;
  items: Record<string, KnownItem>;
}

/**
 * A drive as its delta queries describe it: items added, changed, moved (a new parent) or
 * deleted are applied in order; a file's path is its folders' names, so a moved folder moves
 * its files. Graph's delta answers leave parentReference.path out, hence the folders are kept.
 */
export class DriveState {
  deltaLink: string | undefined;
  private items: Map<string, KnownItem>;

  constructor(cursor: DriveCursor | undefined) {
    this.deltaLink = cursor?.deltaLink;
    this.items = new Map(Object.entries(cursor?.items ?? {}));
  }

  /** Forgets everything: the next delta walks the drive from the start. */
  restart(): void {
    this.deltaLink = undefined;
    this.items.clear();
  }

  apply(item: DriveItem): void {
    if (item.deleted) {
      this.items.delete(item.id);
      return;
    }
    this.items.set(item.id, {
      name: item.root ? '' : (item.name ?? item.id),
      parentId: item.root ? null : (item.parentReference?.id ?? null),
      folder: Boolean(item.folder || item.root),
      cTag: item.cTag ?? item.eTag ?? '',
      size: item.size ?? 0,
      webUrl: item.webUrl,
    });
  }

  /** The drive's files with their paths; a file whose folder is gone is gone too. */
  *files(): Generator<{ id: string; name: string; path: string; cTag: string; size: number; webUrl?: string }> {
    for (const [id, item] of this.items) {
      if (item.folder) continue;
      const path = this.pathOf(id);
      if (path !== undefined) yield { id, name: item.name, path, cTag: item.cTag, size: item.size, webUrl: item.webUrl };
    }
  }

  cursor(): DriveCursor {
    return { deltaLink: this.deltaLink, items: Object.fromEntries(this.items) };
  }

  private pathOf(id: string): string | undefined {
    const names: string[] = [];
    for (let current = this.items.get(id), hops = 0; current; hops++) {
      if (current.parentId === null) return names.reverse().join('/');
      if (hops > 100) return undefined;
      names.push(current.name);
      current = this.items.get(current.parentId);
    }
    return undefined;
  }
}
