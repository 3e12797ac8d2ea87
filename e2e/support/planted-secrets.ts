import fs from "node:fs";
import path from "node:path";
import { MIN_SECRET_LENGTH, type PlantedSecret } from "../../scripts/testing/redaction-scan";
import { isSecretKey } from "../../server/services/env/env-format";
import { dockerApi, fleetHost, fleetStatus } from "./fleet";

// The secrets of the redaction scan (e2e/99-scan): what the run configures anyway (the fleet's
// passwords and key, used by every deploy, backup and health check; the app's env secrets) and the
// canary webhook that e2e/1-foundation/01b-plant-secrets.spec.ts adds. Kept in the recorder's
// directory (scripts/e2e-server.sh), outside the data directory the scan reads.

export const RECORD_DIR = process.env.E2E_RECORD_DIR ?? "/tmp/pxf-e2e-record";
export const PLANTED_FILE = path.join(RECORD_DIR, "planted.json");
/** The alert channel whose URL is planted; it stays for the whole run. */
export const CANARY_CHANNEL = "pxf-redaction-canary";
/** The app host's env file (the fleet's hosts share this machine's filesystem). */
const APP_ENV_FILE = "/srv/pixelfox/.env";
/** "openssh-key-v1\0none\0none…": the same first line in every unencrypted OpenSSH key of a type. */
const OPENSSH_MAGIC = "b3BlbnNzaC1rZXktdjE";

/** Long enough to be found by chance never, and each value once (the first label wins). */
export function usableSecrets(secrets: PlantedSecret[]): PlantedSecret[] {
  const seen = new Set<string>();
  return secrets.filter((s) => {
    if (s.value.length < MIN_SECRET_LENGTH || seen.has(s.value)) return false;
    seen.add(s.value);
    return true;
  });
}

/** The base64 lines of a private key file, but the generic first one: a leak of any of them is a leak of the key. */
export function privateKeyLines(file: string, label: string): PlantedSecret[] {
  return fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length >= 40 && !l.startsWith("-----") && !l.startsWith(OPENSSH_MAGIC))
    .map((value, i) => ({ label: `${label} line ${i + 2}`, value }));
}

/** The fleet's registry, database, cache and S3 passwords and the panel's SSH key, as its status reports them. */
export function fleetSecrets(): PlantedSecret[] {
  const s = fleetStatus();
  return usableSecrets([
    { label: "registry password", value: s.registry.password },
    { label: "db password", value: s.stack.db.password },
    { label: "db root password", value: s.stack.db.rootPassword },
    { label: "cache password", value: s.stack.cache.password },
    { label: "S3 secret key", value: s.s3.secretAccessKey },
    ...privateKeyLines(s.hosts[0]!.privateKeyPath, "SSH private key"),
  ]);
}

function secretsOfEnv(lines: string[], where: string): PlantedSecret[] {
  return lines.flatMap((line) => {
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m || !isSecretKey(m[1]!)) return [];
    const value = m[2]!.replace(/^(['"])(.*)\1$/, "$2");
    return [{ label: `app env ${m[1]} (${where})`, value }];
  });
}

/** The secret-named values of the app's environment: its containers' env and the host's .env file. */
export async function appEnvSecrets(): Promise<PlantedSecret[]> {
  const socket = fleetHost("app").dockerSocket;
  const out: PlantedSecret[] = [];
  const list = await dockerApi<{ Id: string; Names: string[] }[]>(socket, "GET", "/containers/json?all=1");
  for (const c of list.body.filter((c) => c.Names.some((n) => n.startsWith("/pxlfox-app")))) {
    const info = await dockerApi<{ Config: { Env: string[] | null } }>(socket, "GET", `/containers/${c.Id}/json`);
    out.push(...secretsOfEnv(info.body.Config.Env ?? [], c.Names[0]!.slice(1)));
  }
  if (fs.existsSync(APP_ENV_FILE)) out.push(...secretsOfEnv(fs.readFileSync(APP_ENV_FILE, "utf8").split("\n"), APP_ENV_FILE));
  return out;
}

export function writePlanted(secrets: PlantedSecret[]): void {
  fs.mkdirSync(RECORD_DIR, { recursive: true });
  fs.writeFileSync(PLANTED_FILE, JSON.stringify({ plantedAt: new Date().toISOString(), secrets }, null, 2), { mode: 0o600 });
}

export function readPlanted(): PlantedSecret[] | null {
  if (!fs.existsSync(PLANTED_FILE)) return null;
  return (JSON.parse(fs.readFileSync(PLANTED_FILE, "utf8")) as { secrets: PlantedSecret[] }).secrets;
}
