// Every page under /review is for reviewers: the check runs here, before anything streams (no loading.tsx above
// the pages that must answer 401/403), so a refusal is a real 401 or 403; each page checks again (layouts are not
// re-run on client-side navigation). Only /review/[id], slow because the model runs, streams behind loading.tsx.
import type { Metadata } from "next";
import Link from "next/link";
import { requireStaffPage } from "@/lib/auth/page";
import { canManageUsers } from "@/lib/auth/roles";
import { SignOutButton } from "./sign-out-button";

export const metadata: Metadata = { title: "Review", robots: { index: false } };
export const dynamic = "force-dynamic";

export default async function ReviewLayout({ children }: { children: React.ReactNode }) {
  const me = await requireStaffPage("review");
  return (
    <div className="grid gap-4">
      <nav aria-label="Review" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg bg-white px-4 py-2 text-sm">
        <Link href="/review" className="font-semibold underline">
          Queue
        </Link>
        <Link href="/review/audit" className="underline">
          Audit log
        </Link>
        {canManageUsers(me.role) && (
          <Link href="/review/accounts" className="underline">
            Accounts
          </Link>
        )}
        <span className="ml-auto text-stone-600" data-testid="signed-in-as">
          {me.email} ({me.role})
        </span>
        <SignOutButton />
      </nav>
      {children}
    </div>
  );
}
