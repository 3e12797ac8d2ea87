/**
 * S3-compatible object storage for off-site backup copies: s3rver (npm) behind a SigV4 check
 * (fleet/s3/s3-server.cjs) on 127.0.0.1:4569 in the root netns, data under /var/lib/pixelfox-fleet/s3.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { FLEET_DIR, STATE_DIR } from "./paths.js";
import { ensureDaemon, livePid, logFile, stopDaemon, waitFor, type DaemonSpec } from "./proc.js";
import { writeIfChanged } from "./state.js";

export const S3_PORT = 4569;
export const S3_ENDPOINT = `http://127.0.0.1:${S3_PORT}`;
export const S3_BUCKET = "pixelfox-backups";
export const S3_REGION = "us-east-1";
const S3_DIR = path.join(STATE_DIR, "s3");
const CONFIG = path.join(S3_DIR, "config.json");
const CREDENTIALS = path.join(S3_DIR, "credentials.json");

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const s3Spec: DaemonSpec = {
  id: "s3",
  cmd: process.execPath,
  args: [path.join(FLEET_DIR, "s3", "s3-server.cjs"), CONFIG],
  token: CONFIG,
  stopOrder: 45,
};

/** The generated key pair (created once, kept across up/down). */
export function readS3Credentials(): S3Credentials | null {
  try {
    return JSON.parse(fs.readFileSync(CREDENTIALS, "utf8")) as S3Credentials;
  } catch {
    return null;
  }
}

function ensureS3Credentials(): S3Credentials {
  const cur = readS3Credentials();
  if (cur) return cur;
  fs.mkdirSync(S3_DIR, { recursive: true, mode: 0o700 });
  const c = { accessKeyId: `pxf${crypto.randomBytes(6).toString("hex")}`, secretAccessKey: crypto.randomBytes(24).toString("base64url") };
  fs.writeFileSync(CREDENTIALS, JSON.stringify(c, null, 2) + "\n", { mode: 0o600 });
  return c;
}

/** Any HTTP answer on the port means the server is listening (unsigned requests get 403). */
function s3Answers(): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port: S3_PORT, path: "/", method: "GET", timeout: 2000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

export async function ensureS3(): Promise<void> {
  const creds = ensureS3Credentials();
  fs.mkdirSync(path.join(S3_DIR, "data"), { recursive: true, mode: 0o700 });
  const config = JSON.stringify({ port: S3_PORT, directory: path.join(S3_DIR, "data"), bucket: S3_BUCKET, ...creds }, null, 2) + "\n";
  if (writeIfChanged(CONFIG, config, 0o600) && livePid(s3Spec.id)) await stopDaemon(s3Spec.id);
  if (ensureDaemon(s3Spec)) await waitFor(`S3 server on ${S3_ENDPOINT}`, s3Answers, 20_000, logFile(s3Spec.id));
}

export const s3Running = () => livePid(s3Spec.id) !== null;
