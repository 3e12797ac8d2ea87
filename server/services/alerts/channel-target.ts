import { assertHostLiteralAllowed, assertOutboundLiteralAllowed, type OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import type { TChannelInput } from "@/server/domain/alerts";

/**
 * Security: refuse at save time a channel whose address, as written, is this panel's own port (in
 * any spelling: `[::ffff:127.0.0.1]`, `localhost.`, `0.0.0.0`…) or a link-local / metadata address.
 * An alert must not make the panel call its own API, nor read a cloud machine's credentials. Names
 * are checked again on every send, on the address they resolve to (the webhook and SMTP adapters).
 */
export function assertChannelTargetAllowed(input: TChannelInput, deps: OutboundDeps = {}): void {
  if (input.kind === "webhook") assertOutboundLiteralAllowed(input.url, OUTBOUND.webhook, deps);
  else assertHostLiteralAllowed(input.host, input.port, OUTBOUND.smtp, deps);
}
