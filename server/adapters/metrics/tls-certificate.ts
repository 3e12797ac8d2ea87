import tls from "node:tls";

/** The certificate a TLS endpoint presents. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  validTo: string;
  daysLeft: number;
  /** Whether Node's default trust store accepts the chain for this name. */
  authorized: boolean;
  authorizationError: string | null;
}

/** Connect, read the peer certificate, disconnect. Security: nothing is sent beyond the handshake. */
export function readCertificate(host: string, port = 443, timeoutMs = 5000): Promise<CertificateInfo> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.valid_to) return reject(new Error(`${host}:${port} presented no certificate`));
      const validTo = new Date(cert.valid_to);
      resolve({
        subject: String(cert.subject?.CN ?? ""),
        issuer: String(cert.issuer?.O ?? cert.issuer?.CN ?? ""),
        validTo: validTo.toISOString(),
        daysLeft: Math.floor((validTo.getTime() - Date.now()) / 86_400_000),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
      });
    });
    socket.once("timeout", () => socket.destroy(new Error(`no TLS handshake from ${host}:${port} within ${timeoutMs} ms`)));
    socket.once("error", reject);
  });
}
