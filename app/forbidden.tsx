import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="rounded-lg bg-white p-6" data-testid="forbidden">
      <h1 className="text-xl font-bold">Not allowed</h1>
      <p className="mt-2">
        This account may not open this page. Ask an admin for the reviewer role, or{" "}
        <Link className="underline" href="/sign-in">sign in as someone else</Link>.
      </p>
    </div>
  );
}
