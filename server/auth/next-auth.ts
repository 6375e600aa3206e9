import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getConfig } from "@/server/config";
import { getDb } from "@/server/db/client";
import type { Role } from "./permissions";
import { signIn } from "./sign-in";

export const ADMIN_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

function header(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : value;
}

export const authOptions: NextAuthOptions = {
  secret: getConfig().nextAuthSecret ?? "dev-only-secret-change-me-in-production",
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
        totp: { label: "Authenticator code", type: "text" },
      },
      async authorize(credentials, req) {
        const result = await signIn(getDb(), {
          email: credentials?.email ?? "",
          password: credentials?.password ?? "",
          totp: credentials?.totp || undefined,
          ip: header(req?.headers, "x-forwarded-for")?.split(",")[0]?.trim() ?? "unknown",
          userAgent: header(req?.headers, "user-agent"),
        });
        if (!result.ok) throw new Error(result.message);
        return { id: result.user.id, email: result.user.email, name: result.user.name, role: result.user.role, storeIds: result.user.storeIds };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      const now = Date.now();
      if (user) {
        const u = user as unknown as { id: string; role: Role; storeIds: string[] };
        return { ...token, userId: u.id, role: u.role, storeIds: u.storeIds, lastSeen: now };
      }
      // Admin sessions end after 30 idle minutes: an expired token carries no identity.
      if (token.role === "system_admin" && typeof token.lastSeen === "number" && now - token.lastSeen > ADMIN_IDLE_TIMEOUT_MS) {
        return { expired: true };
      }
      return { ...token, lastSeen: now };
    },
    async session({ session, token }) {
      if (token.expired || !token.userId) return { expires: session.expires } as typeof session;
      return {
        ...session,
        user: { ...session.user, id: token.userId as string, role: token.role as Role, storeIds: (token.storeIds as string[]) ?? [] },
      };
    },
  },
};
