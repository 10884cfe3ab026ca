import { ingestionFailures } from '../server/observability/metrics.ts';
import { parseErrorCodes } from './parsing/ParsedDocument.ts';

/** Why a job failed for good: its parser's refusal, its stored file gone, an embedder that no longer fits, or attempts used up. */
export const jobFailureCodes = [...parseErrorCodes, 'file_missing', 'embedding_model_mismatch', 'ingestion_failed'] as const;
export type JobFailureCode = (typeof jobFailureCodes)[number];

/** Why an upload refused a file at once, before any job: its size, or what sniffing its bytes found. */
export const intakeRefusalCodes = ['file_too_large', 'unsupported_type', 'binary_as_text', 'empty_document', 'corrupt_file'] as const;
export type IntakeRefusalCode = (typeof intakeRefusalCodes)[number];

/** Gives every known failure its series from the start, so rate() and alerts see its first one. */
export function registerIngestionFailureSeries(): void {
  for (const code of intakeRefusalCodes) ingestionFailures.inc({ code, stage: 'intake' }, 0);
  for (const code of jobFailureCodes) ingestionFailures.inc({ code, stage: 'job' }, 0);
}
