/** Generated secrets, kept in /var/lib/pixelfox-fleet/secrets.json (mode 600, outside git). */
import crypto from "node:crypto";
import fs from "node:fs";
import { SECRETS_FILE, STATE_DIR } from "./paths.js";

export interface Secrets {
  registryUser: string;
  registryPassword: string;
  registryHttpSecret: string;
  dbPassword: string;
  dbRootPassword: string;
  cachePassword: string;
  /** The plan-laid stacks' database (app user and root). */
  planDbPassword: string;
  planDbRootPassword: string;
}

const gen = () => crypto.randomBytes(18).toString("hex");

export function readSecrets(): Secrets | null {
  try {
    return JSON.parse(fs.readFileSync(SECRETS_FILE, "utf8")) as Secrets;
  } catch {
    return null;
  }
}

export function ensureSecrets(): Secrets {
  const cur = readSecrets();
  if (cur) {
    // Secrets added by a newer fleet are generated once and kept with the others.
    if (cur.planDbPassword && cur.planDbRootPassword) return cur;
    const next = { ...cur, planDbPassword: cur.planDbPassword ?? gen(), planDbRootPassword: cur.planDbRootPassword ?? gen() };
    fs.writeFileSync(SECRETS_FILE, JSON.stringify(next, null, 2) + "\n", { mode: 0o600 });
    return next;
  }
  fs.mkdirSync(STATE_DIR, { recursive: true, mode: 0o755 });
  const s: Secrets = {
    registryUser: "pxfci",
    registryPassword: gen(),
    registryHttpSecret: gen(),
    dbPassword: gen(),
    dbRootPassword: gen(),
    cachePassword: gen(),
    planDbPassword: gen(),
    planDbRootPassword: gen(),
  };
  fs.writeFileSync(SECRETS_FILE, JSON.stringify(s, null, 2) + "\n", { mode: 0o600 });
  return s;
}

/** Write a file only when its content changed; returns true when written. */
export function writeIfChanged(file: string, content: string, mode = 0o644): boolean {
  try {
    if (fs.readFileSync(file, "utf8") === content) {
      fs.chmodSync(file, mode);
      return false;
    }
  } catch {
    /* new */
  }
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  return true;
}

/** Serialise fleet commands (two `up`s at once would race on netns and daemons). */
export async function withFleetLock<T>(what: string, fn: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const lock = `${STATE_DIR}/fleet.lock`;
  const until = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid} ${what}\n`, { flag: "wx" });
      break;
    } catch {
      const holder = Number(
        (() => {
          try {
            return fs.readFileSync(lock, "utf8").split(" ")[0];
          } catch {
            return "0";
          }
        })(),
      );
      let alive = false;
      try {
        if (holder > 0) {
          process.kill(holder, 0);
          alive = true;
        }
      } catch {
        /* dead */
      }
      if (!alive) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > until) throw new Error(`another fleet command (pid ${holder}) holds ${lock}`);
      if (!warned) {
        process.stderr.write(`fleet: waiting for another fleet command (pid ${holder})…\n`);
        warned = true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}
