// Accounts for the admin's page (read-only here: creating and changing accounts goes through Better Auth's admin
// endpoints, which check the admin's permissions and the request's origin).
import type { Catalog } from "../catalog/client";

export async function listAccounts(db: Catalog) {
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, banned: true, createdAt: true, _count: { select: { sessions: true } } },
  });
}
