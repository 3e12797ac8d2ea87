"use client";

import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/trpc/react";

/** Client-side providers: tRPC + react-query. */
export function Providers({ children }: { children: ReactNode }) {
  return <TRPCReactProvider>{children}</TRPCReactProvider>;
}
