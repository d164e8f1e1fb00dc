// Who may do what, in Better Auth's access-control terms (its admin plugin checks the same roles).
//   user     signed in, no rights (what an account is until an admin gives it a role)
//   reviewer reviews contributed photos
//   admin    reviews, and manages accounts (create, set role, ban, revoke sessions)
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";

export const statements = { ...defaultStatements, photo: ["review"] } as const;
export const ac = createAccessControl(statements);

export const roles = {
  user: ac.newRole({ user: [], session: [], photo: [] }),
  reviewer: ac.newRole({ user: [], session: [], photo: ["review"] }),
  admin: ac.newRole({ ...adminAc.statements, photo: ["review"] }),
};
export type RoleName = keyof typeof roles;
export const ROLE_NAMES = Object.keys(roles) as RoleName[];
/** Accounts have this role until given another. */
export const DEFAULT_ROLE: RoleName = "user";

/** Whether a user's role string (Better Auth stores "a,b" for several) grants the permissions. */
export function roleAllows(role: string | null | undefined, permissions: Parameters<(typeof roles)["admin"]["authorize"]>[0]): boolean {
  return (role || DEFAULT_ROLE)
    .split(",")
    .map((r) => r.trim())
    .some((r) => Object.hasOwn(roles, r) && roles[r as RoleName].authorize(permissions).success);
}

export const canReview = (role: string | null | undefined) => roleAllows(role, { photo: ["review"] });
export const canManageUsers = (role: string | null | undefined) => roleAllows(role, { user: ["create", "set-role"] });
