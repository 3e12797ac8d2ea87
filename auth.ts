import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { deriveSecret } from "@/server/crypto";
import { getPanelSite, secureCookieMode } from "@/server/http/panel-url";
import { redeemLoginTicket } from "@/server/services/auth/login-ticket";
import { getUserById } from "@/server/services/users/users";

/**
 * Security: behind TLS (PANEL_URL https) the cookies are Secure and prefixed, the session one `__Host-`
 * (no Domain, path /: a sibling subdomain cannot plant or overwrite it); with PANEL_TRUST_PROXY alone Auth.js
 * follows X-Forwarded-Proto per request (`__Secure-`); a plain-http panel keeps the unprefixed names.
 */
function cookieSettings(): Pick<NextAuthConfig, "useSecureCookies" | "cookies"> {
  const mode = secureCookieMode(getPanelSite());
  if (mode === "per-request") return {};
  if (!mode) return { useSecureCookies: false };
  return {
    useSecureCookies: true,
    cookies: {
      sessionToken: { name: "__Host-authjs.session-token", options: { httpOnly: true, sameSite: "lax", path: "/", secure: true } },
    },
  };
}

// Lazy config: the signing secret is derived from the master key at first request, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: deriveSecret("authjs-session"),
  trustHost: true,
  ...cookieSettings(),
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  // A refused credentials sign-in is expected (someone posting to the endpoint without a ticket): one
  // line, not a stack trace. Everything else is logged as Auth.js would.
  logger: {
    error(error: Error) {
      if (error.name === "CredentialsSignin") console.warn("[auth] refused a credentials sign-in without a valid ticket");
      else console.error("[auth]", error);
    },
  },
  providers: [
    // Security: only a ticket from checkSignIn (password, second factor, throttle all passed) signs in;
    // posting an email and password to Auth.js's own endpoint gets nowhere.
    Credentials({
      credentials: { ticket: {} },
      async authorize(credentials) {
        const ticket = typeof credentials?.ticket === "string" && credentials.ticket.length <= 100 ? credentials.ticket : "";
        const userId = ticket ? redeemLoginTicket(ticket) : null;
        const user = userId ? await getUserById(userId) : null;
        return user ? { id: user.id, email: user.email } : null;
      },
    }),
  ],
  callbacks: {
    // The sign-in time rides in the token and survives its rolling re-issue (`iat` does not): a
    // session signed in before the user's sessionsValidAfter is refused (see resolveActor).
    jwt({ token, user }) {
      if (user) token.authAt = Date.now();
      return token;
    },
    // Only the user id and sign-in time ride in the token; the role is read from the store on every
    // request, so a demotion or deletion takes effect at once.
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      session.authAt = typeof token.authAt === "number" ? token.authAt : 0;
      return session;
    },
  },
}));

declare module "next-auth" {
  interface Session {
    /** When this session signed in (ms); 0 for sessions from before this was recorded. */
    authAt: number;
  }
}
