// npm run admin:create -- [--email a@b.org] [--name "A. Reviewer"] [--role admin|reviewer] [--password ...]
// Creates an account in the catalog database (DATABASE_URL) through Better Auth, which hashes the password.
// Missing values are asked for; the password is read without echo (or as one line from a pipe), and is never
// printed. Prefer the prompt or a pipe to --password, which shows in the shell history and the process list.
import { createInterface } from "node:readline/promises";
import { Command } from "commander";
import { z } from "zod";
import { createAuth, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../lib/auth/auth";
import { ROLE_NAMES } from "../lib/auth/roles";
import { createCatalog } from "../lib/catalog/client";
import { settings } from "../lib/settings";

const program = new Command("admin:create")
  .description("create a reviewer or admin account in the catalog database")
  .option("--email <email>", "the account's email (its sign-in name)")
  .option("--name <name>", "the name shown in the audit log")
  .option("--role <role>", `one of ${ROLE_NAMES.join(", ")}`, "admin")
  .option("--password <password>", "the password (else asked for, without echo)")
  .parse();
const opts = program.opts<{ email?: string; name?: string; role: string; password?: string }>();

const input = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLE_NAMES as [string, ...string[]]),
  password: z.string().min(MIN_PASSWORD_LENGTH, `the password needs at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH),
});

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** A password typed at the terminal without echo, or one line from a pipe. */
async function askPassword(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = "";
    for await (const chunk of stdin) {
      text += chunk;
      if (text.includes("\n")) break;
    }
    return text.split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let typed = "";
    const onData = (s: string) => {
      for (const ch of s) {
        if (ch === "\r" || ch === "\n") {
          done();
          process.stderr.write("\n");
          return resolve(typed);
        }
        if (ch === "\u0003") {
          done();
          return reject(new Error("cancelled"));
        }
        if (ch === "\u007f" || ch === "\b") typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}

async function main() {
  const email = opts.email ?? (await ask("Email: "));
  const name = opts.name ?? (opts.email ? email.split("@")[0]! : (await ask("Name: ")) || email.split("@")[0]!);
  let password = opts.password;
  if (password === undefined) {
    password = await askPassword("Password: ");
    if (process.stdin.isTTY && password !== (await askPassword("Password again: "))) throw new Error("the two passwords differ");
  }
  const parsed = input.safeParse({ email, name, role: opts.role, password });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const s = settings();
  const db = createCatalog(s.databaseUrl);
  try {
    if (await db.user.findUnique({ where: { email: parsed.data.email }, select: { id: true } })) {
      throw new Error(`an account for ${parsed.data.email} exists already (an admin can change its role on /review/accounts)`);
    }
    const { user } = await createAuth(db, s).api.createUser({ body: parsed.data as typeof parsed.data & { role: "admin" } });
    console.log(`created ${user.role} account ${user.email} (id ${user.id}) in ${s.databaseUrl.startsWith("file:") ? s.databaseUrl : "the PostgreSQL catalog"}`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`admin:create: ${/no such table|does not exist/i.test(msg) ? `${msg}\nRun \`npm run db:migrate\` first.` : msg}`);
  process.exit(1);
});
