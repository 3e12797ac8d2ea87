/**
 * Operator CLI: `npm run panel -- <command>`.
 *   user create --email E --role admin|deployer|viewer   (password read from stdin)
 *   user reset-2fa --email E                              (turns two-factor sign-in off: a lost authenticator)
 *   user unlock --email E                                 (clears the wait after failed sign-ins)
 *   token create --name NAME --role admin|deployer|viewer [--expires-days N|never] [--stack S]
 *                                                         (a system token: capped by its own role only; admin-role ones
 *                                                          expire, 90 days unless told, 365 at most; --stack: deploys of
 *                                                          that stack only; prints the token as the last line)
 *   fleet import [--plan] [--bare]                        (registers the local sandbox fleet, keys pinned; --plan: the plan-laid
 *                                                          stacks plan and plannx; --bare: the bare hosts, for provisioning)
 *   stack deploy-settings --name STACK --json '{"healthAttempts":5}'  (merged into the current settings)
 *   stack golive-settings --name STACK --json '{"cacheFlavor":"redis"}' (go-live settings: images, cache flavor, proxy, smoke steps)
 *   backup decrypt --in FILE --out FILE|-                 (an encrypted backup file back to its .gz; key as the panel's)
 */
import { parseArgs } from "node:util";
import { ZEmail, ZPassword, ZRole } from "@/server/domain/fields";
import { CLI_ACTOR } from "@/server/services/auth/actor";
import { recordAuditEvent } from "@/server/services/audit/record-audit-event";
import { createApiToken } from "@/server/services/tokens/api-tokens";
import { clearLoginFailures } from "@/server/services/auth/login-throttle";
import { resetTotp } from "@/server/services/auth/totp";
import { createUser, findUserByEmail } from "@/server/services/users/users";
import { ZExpiresInDays, ZTokenName } from "@/server/domain/accounts";
import { ZStackRef } from "@/server/domain/fields";
import { decryptBackupFile } from "./backup-decrypt";
import { importFleet } from "./import-fleet";
import { parseGoLiveSettings, ZGoLiveSettings, type GoLiveSettings } from "@/server/domain/golive";
import { saveGoLiveSettings } from "@/server/services/golive/settings";
import { parseDeploySettings, ZDeploySettings } from "@/server/domain/deploy";
import { getStackRow, updateDeploySettings } from "@/server/services/inventory/stacks";

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

type Issue = { message: string; path: PropertyKey[] };
function parseOrFail<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Issue[] } } },
  value: unknown,
  flag: string,
): T {
  const r = schema.safeParse(value);
  if (!r.success)
    fail(`${flag}: ${r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join(", ")}`);
  return r.data;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) console.error("Password (end with Enter, then Ctrl-D):");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main() {
  const [group, verb, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      role: { type: "string" },
      name: { type: "string" },
      json: { type: "string" },
      in: { type: "string" },
      out: { type: "string" },
      plan: { type: "boolean" },
      bare: { type: "boolean" },
      "expires-days": { type: "string" },
      stack: { type: "string" },
    },
    strict: true,
  });
  const role = () => parseOrFail(ZRole, values.role?.toUpperCase(), "--role");

  if (group === "user" && verb === "create") {
    const email = parseOrFail(ZEmail, values.email, "--email");
    const password = parseOrFail(ZPassword, await readStdin(), "password (stdin)");
    const user = await createUser({ email, password, role: role() });
    await recordAuditEvent(CLI_ACTOR, { action: "user.create", target: user.email, details: { role: user.role } });
    console.log(`created user ${user.email} (${user.role})`);
  } else if (group === "user" && (verb === "reset-2fa" || verb === "unlock")) {
    const email = parseOrFail(ZEmail, values.email, "--email");
    const user = await findUserByEmail(email);
    if (!user) fail(`--email: no user ${email}`);
    if (verb === "reset-2fa") {
      await resetTotp(user.id);
      await recordAuditEvent(CLI_ACTOR, { action: "user.totp-reset", target: user.email });
      console.log(`two-factor sign-in of ${user.email} is off; they sign in with their password and may set it up again`);
    } else {
      await clearLoginFailures(user.email);
      await recordAuditEvent(CLI_ACTOR, { action: "user.unlock", target: user.email });
      console.log(`${user.email} may sign in again at once`);
    }
  } else if (group === "token" && verb === "create") {
    const name = parseOrFail(ZTokenName, values.name, "--name");
    const days = values["expires-days"];
    const expiresInDays = days === undefined ? undefined : days === "never" ? null : parseOrFail(ZExpiresInDays, days, "--expires-days");
    const stack = values.stack === undefined ? null : parseOrFail(ZStackRef, values.stack, "--stack");
    const { token, view } = await createApiToken({ name, role: role(), createdById: null, expiresInDays, stack });
    const expires = view.expiresAt ? `expires ${view.expiresAt.toISOString()}` : "never expires";
    await recordAuditEvent(CLI_ACTOR, {
      action: "token.create",
      target: name,
      details: { role: view.role, prefix: view.prefix, expiresAt: view.expiresAt?.toISOString() ?? null, scope: view.scopeLabel },
    });
    console.log(
      `created system API token "${view.name}" (${view.role}, ${view.scopeLabel ?? "no scope"}, ${expires}); it is shown once, store it now:`,
    );
    console.log(token);
  } else if (group === "fleet" && verb === "import") {
    const summary = await importFleet({ plan: values.plan === true, bare: values.bare === true });
    console.log(summary);
  } else if (group === "stack" && verb === "golive-settings") {
    const stack = await getStackRow(values.name ?? "pixelfox");
    let patch: unknown;
    try {
      patch = JSON.parse(values.json ?? "{}");
    } catch {
      fail("--json: must be a JSON object");
    }
    const current = parseGoLiveSettings(stack.goLiveSettings);
    const p = patch as Partial<GoLiveSettings>;
    const merged = parseOrFail(ZGoLiveSettings, { ...current, ...p, images: { ...current.images, ...(p.images ?? {}) } }, "--json");
    await saveGoLiveSettings(stack.name, merged, CLI_ACTOR);
    console.log(JSON.stringify(merged));
  } else if (group === "stack" && verb === "deploy-settings") {
    const stack = await getStackRow(values.name ?? "pixelfox");
    let patch: unknown;
    try {
      patch = JSON.parse(values.json ?? "{}");
    } catch {
      fail("--json: must be a JSON object");
    }
    const merged = parseOrFail(ZDeploySettings, { ...parseDeploySettings(stack.deploySettings), ...(patch as object) }, "--json");
    await updateDeploySettings(stack.id, merged, CLI_ACTOR);
    console.log(JSON.stringify(merged));
  } else if (group === "backup" && verb === "decrypt") {
    if (!values.in || !values.out) fail("backup decrypt: --in FILE (the encrypted backup) and --out FILE (or - for stdout) are required");
    const { sha256, bytes } = await decryptBackupFile(values.in, values.out);
    console.error(
      `decrypted ${bytes} bytes${values.out === "-" ? "" : ` to ${values.out}`}; sha256 ${sha256} (compare with the backup's recorded sha256)`,
    );
  } else {
    fail(
      "usage: panel user create --email E --role R | user reset-2fa --email E | user unlock --email E | token create --name N --role R [--expires-days N|never] [--stack S] | stack deploy-settings --name S --json J | stack golive-settings --name S --json J | fleet import [--plan] [--bare] | backup decrypt --in FILE --out FILE|-",
    );
  }
}

main().catch((err: unknown) => {
  const e = err as { message?: string };
  fail(e.message ?? String(err));
});
