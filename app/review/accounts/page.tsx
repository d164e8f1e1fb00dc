import { catalog } from "@/lib/catalog/client";
import { listAccounts } from "@/lib/auth/accounts";
import { requireStaffPage } from "@/lib/auth/page";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { ROLE_NAMES } from "@/lib/auth/roles";
import { AccountForms, RoleSelect } from "./account-forms";

export default async function AccountsPage() {
  const me = await requireStaffPage("manage-users");
  const accounts = await listAccounts(catalog());
  return (
    <section className="grid gap-4">
      <h1 className="text-2xl font-bold">Accounts</h1>
      <div className="overflow-x-auto rounded-lg bg-white">
        <table className="w-full text-left text-sm" data-testid="accounts">
          <thead>
            <tr className="border-b">
              {["Email", "Name", "Role", "Signed in", "Since"].map((h) => (
                <th key={h} className="p-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} className="border-b last:border-0">
                <td className="p-2">{a.email}</td>
                <td className="p-2">{a.name}</td>
                <td className="p-2">{a.id === me.id ? a.role : <RoleSelect userId={a.id} role={a.role ?? "user"} roles={ROLE_NAMES} />}</td>
                <td className="p-2">{a._count.sessions} session(s){a.banned ? " · banned" : ""}</td>
                <td className="p-2">{a.createdAt.toISOString().slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <AccountForms roles={ROLE_NAMES} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </section>
  );
}
