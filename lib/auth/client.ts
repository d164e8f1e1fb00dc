// Better Auth's browser client (same origin, /api/auth) for the sign-in form, sign-out and the admin's account page.
import { createAuthClient } from "better-auth/react";
import { adminClient } from "better-auth/client/plugins";
import { ac, roles } from "./roles";

export const authClient = createAuthClient({ plugins: [adminClient({ ac, roles })] });
