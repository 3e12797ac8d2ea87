import { apiRoute } from "@/server/http/api-route";
import { ZId } from "@/server/domain/fields";
import { openJobLogStream, textFormat } from "@/server/services/logs";
import { ZJobLogStreamQuery } from "@/server/services/logs/query";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Streams the job's log as text until the job ends; `?follow=0` returns what is stored now. */
export const GET = apiRoute(
  "VIEWER",
  async ({ req, params }) => {
    const job = ZId.parse(params.id);
    const follow = new URL(req.url).searchParams.get("follow") !== "0";
    const query = ZJobLogStreamQuery.parse({ job, tail: "all", follow: follow ? "1" : "0" });
    const body = await openJobLogStream(query, req.signal, undefined, undefined, textFormat);
    return new Response(body, {
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" },
    });
  },
  { scoped: "own-job" },
);
