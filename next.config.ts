import type { NextConfig } from "next";
import { BODY_LIMITS } from "./server/http/body-limits";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./server/http/security-headers";

const nextConfig: NextConfig = {
  // The tests build and serve from a directory of their own (.next-test, see scripts/test.sh), so a
  // panel started by `npm run demo` from .next keeps its static chunks while `npm test` rebuilds.
  distDir: process.env.PANEL_DIST_DIR || ".next",
  // Native and SSH modules must stay server-side Node requires, never bundled.
  serverExternalPackages: [
    "ssh2",
    "dockerode",
    "docker-modem",
    "cpu-features",
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@node-rs/argon2",
    "mysql2",
    "ioredis",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  // Security headers on every response; pages get their nonce-based CSP (and HSTS) from proxy.ts.
  headers: async () => [
    { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
    { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
  ],
  experimental: {
    // Body limits (see server/http/body-limits.ts): server actions stop reading past theirs; a page POST
    // that proxy.ts sees is buffered by Next only up to this.
    serverActions: { bodySizeLimit: BODY_LIMITS.page },
    proxyClientMaxBodySize: BODY_LIMITS.page,
  },
};

export default nextConfig;
