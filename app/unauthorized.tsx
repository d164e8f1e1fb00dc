import Link from "next/link";

export default function Unauthorized() {
  return (
    <div className="rounded-lg bg-white p-6" data-testid="unauthorized">
      <h1 className="text-xl font-bold">Sign in to continue</h1>
      <p className="mt-2">
        This page is for reviewers. <Link className="underline" href="/sign-in">Sign in</Link> with a reviewer account.
      </p>
    </div>
  );
}
