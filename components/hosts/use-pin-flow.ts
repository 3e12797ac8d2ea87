"use client";

import { toast } from "sonner";
import { messageOf } from "@/trpc/errors";
import { api } from "@/trpc/react";
import type { HostView } from "./host-status";

/** Hook shared by the unpinned and changed flows: fetch what the host presents, then pin it. */
export function usePinFlow(host: HostView) {
  const utils = api.useUtils();
  const fetchFingerprint = api.host.fetchFingerprint.useMutation({ onError: (err) => toast.error(messageOf(err)) });
  const pin = api.host.pinFingerprint.useMutation({
    onSuccess: () => {
      toast.success(`Host key of ${host.name} pinned`);
      void utils.host.get.invalidate({ id: host.id });
      void utils.host.list.invalidate();
      void utils.host.containers.invalidate({ id: host.id });
    },
    onError: (err) => toast.error(messageOf(err)),
  });
  return { fetchFingerprint, pin };
}
