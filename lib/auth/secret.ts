// The key that signs session cookies: AUTH_SECRET when set (several instances must share one), else a random key
// made once and kept in AUTH_SECRET_FILE so that restarts keep people signed in.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { settings } from "../settings";

export function authSecret(s = settings()): string {
  if (s.authSecret) return s.authSecret;
  try {
    const kept = readFileSync(s.authSecretFile, "utf8").trim();
    if (kept.length >= 32) return kept;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  mkdirSync(path.dirname(s.authSecretFile), { recursive: true });
  const made = randomBytes(32).toString("base64url");
  try {
    // "wx": if another process wrote one first, use theirs.
    writeFileSync(s.authSecretFile, made + "\n", { mode: 0o600, flag: "wx" });
    return made;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return readFileSync(s.authSecretFile, "utf8").trim();
  }
}
