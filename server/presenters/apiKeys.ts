import type { ApiKeyListing } from '../users/apiKeyRepository.ts';

export function presentApiKey(key: ApiKeyListing) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    owner: key.owner,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
  };
}

export function presentCreatedApiKey(created: { key: string; apiKey: ApiKeyListing }) {
  return { key: created.key, apiKey: presentApiKey(created.apiKey) };
}

/** An API key as its owner and admins see it; the key itself never, except once at creation. */
export type ApiKeyResponse = ReturnType<typeof presentApiKey>;

/** POST /api/api-keys: the new key, shown this once. */
export type CreatedApiKeyResponse = ReturnType<typeof presentCreatedApiKey>;
