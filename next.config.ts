import type { NextConfig } from "next";

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
};

export default nextConfig;
