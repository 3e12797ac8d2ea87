import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
