import Link from "next/link";

/** What someone sees on a page their role does not open: what it is, what they lack, where to go. */
export function NoPermission({ page, permission }: { page: string; permission: string }) {
  return (
    <section aria-labelledby="no-permission-heading" className="max-w-xl rounded-lg border border-amber-300 bg-amber-50 p-5 text-amber-950">
      <h1 id="no-permission-heading" className="text-xl font-semibold">
        You don&apos;t have permission to open {page}
      </h1>
      <p className="mt-2 text-sm">
        This page needs the <code className="rounded bg-amber-100 px-1">{permission}</code> permission, which your role does not have. If you
        need it, ask a system admin.
      </p>
      <p className="mt-4 text-sm">
        <Link href="/" className="font-medium text-blue-800 underline">
          Back to the start page
        </Link>
      </p>
    </section>
  );
}
