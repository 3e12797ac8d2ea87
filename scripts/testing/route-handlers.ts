import fs from "node:fs";
import path from "node:path";

// The route handlers of the App Router, from the file tree: what the role matrix calls besides tRPC.

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteHandler {
  /** The URL pattern, e.g. "/api/v1/jobs/[id]" (route groups "(x)" left out). */
  route: string;
  /** The file, relative to the project, e.g. "app/api/v1/jobs/[id]/route.ts". */
  file: string;
  methods: HttpMethod[];
}

const METHOD = HTTP_METHODS.join("|");
const FORMS = [
  // export async function GET(…) / export function POST(…)
  new RegExp(`export\\s+(?:async\\s+)?function\\s+(${METHOD})\\b`, "g"),
  // export const GET = …
  new RegExp(`export\\s+(?:const|let|var)\\s+(${METHOD})\\b`, "g"),
];
// export const { GET, POST } = handlers;   export { handler as GET, POST };   export { GET } from "…";
const LISTS = [/export\s+(?:const|let|var)\s*\{([^}]*)\}\s*=/g, /export\s*\{([^}]*)\}/g];

/**
 * The HTTP methods a route file exports, in every form the tree uses. Throws when the file exports
 * none that this reads: a new way of exporting must be taught here, not silently skipped.
 */
export function exportedMethods(source: string, file = "route file"): HttpMethod[] {
  const found = new Set<HttpMethod>();
  for (const form of FORMS) for (const m of source.matchAll(form)) found.add(m[1] as HttpMethod);
  for (const list of LISTS) {
    for (const m of source.matchAll(list)) {
      for (const item of (m[1] ?? "").split(",")) {
        const name =
          item
            .split(/\s+as\s+/)
            .pop()
            ?.trim() ?? "";
        if ((HTTP_METHODS as readonly string[]).includes(name)) found.add(name as HttpMethod);
      }
    }
  }
  if (found.size === 0)
    throw new Error(`${file}: no exported HTTP method found (export function GET, export const GET, export { … as GET })`);
  return HTTP_METHODS.filter((m) => found.has(m));
}

/** Every `route.ts`/`route.js` under `appDir` ("app"), with the methods it exports, sorted by route. */
export function listRouteHandlers(projectDir: string, appDir = "app"): RouteHandler[] {
  const out: RouteHandler[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(projectDir, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (/^route\.(ts|js|mjs|tsx)$/.test(entry.name)) {
        const segments = rel
          .slice(appDir.length)
          .split("/")
          .filter((s) => s && !/^\(.*\)$/.test(s));
        const source = fs.readFileSync(path.join(projectDir, child), "utf8");
        out.push({ route: `/${segments.join("/")}`, file: child, methods: exportedMethods(source, child) });
      }
    }
  };
  walk(appDir);
  return out.sort((a, b) => a.route.localeCompare(b.route));
}
