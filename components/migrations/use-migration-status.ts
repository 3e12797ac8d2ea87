"use client";

import { useEffect, useState } from "react";
import { api, type RouterOutputs } from "@/trpc/react";

export type MigrationStatus = RouterOutputs["migrations"]["status"];

const REFRESH_MS = 10_000;

/**
 * The migration status of a stack against an image's migrations, kept fresh: read at once, every 10 s
 * while the page is visible, and whenever `refreshKey` changes (a migration job ended). It is a tRPC
 * mutation (reading an image's files creates a stopped container on the host), so this hook does the
 * polling a query would do, and keeps the last answer on screen while the next one is read.
 */
export function useMigrationStatus(stack: string, tag: string | undefined, refreshKey: number) {
  const { mutate } = api.migrations.status.useMutation();
  const [data, setData] = useState<MigrationStatus | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let isCurrent = true;
    const read = () =>
      mutate(
        { stack, tag },
        {
          onSuccess: (status) => {
            if (!isCurrent) return;
            setData(status);
            setError(null);
          },
          onError: (err) => {
            if (isCurrent) setError(err.message);
          },
        },
      );
    read();
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") read();
    }, REFRESH_MS);
    return () => {
      isCurrent = false;
      clearInterval(timer);
    };
  }, [mutate, stack, tag, refreshKey]);

  return { data, error };
}
