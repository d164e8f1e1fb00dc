import type { Metadata } from "next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Reviewer sign-in", robots: { index: false } };

export default function SignInPage() {
  return (
    <section className="mx-auto grid max-w-sm gap-4 rounded-lg bg-white p-6">
      <h1 className="text-xl font-bold">Reviewer sign-in</h1>
      <p className="text-sm text-stone-600">For reviewers of contributed photos. Accounts are made by an admin; there is no public sign-up.</p>
      <SignInForm />
    </section>
  );
}
