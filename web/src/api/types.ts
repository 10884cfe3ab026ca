// Response shapes, shared with the server as type-only imports (erased at build).
export type { Citation } from '../../../server/answering/AssistantAnswerer.ts';
export type { Assistant } from '../../../server/assistants/AssistantService.ts';
export type { CollectionListing } from '../../../server/collections/CollectionService.ts';
export type { Conversation, StoredMessage } from '../../../server/conversations/ConversationService.ts';
export type { DocumentListing } from '../../../server/corpus/documentRepository.ts';
export type { SourceView, SourcePassage } from '../../../server/documents/SourceService.ts';
export type { IngestionJobView } from '../../../server/corpus/ingestionJobs.ts';
export type { SlackChannelBinding } from '../../../server/slack/SlackChannelBindings.ts';
export type { AuditEventRow } from '../../../server/audit/AuditLog.ts';
export type { UsageReport } from '../../../server/usage/UsageService.ts';
export type { ApiKeyListing } from '../../../server/users/ApiKeyService.ts';
export type { Group } from '../../../server/users/GroupService.ts';
export type { SessionUser, UserListing } from '../../../server/users/UserService.ts';
export type { SignInMethods } from '../../../server/http/routes/auth.ts';
export type { ServerFacts } from '../../../server/http/routes/me.ts';
export type { CollectionsAnswer } from '../../../server/http/routes/collections.ts';
export type { UploadOutcome as UploadAnswer } from '../../../server/documents/DocumentService.ts';
export type { FinishedTurn } from '../../../server/conversations/runChatTurn.ts';
