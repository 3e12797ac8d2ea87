import { z } from "zod";
import { HOST_ROLES, ROLES, SERVICE_KINDS } from "./roles";

// Shared building blocks: used by tRPC inputs, the CLI and the browser forms alike.
// Security: every field that can reach a remote host is whitelisted by pattern, so no shell
// metacharacter, space or newline ever gets that far.

export const ZName = z
  .string()
  .trim()
  .min(1, "Required")
  .max(63, "At most 63 characters")
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and hyphens; must start and end with a letter or digit");

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:]+$/;

export const ZAddress = z
  .string()
  .trim()
  .min(1, "Required")
  .max(253, "At most 253 characters")
  .refine((v) => IPV4.test(v) || (v.includes(":") && IPV6.test(v)) || (HOSTNAME.test(v) && !/^\d+(\.\d+)*$/.test(v)), {
    message: "Must be a hostname, an IPv4 or an IPv6 address (no spaces or special characters)",
  });

export const ZPort = z.coerce
  .number({ error: "Must be a number" })
  .int("Must be a whole number")
  .min(1, "Port must be between 1 and 65535")
  .max(65535, "Port must be between 1 and 65535");

export const ZSshUser = z
  .string()
  .trim()
  .min(1, "Required")
  .max(32, "At most 32 characters")
  .regex(/^[a-z_][a-z0-9_-]*\$?$/, "A Unix user name: lowercase letters, digits, _ and -, starting with a letter or _");

const KEY_BLOCK =
  /^-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----[\s\S]+-----END (OPENSSH|RSA|EC|DSA|ENCRYPTED)? ?PRIVATE KEY-----\s*$/;

export const ZPrivateKeyText = z
  .string()
  .trim()
  .min(1, "Required")
  .max(16_384, "At most 16 KB")
  .regex(KEY_BLOCK, "Must be a private key in OpenSSH or PEM format (-----BEGIN … PRIVATE KEY-----)");

export const ZAbsolutePath = z
  .string()
  .trim()
  .min(1, "Required")
  .max(255, "At most 255 characters")
  .regex(/^\/[A-Za-z0-9._\/-]*$/, "An absolute path of letters, digits, '.', '_', '-' and '/'")
  .refine((p) => !p.split("/").includes(".."), { message: "Must not contain '..'" });

export const ZContainerName = z
  .string()
  .trim()
  .min(1, "Required")
  .max(128, "At most 128 characters")
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "Letters, digits, '_', '.' and '-', starting with a letter or digit");

/** A container reference: a name, or a 12–64 character hex id. */
export const ZContainerRef = z.union([ZContainerName, z.string().regex(/^[a-f0-9]{12,64}$/)]);

export const ZHostRoles = z.array(z.enum(HOST_ROLES)).max(HOST_ROLES.length);
export const ZServiceKind = z.enum(SERVICE_KINDS, { error: `One of ${SERVICE_KINDS.join(", ")}` });
export const ZRole = z.enum(ROLES, { error: `One of ${ROLES.join(", ")}` });

export const ZEmail = z.string().trim().toLowerCase().max(254, "At most 254 characters").pipe(z.email("Must be an email address"));

export const ZPassword = z.string().min(12, "At least 12 characters").max(256, "At most 256 characters");

export const ZHttpUrl = z
  .string()
  .trim()
  .max(2048, "At most 2048 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "Must be an http:// or https:// URL" }));

/** An image repository without tag, e.g. ghcr.io/owner/pixelfox or 127.0.0.1:5000/pixelfox/app. */
export const ZImageRepository = z
  .string()
  .trim()
  .min(1, "Required")
  .max(255, "At most 255 characters")
  .regex(
    /^([a-zA-Z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
    "An image repository like ghcr.io/owner/pixelfox (lowercase path, no tag)",
  );

/** A Docker image tag, or a sha256 digest. */
export const ZImageTag = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(v) || /^sha256:[a-f0-9]{64}$/.test(v), {
    message: "A tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or be a sha256:<64 hex> digest",
  });

export const ZOptional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** A stack given by name (as URLs, the CLI and the API name it) or by id. */
export const ZStackRef = z
  .string()
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "A stack name or id: letters, digits, '-' and '_'");

/** A record id as the store makes them (cuid or hex). */
export const ZId = z
  .string()
  .trim()
  .min(1, "Required")
  .max(64, "At most 64 characters")
  .regex(/^[A-Za-z0-9]+$/, "Not an id: letters and digits only");

/** An image reference with an optional registry and tag (or digest), e.g. mysql:8.4 or 127.0.0.1:5000/library/caddy:2. */
export const ZImageRef = z
  .string()
  .trim()
  .min(1, "Required")
  .max(255, "At most 255 characters")
  .regex(
    /^([a-zA-Z0-9.-]+(:[0-9]+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})?$/,
    "An image like mysql:8.4 or registry.example.com/team/caddy:2 (lowercase path, optional :tag)",
  );

/** A DNS name a proxy serves (no scheme, no port, no path): written into Caddyfile and Nginx config text. */
export const ZSiteName = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, "At most 253 characters")
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/,
    "A host name such as pixelfox.example.com (letters, digits, '-' and '.')",
  );
