import { useEffect, useState } from 'react';
import type { SourceRun } from '../api/types.ts';
import { getSocket, request } from '../realtime/socket.ts';

/** Live runs of the sources of some collections, from their socket.io rooms, keyed by source id. */
export function useSourceProgress(collections: string[], onFinished: () => void): Record<string, SourceRun> {
  const [runs, setRuns] = useState<Record<string, SourceRun>>({});
  const key = [...new Set(collections)].sort().join(',');
  useEffect(() => {
    if (!key) return;
    const watched = key.split(',');
    const socket = getSocket();
    const onProgress = (run: SourceRun) => {
      setRuns((current) => ({ ...current, [run.sourceId]: run }));
      if (run.status === 'succeeded' || run.status === 'failed') onFinished();
    };
    socket.on('source:progress', onProgress);
    const watch = () => watched.forEach((collection) => void request('ingestion:watch', { collection }).catch(() => undefined));
    watch();
    socket.on('connect', watch); // rejoin the rooms after a reconnect
    return () => {
      socket.off('source:progress', onProgress);
      socket.off('connect', watch);
      watched.forEach((collection) => void request('ingestion:unwatch', { collection }).catch(() => undefined));
    };
  }, [key, onFinished]);
  return runs;
}
