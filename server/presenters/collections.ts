import type { Collection, CollectionListing } from '../corpus/collectionRepository.ts';

/** GET /api/collections. */
export interface CollectionsResponse {
  collections: CollectionListingResponse[];
  embeddingModel: string;
  /** The language codes a collection may be set to. */
  languages: string[];
}

export function presentCollection(collection: Collection) {
  return {
    id: collection.id,
    slug: collection.slug,
    name: collection.name,
    description: collection.description,
    embeddingModel: collection.embeddingModel,
    embeddingDimension: collection.embeddingDimension,
    textSearchConfig: collection.textSearchConfig,
    language: collection.language,
    detectedLanguage: collection.detectedLanguage,
  };
}

export function presentCollectionListing(listing: CollectionListing) {
  return {
    ...presentCollection(listing),
    chunkSize: listing.chunkSize,
    chunkOverlap: listing.chunkOverlap,
    editable: listing.editable,
    documents: { ...listing.documents },
    chunks: listing.chunks,
    grants: listing.grants.map(({ group, permission }) => ({ group, permission })),
    reembedding: listing.reembedding && { model: listing.reembedding.model, error: listing.reembedding.error },
  };
}

/** A collection as its creation answers it. */
export type CollectionResponse = ReturnType<typeof presentCollection>;

/** A collection as the lists answer it: with its settings, counts, grants and whether the asker may edit it. */
export type CollectionListingResponse = ReturnType<typeof presentCollectionListing>;
