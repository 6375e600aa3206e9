import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/sign-in-form";
import { currentUser } from "@/server/auth/current-user";
import { HOME_PATH, safeReturnPath } from "@/server/auth/return-path";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = (await searchParams).callbackUrl;
  const returnTo = safeReturnPath(typeof raw === "string" ? raw : null) ?? HOME_PATH;
  if (await currentUser()) redirect(returnTo);
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Partial Cancellation for order management</p>
        <SignInForm returnTo={returnTo} />
      </div>
    </main>
  );
}
