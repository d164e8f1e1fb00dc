import { readStream } from "../bytes";

// Reads a request body with a hard byte cap, so a huge upload is refused without being buffered.

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

export async function readLimitedBody(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  return readStream(req.body, (loaded) => {
    if (loaded > maxBytes) throw new BodyTooLarge(maxBytes);
  });
}
