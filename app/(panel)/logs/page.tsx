import type { Metadata } from "next";
import { Suspense } from "react";
import { LogViewer } from "@/components/logs/log-viewer";

export const metadata: Metadata = { title: "Logs" };

export default function LogsPage() {
  return (
    <Suspense>
      <LogViewer />
    </Suspense>
  );
}
