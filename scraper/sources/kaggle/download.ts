// Download a Kaggle dataset's zip with the public API (GET /api/v1/datasets/download/<owner>/<dataset>,
// HTTP basic auth). Written atomically: a killed download never leaves a zip that looks complete.
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CriticalError } from "../../errors";
import type { KaggleCredentials } from "./credentials";

export async function downloadKaggleDataset(opts: {
  apiUrl: string;
  dataset: string;
  credentials: KaggleCredentials;
  dir: string;
  userAgent: string;
  timeoutMs?: number;
}): Promise<string> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(opts.dataset)) throw new CriticalError(`dataset must be owner/name, got ${opts.dataset}`, "kaggle-dataset");
  const url = `${opts.apiUrl.replace(/\/+$/, "")}/datasets/download/${opts.dataset}`;
  const auth = Buffer.from(`${opts.credentials.username}:${opts.credentials.key}`).toString("base64");
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { authorization: `Basic ${auth}`, "user-agent": opts.userAgent },
      redirect: "follow",
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30 * 60_000),
    });
  } catch (e) {
    const err = e as { message?: string; cause?: { code?: string; message?: string } };
    throw new CriticalError(
      `Kaggle download failed: could not reach ${new URL(url).host} (${err.cause?.code ?? err.cause?.message ?? err.message})`,
      "kaggle-unreachable",
    );
  }
  if (res.status === 401 || res.status === 403) {
    throw new CriticalError(`Kaggle refused the credentials for ${opts.dataset} (HTTP ${res.status}); check KAGGLE_USERNAME/KAGGLE_KEY and that you accepted the dataset's terms`, "kaggle-auth");
  }
  if (res.status === 404) throw new CriticalError(`Kaggle dataset ${opts.dataset} not found (HTTP 404)`, "kaggle-dataset");
  if (!res.ok || !res.body) throw new CriticalError(`Kaggle download of ${opts.dataset} failed: HTTP ${res.status}`, "kaggle-http");
  await mkdir(opts.dir, { recursive: true });
  const file = path.join(opts.dir, `${opts.dataset.replace("/", "__")}.zip`);
  const tmp = `${file}.${process.pid}.part`;
  try {
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), createWriteStream(tmp));
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new CriticalError(`Kaggle download of ${opts.dataset} broke off: ${(e as Error).message}`, "kaggle-http");
  }
  return file;
}
