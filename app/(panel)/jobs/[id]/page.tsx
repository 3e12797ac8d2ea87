import type { Metadata } from "next";
import { JobView } from "@/components/jobs/job-view";

export const metadata: Metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <JobView jobId={id} asPage />;
}
