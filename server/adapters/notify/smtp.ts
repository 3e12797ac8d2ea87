import type { Socket } from "node:net";
import nodemailer from "nodemailer";
import { connectGuarded } from "@/server/adapters/http/guarded-socket";
import type { OutboundDeps } from "@/server/adapters/http/outbound-guard";
import { OUTBOUND } from "@/server/adapters/http/outbound-purposes";
import { AppError, isAppError } from "@/server/errors";

/** An SMTP server and envelope; the password is decrypted by the caller, in memory only. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
}

const CONNECT_TIMEOUT_MS = 5000;

/** Send one plain-text email with nodemailer; failures throw REMOTE_FAILED with the server's words. */
export async function sendEmail(settings: SmtpSettings, subject: string, text: string, deps: OutboundDeps = {}): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.username ? { user: settings.username, pass: settings.password ?? "" } : undefined,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
    // Security: STARTTLS is used whenever the server offers it, and its certificate must verify.
    tls: { rejectUnauthorized: true },
    // Security: the panel opens the TCP connection itself, through the outbound guard (never its own
    // port, never a link-local / metadata address, checked on the address connected to); nodemailer
    // then speaks SMTP over it (and TLS for `secure`, verifying the certificate for `host`).
    getSocket: (_options: unknown, callback: (err: Error | null, socketOptions: { connection: Socket } | null) => void) => {
      connectGuarded(settings.host, settings.port, OUTBOUND.smtp, CONNECT_TIMEOUT_MS, deps).then(
        (connection) => callback(null, { connection }),
        (err: Error) => callback(err, null),
      );
    },
  });
  try {
    await transport.sendMail({ from: settings.from, to: settings.to, subject, text });
  } catch (err) {
    if (isAppError(err)) throw err;
    const message = (err as Error).message ?? "failed";
    throw new AppError(
      "REMOTE_FAILED",
      `Email through ${settings.host}:${settings.port} failed: ${message.replace(/\s+/g, " ").slice(0, 200)}`,
      { cause: err },
    );
  } finally {
    transport.close();
  }
}
