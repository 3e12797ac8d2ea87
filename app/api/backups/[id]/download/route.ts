import { apiRoute } from "@/server/http/api-route";
import { createBackupDownload } from "@/server/services/backups/download";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * Streams a good backup file, with Range support. Security: ADMIN only — a dump carries every user's
 * data and password hashes; the id is validated as an id (never a path) and each download is audited.
 */
export const GET = apiRoute("ADMIN", ({ req, actor, params }) => createBackupDownload(params.id ?? "", req.headers.get("range"), actor));
