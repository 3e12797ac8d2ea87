"use client";

import { api, type RouterOutputs } from "@/trpc/react";

export type ServiceView = RouterOutputs["service"]["list"][number];

/**
 * Services of every stack, one query each: stack.list carries no services, so the list and the
 * dashboard fan out (fine for the handful of stacks a panel has).
 */
export function useStackServices(stackIds: string[]): Map<string, ServiceView[] | undefined> {
  const results = api.useQueries((t) => stackIds.map((stackId) => t.service.list({ stackId })));
  return new Map(stackIds.map((id, index) => [id, results[index]?.data]));
}
