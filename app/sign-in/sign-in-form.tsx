"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth/client";

export function SignInForm() {
  const [state, setState] = useState<"idle" | "sending" | "error">("idle");
  const [message, setMessage] = useState("");
  return (
    <form
      className="grid gap-3"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        setState("sending");
        const { error } = await authClient.signIn.email({ email: String(f.get("email")), password: String(f.get("password")) });
        if (error) {
          setState("error");
          setMessage(error.status === 429 ? (error.message ?? "Too many attempts; try again later.") : error.status === 401 ? "Wrong email or password." : (error.message ?? `Error ${error.status}`));
          return;
        }
        // A full navigation, so the review pages render with the new session cookie.
        window.location.assign("/review");
      }}
    >
      <label className="grid gap-1 text-sm">
        Email
        <input name="email" type="email" autoComplete="username" required className="rounded border border-stone-300 px-2 py-1" />
      </label>
      <label className="grid gap-1 text-sm">
        Password
        <input name="password" type="password" autoComplete="current-password" required className="rounded border border-stone-300 px-2 py-1" />
      </label>
      <button disabled={state === "sending"} className="justify-self-start rounded bg-moss-700 px-4 py-2 text-white">
        Sign in
      </button>
      {message && (
        <p role="alert" className="text-red-800" data-testid="sign-in-error">
          {message}
        </p>
      )}
    </form>
  );
}
