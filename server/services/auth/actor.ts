import type { TokenScope } from "@/server/domain/accounts";
import type { Role } from "@/server/domain/roles";

/** Who is calling: a signed-in user, an API token, or the operator's CLI. */
export interface Actor {
  kind: "user" | "token" | "cli";
  id: string | null;
  /** Shown in audit logs and lock holders, e.g. "admin@example.com" or "token:ci-deploy". */
  label: string;
  /** For a token: the lower of its own role and its creator's current role. */
  role: Role;
  /** A token limited to the deploy routes of one stack (see services/tokens/token-scope.ts). */
  scope?: TokenScope | null;
}

export const CLI_ACTOR: Actor = { kind: "cli", id: null, label: "cli", role: "ADMIN" };
