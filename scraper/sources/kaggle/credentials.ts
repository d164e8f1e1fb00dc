// Kaggle API credentials: KAGGLE_USERNAME/KAGGLE_KEY (via settings), else kaggle.json in the config dir.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { CriticalError } from "../../errors";

export type KaggleCredentials = { username: string; key: string };

const kaggleJson = z.object({ username: z.string().min(1), key: z.string().min(1) });

export async function resolveKaggleCredentials(s: {
  kaggleUsername?: string;
  kaggleKey?: string;
  kaggleConfigDir: string;
}): Promise<KaggleCredentials> {
  if (s.kaggleUsername && s.kaggleKey) return { username: s.kaggleUsername, key: s.kaggleKey };
  const file = path.join(s.kaggleConfigDir, "kaggle.json");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new CriticalError(
      `Kaggle credentials are not configured: set KAGGLE_USERNAME and KAGGLE_KEY, or put kaggle.json in ${s.kaggleConfigDir}`,
      "kaggle-credentials",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CriticalError(`${file} is not JSON`, "kaggle-credentials");
  }
  const c = kaggleJson.safeParse(parsed);
  if (!c.success) throw new CriticalError(`${file} needs "username" and "key"`, "kaggle-credentials");
  return c.data;
}
