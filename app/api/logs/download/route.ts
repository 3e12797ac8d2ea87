import { apiRoute } from "@/server/http/api-route";
import { openContainerLogDownload, searchParamsToObject, ZLogDownloadQuery } from "@/server/services/logs";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The raw log of a container for a time range, as a streamed (optionally gzipped) attachment. Viewers
 * download the stack's service containers only (the logs service decides, 403 otherwise).
 */
export const GET = apiRoute("VIEWER", async ({ req, actor }) => {
  const query = ZLogDownloadQuery.parse(searchParamsToObject(new URL(req.url).searchParams));
  const body = await openContainerLogDownload(query, { viewer: actor, signal: req.signal });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const name = `${query.container}-${stamp}.log${query.gzip ? ".gz" : ""}`;
  return new Response(body, {
    headers: {
      "Content-Type": query.gzip ? "application/gzip" : "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Accel-Buffering": "no",
    },
  });
});
