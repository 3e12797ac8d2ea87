import { apiRoute } from "@/server/http/api-route";
import { listLogPresets } from "@/server/services/logs";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The log viewer's one-click sources: each stack's proxy access log and (deployers) MySQL slow query log. */
export const GET = apiRoute("VIEWER", async ({ actor }) => Response.json({ presets: await listLogPresets(actor.role) }));
