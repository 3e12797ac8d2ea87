import { apiRoute } from "@/server/http/api-route";
import {
  openContainerLogStream,
  openJobLogStream,
  openSlowLogStream,
  searchParamsToObject,
  ZJobLogStreamQuery,
  ZLogSourceName,
  ZLogStreamQuery,
  ZSlowLogStreamQuery,
} from "@/server/services/logs";
import { z } from "zod";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const ZSource = z.object({ source: ZLogSourceName.optional() });

/**
 * A log as NDJSON lines `{ seq, stream, ts?, text }`, ending with `{ event: "end" | "error" }`:
 * a container's (source=container, the default; source=proxy formats Caddy's access log), a job's
 * (source=job or just job=<id>) or MySQL's slow query log (source=mysql-slow). Which containers a role may
 * read, and that the slow log needs DEPLOYER, is decided by the logs service (403 naming the container).
 */
export const GET = apiRoute("VIEWER", async ({ req, actor }) => {
  const params = searchParamsToObject(new URL(req.url).searchParams);
  const source = ZSource.parse(params).source ?? (params.job ? "job" : "container");
  const body =
    source === "job"
      ? await openJobLogStream(ZJobLogStreamQuery.parse(params), req.signal)
      : source === "mysql-slow"
        ? await openSlowLogStream(ZSlowLogStreamQuery.parse(params), { viewer: actor, signal: req.signal })
        : await openContainerLogStream(ZLogStreamQuery.parse({ ...params, source }), { viewer: actor, signal: req.signal });
  return new Response(body, {
    headers: { "Content-Type": "application/x-ndjson; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
  });
});
