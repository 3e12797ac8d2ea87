import { AppError } from "@/server/errors";

const CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const CONTAINER_ID = /^(?:[a-f0-9]{12}|[a-f0-9]{64})$/;

/**
 * Check a container reference (a name or a 12/64-hex id) before it goes into a Docker API path.
 * Security: the reference becomes part of a URL path on the remote Engine; only plain names and
 * ids pass, so "../" or query tricks never reach it.
 */
export function assertContainerRef(ref: string): string {
  if (typeof ref === "string" && (CONTAINER_NAME.test(ref) || CONTAINER_ID.test(ref))) return ref;
  throw new AppError(
    "BAD_REQUEST",
    `"${String(ref).slice(0, 80)}" is not a container name or id: use letters, digits, '_', '.' and '-' (starting with a letter or digit), or a 12/64-character hex id.`,
    { data: { field: "container" } },
  );
}
