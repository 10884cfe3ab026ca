import type { Assistant } from '../assistants/AssistantService.ts';

export function presentAssistant(assistant: Assistant) {
  return {
    slug: assistant.slug,
    name: assistant.name,
    description: assistant.description,
    systemPrompt: assistant.systemPrompt,
    collections: [...assistant.collections],
    model: assistant.model,
    temperature: assistant.temperature,
    retrieval: { ...assistant.retrieval },
    createdAt: assistant.createdAt,
    updatedAt: assistant.updatedAt,
  };
}

/** An assistant as GET /api/assistants and /api/assistants/:slug answer it. */
export type AssistantResponse = ReturnType<typeof presentAssistant>;
