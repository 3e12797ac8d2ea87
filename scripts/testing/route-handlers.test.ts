import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exportedMethods, listRouteHandlers } from "./route-handlers";

describe("route handlers from the file tree", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it("reads every form of export the routes use", () => {
    expect(
      exportedMethods("export const dynamic = 'force-dynamic';\nexport async function GET(req) {}\nexport function POST() {}"),
    ).toEqual(["GET", "POST"]);
    expect(exportedMethods("export const PATCH = apiRoute('ADMIN', h);")).toEqual(["PATCH"]);
    expect(exportedMethods("export const { GET } = handlers;")).toEqual(["GET"]);
    expect(exportedMethods("async function handler() {}\nexport { handler as GET, handler as POST };")).toEqual(["GET", "POST"]);
    expect(exportedMethods('export { DELETE } from "./shared";')).toEqual(["DELETE"]);
  });

  it("refuses a route file whose methods it cannot see", () => {
    expect(() => exportedMethods("export default function handler() {}", "app/api/x/route.ts")).toThrow(
      /app\/api\/x\/route\.ts: no exported HTTP method/,
    );
  });

  it("maps the tree to URL patterns, dynamic segments kept and route groups left out", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "pxf-routes-"));
    dirs.push(root);
    const put = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    put("app/api/v1/jobs/[id]/route.ts", "export const GET = apiRoute('VIEWER', h);");
    put("app/(admin)/export/route.ts", "export async function GET() {}");
    put("app/api/auth/[...nextauth]/route.ts", "export const { GET } = handlers;\nexport async function POST() {}");
    put("app/api/v1/jobs/[id]/page.tsx", "export default function Page() {}");
    expect(listRouteHandlers(root)).toEqual([
      { route: "/api/auth/[...nextauth]", file: "app/api/auth/[...nextauth]/route.ts", methods: ["GET", "POST"] },
      { route: "/api/v1/jobs/[id]", file: "app/api/v1/jobs/[id]/route.ts", methods: ["GET"] },
      { route: "/export", file: "app/(admin)/export/route.ts", methods: ["GET"] },
    ]);
  });

  it("finds this panel's REST routes, the tRPC endpoint and Auth.js among them", () => {
    const routes = listRouteHandlers(process.cwd());
    expect(routes.map((r) => `${r.methods.join(",")} ${r.route}`)).toEqual(
      expect.arrayContaining([
        "GET,POST /api/trpc/[trpc]",
        "GET,POST /api/auth/[...nextauth]",
        "GET,POST /api/v1/stacks/[stack]/deployments",
      ]),
    );
  });
});
