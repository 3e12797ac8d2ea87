import NextAuth from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { deriveSecret } from "@/server/crypto";
import { ZEmail } from "@/server/domain/fields";
import { verifyLogin } from "@/server/services/users/users";

// Lazy config: the signing secret is derived from the master key at first request, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: deriveSecret("authjs-session"),
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = ZEmail.safeParse(credentials?.email);
        const password = typeof credentials?.password === "string" ? credentials.password : "";
        if (!email.success || password.length === 0 || password.length > 256) return null;
        const user = await verifyLogin(email.data, password);
        return user ? { id: user.id, email: user.email } : null;
      },
    }),
  ],
  callbacks: {
    // Only the user id rides in the token; the role is read from the store on every request,
    // so a demotion or deletion takes effect at once.
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
}));
