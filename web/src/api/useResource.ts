import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from './client.ts';

/** GETs a resource, with its error in words and a reload for after changes. */
export function useResource<T>(path: string | undefined) {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<string>();
  const reload = useCallback(async () => {
    if (!path) return;
    try {
      setData(await api<T>(path));
      setProblem(undefined);
    } catch (error) {
      setProblem(errorText(error));
    }
  }, [path]);
  useEffect(() => {
    setData(undefined);
    void reload();
  }, [reload]);
  return { data, problem, reload };
}

/** Runs a change, reporting its error in words; returns whether it worked. */
export function useAction() {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      return true;
    } catch (error) {
      setProblem(errorText(error));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, problem, busy, setProblem };
}
