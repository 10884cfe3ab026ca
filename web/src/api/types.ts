// The API's response shapes, as server/presenters/ builds them (type-only imports, erased at build).
// The web app imports nothing else of the server: dependency-cruiser's `web-sees-only-presenters` keeps it so.
export type { ApiKeyResponse as ApiKeyListing } from '../../../server/presenters/apiKeys.ts';
export type { AssistantResponse as Assistant } from '../../../server/presenters/assistants.ts';
export type { AuditEventResponse as AuditEventRow } from '../../../server/presenters/auditEvents.ts';
export type { FinishedTurnResponse as FinishedTurn } from '../../../server/presenters/chatEvents.ts';
export type { CitationResponse as Citation } from '../../../server/presenters/citations.ts';
export type {
  CollectionListingResponse as CollectionListing,
  CollectionsResponse as CollectionsAnswer,
} from '../../../server/presenters/collections.ts';
export type { ConversationResponse as Conversation, MessageResponse as StoredMessage } from '../../../server/presenters/conversations.ts';
export type { DocumentResponse as DocumentListing, UploadResponse as UploadAnswer } from '../../../server/presenters/documents.ts';
export type { GroupResponse as Group } from '../../../server/presenters/groups.ts';
export type { IngestionJobResponse as IngestionJobView } from '../../../server/presenters/ingestionJobs.ts';
export type {
  ComponentStatusResponse as ComponentStatus,
  PublicReadinessResponse,
  ReadinessResponse as Readiness,
} from '../../../server/presenters/readiness.ts';
export type {
  AuthorizationRequestResponse as AuthorizationRequest,
  McpSignInResponse as McpSignIn,
} from '../../../server/presenters/mcpSignIns.ts';
export type { ServerFacts, SessionUser, SignInMethods } from '../../../server/presenters/session.ts';
export type { SlackChannelBindingResponse as SlackChannelBinding } from '../../../server/presenters/slackBindings.ts';
export type { SourcePassageResponse as SourcePassage, SourceViewResponse as SourceView } from '../../../server/presenters/sources.ts';
export type { UsageResponse as UsageReport } from '../../../server/presenters/usage.ts';
export type { UserListingResponse as UserListing } from '../../../server/presenters/users.ts';
export type {
  SourceRunResponse as SourceRun,
  SyncedSourceDetailResponse as SyncedSourceDetail,
  SyncedSourceResponse as SyncedSource,
} from '../../../server/presenters/syncedSources.ts';
