export const dynamic = "force-dynamic";

/** Uptime check for the panel itself; no auth, no remote calls. */
export function GET() {
  return Response.json({ status: "ok" });
}
