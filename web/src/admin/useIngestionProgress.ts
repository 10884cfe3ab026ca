import { useEffect, useState } from 'react';
import type { IngestionJobView } from '../api/types.ts';
import { getSocket, request } from '../realtime/socket.ts';

/** Live ingestion jobs of a collection, from its socket.io room, keyed by job id. */
export function useIngestionProgress(collection: string | undefined, onFinished: () => void): Record<string, IngestionJobView> {
  const [jobs, setJobs] = useState<Record<string, IngestionJobView>>({});
  useEffect(() => {
    if (!collection) return;
    const socket = getSocket();
    const onProgress = (job: IngestionJobView) => {
      setJobs((current) => ({ ...current, [job.id]: job }));
      if (job.state === 'completed' || job.state === 'failed') onFinished();
    };
    socket.on('ingestion:progress', onProgress);
    const watch = () => void request('ingestion:watch', { collection }).catch(() => undefined);
    watch();
    socket.on('connect', watch); // rejoin the room after a reconnect
    return () => {
      socket.off('ingestion:progress', onProgress);
      socket.off('connect', watch);
      void request('ingestion:unwatch', { collection }).catch(() => undefined);
    };
  }, [collection, onFinished]);
  return jobs;
}
