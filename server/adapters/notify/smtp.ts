import nodemailer from "nodemailer";
import { AppError } from "@/server/errors";

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

/** Send one plain-text email with nodemailer; failures throw REMOTE_FAILED with the server's words. */
export async function sendEmail(settings: SmtpSettings, subject: string, text: string): Promise<void> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: settings.username ? { user: settings.username, pass: settings.password ?? "" } : undefined,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
    // Security: STARTTLS is used whenever the server offers it, and its certificate must verify.
    tls: { rejectUnauthorized: true },
  });
  try {
    await transport.sendMail({ from: settings.from, to: settings.to, subject, text });
  } catch (err) {
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
