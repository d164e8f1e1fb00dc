"use client";

import { useState } from "react";
import { authClient } from "@/lib/auth/client";

type RoleName = "user" | "reviewer" | "admin";

export function AccountForms({ roles, minPasswordLength }: { roles: readonly RoleName[]; minPasswordLength: number }) {
  const [message, setMessage] = useState("");
  return (
    <form
      className="grid max-w-md gap-2 rounded-lg bg-white p-4"
      onSubmit={async (e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const { error } = await authClient.admin.createUser({
          email: String(f.get("email")),
          name: String(f.get("name")),
          password: String(f.get("password")),
          role: String(f.get("role")) as RoleName,
        });
        if (error) return setMessage(error.message ?? `Error ${error.status}`);
        window.location.reload();
      }}
    >
      <h2 className="font-semibold">New account</h2>
      <label className="grid gap-1 text-sm">
        Email
        <input name="email" type="email" required className="rounded border border-stone-300 px-2 py-1" />
      </label>
      <label className="grid gap-1 text-sm">
        Name
        <input name="name" required maxLength={100} className="rounded border border-stone-300 px-2 py-1" />
      </label>
      <label className="grid gap-1 text-sm">
        Password (at least {minPasswordLength} characters; give it to the person by a safe channel)
        <input name="password" type="password" autoComplete="new-password" required minLength={minPasswordLength} className="rounded border border-stone-300 px-2 py-1" />
      </label>
      <label className="grid gap-1 text-sm">
        Role
        <select name="role" defaultValue="reviewer" className="rounded border border-stone-300 px-2 py-1">
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <button className="justify-self-start rounded bg-moss-700 px-4 py-2 text-white">Create account</button>
      {message && <p role="alert" className="text-red-800">{message}</p>}
    </form>
  );
}

export function RoleSelect({ userId, role, roles }: { userId: string; role: string; roles: readonly RoleName[] }) {
  const [value, setValue] = useState(role);
  return (
    <select
      aria-label="Role"
      value={value}
      className="rounded border border-stone-300 px-1"
      onChange={async (e) => {
        const next = e.target.value as RoleName;
        const { error } = await authClient.admin.setRole({ userId, role: next });
        if (!error) setValue(next);
        else alert(error.message ?? `Error ${error.status}`);
      }}
    >
      {roles.map((r) => (
        <option key={r}>{r}</option>
      ))}
    </select>
  );
}
