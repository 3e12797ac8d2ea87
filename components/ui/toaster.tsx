"use client";

import { Toaster as SonnerToaster } from "sonner";
import { useResolvedTheme } from "./use-theme";

/** App-wide toasts; follows the class-based theme rather than the OS so it matches the page. */
export function Toaster() {
  const theme = useResolvedTheme();
  return <SonnerToaster richColors closeButton position="bottom-right" theme={theme} />;
}
