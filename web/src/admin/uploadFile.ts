import { ApiError, csrfHeader } from '../api/client.ts';
import type { UploadAnswer } from '../api/types.ts';

export type { UploadAnswer };

/**
 * One file to a collection, reporting bytes sent. XMLHttpRequest because fetch cannot report
 * upload progress; the answer (or refusal) is the same JSON as for any client.
 */
export function uploadFile(collection: string, file: File, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `/api/collections/${encodeURIComponent(collection)}/documents`);
    for (const [name, value] of Object.entries(csrfHeader())) request.setRequestHeader(name, value);
    request.responseType = 'json';
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onerror = () => reject(new ApiError(0, 'network_error', 'The upload was interrupted; check your connection and retry.'));
    request.onload = () => {
      const body = request.response as
        (UploadAnswer & { error?: { code: string; message: string; details?: { rejected?: UploadAnswer['rejected'] } } }) | null;
      if (request.status === 202) return resolve(body!);
      const rejected = body?.error?.details?.rejected?.[0];
      reject(
        new ApiError(
          request.status,
          rejected?.error.code ?? body?.error?.code ?? 'http_error',
          rejected?.error.message ?? body?.error?.message ?? `The server answered ${request.status}.`,
        ),
      );
    };
    const form = new FormData();
    form.append('files', file, file.name);
    request.send(form);
  });
}
