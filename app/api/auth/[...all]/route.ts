// Better Auth's endpoints (sign-in, sign-out, session, admin): lib/auth/auth.ts configures them.
import { auth } from "@/lib/auth/auth";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = (req: Request) => auth().handler(req);
export { handle as GET, handle as POST };
