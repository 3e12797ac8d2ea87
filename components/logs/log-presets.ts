"use client";

import { useQuery } from "@tanstack/react-query";
import type { LogPreset } from "@/server/services/logs/presets";

/** The stacks' proxy access logs and MySQL slow logs, for the source picker's one-click choices. */
export function useLogPresets() {
  return useQuery({
    queryKey: ["log-presets"],
    queryFn: async (): Promise<LogPreset[]> => {
      const res = await fetch("/api/logs/presets", { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`The panel answered HTTP ${res.status}`);
      return ((await res.json()) as { presets: LogPreset[] }).presets;
    },
    staleTime: 60_000,
  });
}
