import { catalog } from "@/lib/catalog/client";
import { listAccounts } from "@/lib/auth/accounts";
import { requireStaffPage } from "@/lib/auth/page";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/auth";
import { ROLE_NAMES } from "@/lib/auth/roles";
import { AccountForms, RoleSelect } from "./account-forms";
import { DataTable } from "../../_components/data-table";

export default async function AccountsPage() {
  const me = await requireStaffPage("manage-users");
  const accounts = await listAccounts(catalog());
  return (
    <section className="grid gap-4">
      <h1 className="text-2xl font-bold">Accounts</h1>
      <DataTable headings={["Email", "Name", "Role", "Signed in", "Since"]} testId="accounts">
        {accounts.map((a) => (
          <tr key={a.id} className="border-b last:border-0">
            <td className="p-2">{a.email}</td>
            <td className="p-2">{a.name}</td>
            <td className="p-2">{a.id === me.id ? a.role : <RoleSelect userId={a.id} role={a.role ?? "user"} roles={ROLE_NAMES} />}</td>
            <td className="p-2">{a._count.sessions} session(s){a.banned ? " · banned" : ""}</td>
            <td className="p-2">{a.createdAt.toISOString().slice(0, 10)}</td>
          </tr>
        ))}
      </DataTable>
      <AccountForms roles={ROLE_NAMES} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </section>
  );
}
