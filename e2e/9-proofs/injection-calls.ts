import type { APIRequestContext } from "@playwright/test";

// How the injection spec (02-injection.spec.ts) calls the panel and judges an answer: refused naming
// the field and the rule, or handled inertly (stored as given and read back, not found, a stream that
// ends), and nothing else: no 5xx, no stack trace, no file content echoed back.

export interface Answer {
  status: number;
  text: string;
  /** tRPC `result.data.json`, or the REST body. */
  data: unknown;
  message: string;
  fieldErrors: Record<string, string[]> | null;
}

type TrpcBody = {
  result?: { data?: { json?: unknown } };
  error?: { json?: { message?: string; data?: { fieldErrors?: Record<string, string[]> | null } } };
};
type RestBody = { error?: { message?: string; fieldErrors?: Record<string, string[]> } };

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function trpcCall(request: APIRequestContext, kind: "query" | "mutation", path: string, input: unknown): Promise<Answer> {
  const res =
    kind === "query"
      ? await request.get(`/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, { maxRedirects: 0 })
      : await request.post(`/api/trpc/${path}`, { data: { json: input }, maxRedirects: 0 });
  const text = await res.text();
  const body = parse(text) as TrpcBody | null;
  return {
    status: res.status(),
    text,
    data: body?.result?.data?.json,
    message: body?.error?.json?.message ?? (body ? "" : text.slice(0, 200)),
    fieldErrors: body?.error?.json?.data?.fieldErrors ?? null,
  };
}

export async function restCall(request: APIRequestContext, method: "GET" | "POST", url: string, data?: unknown): Promise<Answer> {
  const res = await request.fetch(url, { method, data, maxRedirects: 0, timeout: 30_000 });
  const text = await res.text();
  const body = parse(text) as RestBody | null;
  return {
    status: res.status(),
    text,
    data: body,
    message: body?.error?.message ?? text.slice(0, 200),
    fieldErrors: body?.error?.fieldErrors ?? null,
  };
}

/** An accepted value is read back: `got` must equal `want` (byte for byte where the value is stored). */
export interface ReadBack {
  got: unknown;
  want: unknown;
}

export interface Target {
  /** "host.update address" */
  name: string;
  /** The field a refusal must name (a key of fieldErrors, or "parent.field"); null: any field, e.g. a URL segment. */
  field: string | null;
  send: (value: string) => Promise<Answer>;
  /** What a 2xx means: read the value back (and undo what was created); omitted: a 2xx is a failure. */
  accepted?: (answer: Answer, value: string) => Promise<ReadBack | string | null>;
  /** A 404 for this value is an inert answer (a lookup by it found nothing). */
  isNotFoundInert?: boolean;
  /** A refusal that is about the state, not the value (e.g. "has no app service"), for a value that passed validation. */
  inertRefusal?: RegExp;
}

/** Refused before the app sees it: the body or the URL is too large. */
const DOOR = new Set([413, 414, 431]);
const STACK_TRACE = /\n\s+at \S+ \(?[^)\s]+\.(?:ts|js|mjs):\d+/;
/** The content of /etc/passwd or of a process's environment, should a path field be read back to the caller. */
const FILE_CONTENT = /root:x:0:0:|PANEL_DATA_DIR=|\bPATH=\/[^"\s]*:\//;

function namesField(answer: Answer, field: string | null): boolean {
  const keys = Object.keys(answer.fieldErrors ?? {});
  const rules = Object.values(answer.fieldErrors ?? {}).flat();
  if (field === null) return (keys.length > 0 && rules.every(Boolean)) || answer.message.trim().length > 0;
  const matches = keys.some((k) => k === field || k.startsWith(`${field}.`) || k.endsWith(`.${field}`));
  return matches && rules.every((r) => r.trim().length > 0);
}

/** Why this answer is not an acceptable one for `value` at `target`, or null when it is. */
export async function judge(target: Target, value: string, answer: Answer): Promise<string | null> {
  if (STACK_TRACE.test(answer.text)) return `${answer.status} with a stack trace`;
  if (FILE_CONTENT.test(answer.text)) return `${answer.status} echoes the content of a file of the panel's machine`;
  if (answer.status >= 500) return `${answer.status}: ${answer.message.slice(0, 160)}`;
  if (DOOR.has(answer.status)) return null;
  if (answer.status === 401 || answer.status === 403) return `${answer.status} for an admin: ${answer.message.slice(0, 160)}`;
  if (answer.status === 404) return target.isNotFoundInert ? null : `404: ${answer.message.slice(0, 160)}`;
  if (answer.status >= 400) {
    if (namesField(answer, target.field)) return null;
    if (target.inertRefusal?.test(answer.message)) return null;
    return `${answer.status} without naming ${target.field ?? "a field"} and its rule: ${answer.message.slice(0, 160)} ${JSON.stringify(answer.fieldErrors)}`;
  }
  if (!target.accepted) return `${answer.status}: accepted, where it must be refused`;
  const outcome = await target.accepted(answer, value);
  if (outcome === null) return null;
  if (typeof outcome === "string") return outcome;
  if (JSON.stringify(outcome.got) === JSON.stringify(outcome.want)) return null;
  return `${answer.status}: accepted but reads back as ${JSON.stringify(outcome.got)?.slice(0, 120)}, not ${JSON.stringify(outcome.want)?.slice(0, 120)}`;
}

/** Each NDJSON line parses, and the stream ends with its end or error event: the value was used as data. */
export function isInertStream(text: string): string | null {
  const lines = text.split("\n").filter(Boolean);
  const events = lines.map((l) => parse(l) as { event?: string; message?: string } | null);
  if (events.some((e) => e === null)) return "the stream holds a line that is not JSON";
  const last = events.at(-1);
  return last?.event === "end" || last?.event === "error"
    ? null
    : `the stream does not end with an end or error event (${lines.length} lines)`;
}

/** What the targets act on: the admin's session, this run's tag, and the spec's own stack and host. */
export interface Scene {
  request: APIRequestContext;
  run: string;
  /** A private key file on the panel's machine, for the spec's host. */
  keyPath: string;
  stackId: string;
  hostId: string;
}

export const stackName = (scene: Pick<Scene, "run">) => `pxf-inj-stack-${scene.run}`;
export const trim = (v: string) => v.trim();
/** A field that may be left empty: blank is stored as no value. */
export const optional = (v: string) => (v.trim() === "" ? null : v.trim());
export const dataOf = <T>(a: Answer) => a.data as T;

/** A tRPC call with the scene's session. */
export const callerOf =
  (scene: Scene) =>
  (kind: "query" | "mutation", path: string, input: unknown): Promise<Answer> =>
    trpcCall(scene.request, kind, path, input);

/** A field of a stored object, read back from the mutation's answer (the row as written), then `undo`. */
export function readField<T extends Record<string, unknown>>(
  field: keyof T & string,
  want: (v: string) => unknown,
  undo?: (row: T) => Promise<unknown>,
) {
  return async (a: Answer, v: string): Promise<ReadBack> => {
    const row = dataOf<T>(a);
    await undo?.(row);
    return { got: row[field], want: want(v) };
  };
}
