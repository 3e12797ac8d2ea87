import { apiRoute } from "@/server/http/api-route";
import { openContainerLogStream, searchParamsToObject, ZLogStreamQuery } from "@/server/services/logs";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** A container's log as NDJSON lines `{ seq, stream, ts?, text }`, ending with `{ event: "end" | "error" }`. */
export const GET = apiRoute("VIEWER", async ({ req }) => {
  const query = ZLogStreamQuery.parse(searchParamsToObject(new URL(req.url).searchParams));
  const body = await openContainerLogStream(query, req.signal);
  return new Response(body, {
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
});
