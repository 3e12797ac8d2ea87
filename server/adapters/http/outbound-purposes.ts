import type { OutboundPurpose } from "./outbound-guard";

/**
 * The admin-typed addresses the panel sends requests to, with the form field each comes from: one
 * list, so save-time and send-time refusals name the same field in the same words.
 */
export const OUTBOUND = {
  webhook: { field: "url", label: "webhook URL" },
  smtp: { field: "host", label: "SMTP host" },
  s3Endpoint: { field: "endpoint", label: "off-site endpoint" },
  registryUrl: { field: "registryUrl", label: "registry URL" },
  /** The registry named by the image repository's host when no registry URL is set. */
  imageRepository: { field: "imageRepository", label: "image repository's registry" },
  publicDomain: { field: "publicDomain", label: "public domain" },
} as const satisfies Record<string, OutboundPurpose>;
