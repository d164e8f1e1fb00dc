// Admins only; checked in a layout, before anything streams, so the refusal is a real 403.
import { requireStaffPage } from "@/lib/auth/page";

export default async function AccountsLayout({ children }: { children: React.ReactNode }) {
  await requireStaffPage("manage-users");
  return children;
}
