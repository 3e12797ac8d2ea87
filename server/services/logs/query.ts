import { z } from "zod";
import { ZContainerRef } from "@/server/domain/fields";
import { MAX_PATTERN_LENGTH } from "./filter";

// A job id as a link names it; anything else of this shape is simply not found (404), as the job routes answer.
const ZJobRef = z
  .string({ error: "Required" })
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[a-zA-Z0-9_-]+$/, "A job id");

export const MAX_TAIL = 100_000;

const flag = (fallback: boolean) =>
  z
    .enum(["1", "0", "true", "false", ""], { error: "Must be 1 or 0" })
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "1" || v === "true"));

const ZIsoTime = z
  .string()
  .trim()
  .max(40, "At most 40 characters")
  .refine((v) => /^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: "An ISO 8601 time like 2025-01-31T12:00:00Z",
  })
  .transform((v) => Date.parse(v) / 1000)
  .optional();

const emptyToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** A host id (cuid) or a host name from the inventory. */
const ZHostKey = z
  .string({ error: "Required" })
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[a-zA-Z0-9_-]+$/, "A host id or name");

const ZContainerField = z
  .string({ error: "Required" })
  .refine((v) => ZContainerRef.safeParse(v).success, "A container name (letters, digits, '_', '.', '-') or a 12–64 character hex id");

export const LOG_SOURCES = ["container", "proxy", "job", "mysql-slow"] as const;
export type LogSourceName = (typeof LOG_SOURCES)[number];

/** Which kind of log a stream request is for: `source`, or "job" when only `job` is given. */
export const ZLogSourceName = z.enum(LOG_SOURCES, { error: `One of ${LOG_SOURCES.join(", ")}` });

const TAIL_RULE = `A whole number between 1 and ${MAX_TAIL}, or all`;
const ZTail = z
  .string()
  .optional()
  .refine((v) => v === undefined || v === "" || v === "all" || (/^\d{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_TAIL), TAIL_RULE)
  .transform((v): number | "all" => (v === undefined || v === "" ? 1000 : v === "all" ? "all" : Number(v)));

/** Query string of GET /api/logs/stream: validated field by field so a 400 names the field. */
export const ZLogStreamQuery = z
  .object({
    host: ZHostKey,
    container: ZContainerField,
    tail: ZTail,
    since: z.preprocess(emptyToUndefined, ZIsoTime),
    until: z.preprocess(emptyToUndefined, ZIsoTime),
    follow: flag(false),
    stdout: flag(true),
    stderr: flag(true),
    timestamps: flag(false),
    q: z.preprocess(emptyToUndefined, z.string().max(MAX_PATTERN_LENGTH, `At most ${MAX_PATTERN_LENGTH} characters`).optional()),
    regex: flag(false),
    /** "proxy" shows Caddy's JSON access lines readably; the bytes read are the same. */
    source: z.enum(["container", "proxy"], { error: "container or proxy" }).optional().default("container"),
  })
  .refine((v) => v.since === undefined || v.until === undefined || v.since < v.until, { message: "Must be after since", path: ["until"] })
  .refine((v) => v.stdout || v.stderr, { message: "Choose stdout, stderr or both", path: ["stdout"] });

export type TLogStreamQuery = z.infer<typeof ZLogStreamQuery>;

/** GET /api/logs/stream?source=job: a job's stored log, then its live lines until it ends. */
export const ZJobLogStreamQuery = z
  .object({
    job: ZJobRef,
    tail: ZTail,
    follow: flag(true),
    stdout: flag(true),
    stderr: flag(true),
    timestamps: flag(false),
    q: z.preprocess(emptyToUndefined, z.string().max(MAX_PATTERN_LENGTH, `At most ${MAX_PATTERN_LENGTH} characters`).optional()),
    regex: flag(false),
  })
  .refine((v) => v.stdout || v.stderr, { message: "Choose stdout, stderr or both", path: ["stdout"] });

export type TJobLogStreamQuery = z.infer<typeof ZJobLogStreamQuery>;

/** GET /api/logs/stream?source=mysql-slow: MySQL's slow query log inside the db container. */
export const ZSlowLogStreamQuery = z.object({
  host: ZHostKey,
  container: ZContainerField,
  tail: ZTail,
  follow: flag(false),
  q: z.preprocess(emptyToUndefined, z.string().max(MAX_PATTERN_LENGTH, `At most ${MAX_PATTERN_LENGTH} characters`).optional()),
  regex: flag(false),
});

export type TSlowLogStreamQuery = z.infer<typeof ZSlowLogStreamQuery>;

/** Query string of GET /api/logs/download: the whole range, raw bytes. */
export const ZLogDownloadQuery = z
  .object({
    host: ZHostKey,
    container: ZContainerField,
    since: z.preprocess(emptyToUndefined, ZIsoTime),
    until: z.preprocess(emptyToUndefined, ZIsoTime),
    gzip: flag(false),
  })
  .refine((v) => v.since === undefined || v.until === undefined || v.since < v.until, { message: "Must be after since", path: ["until"] });

export type TLogDownloadQuery = z.infer<typeof ZLogDownloadQuery>;

/** The query string as a plain object (last value wins), for zod. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries(params.entries());
}
