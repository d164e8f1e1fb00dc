// Turns an upload request into validated photo bytes, or a clear 4xx. The client's file name and declared
// content type are ignored: the format is sniffed from the bytes by sharp, and nothing is written here.
import { readLimitedBody, BodyTooLarge } from "../http/limited-body";
import { validateImage, type ImageLimits } from "../photos/validate";

export type UploadError = { status: 400 | 413 | 415 | 422; code: string; message: string };
export type UploadedPhotos = { photos: Buffer[]; fields: Record<string, string> };

export type UploadLimits = ImageLimits & { maxBodyBytes: number; maxPhotos: number };

const REJECT_STATUS = {
  empty: 400,
  "too-many-bytes": 413,
  "not-an-image": 415,
  "unsupported-format": 415,
  "too-many-pixels": 413,
  corrupt: 422,
} as const;

function fail(status: UploadError["status"], code: string, message: string): { ok: false; error: UploadError } {
  return { ok: false, error: { status, code, message } };
}

export async function readUpload(req: Request, limits: UploadLimits): Promise<{ ok: true; value: UploadedPhotos } | { ok: false; error: UploadError }> {
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readLimitedBody(req, limits.maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) return fail(413, "body-too-large", `The upload is larger than ${limits.maxBodyBytes} bytes.`);
    throw e;
  }
  if (body.byteLength === 0) return fail(400, "empty-body", "No photo was sent.");
  const type = req.headers.get("content-type") ?? "";
  const raw: Uint8Array[] = [];
  const fields: Record<string, string> = {};
  if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": type } }).formData();
    } catch {
      return fail(400, "bad-form", "The form data could not be read.");
    }
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields[key] = value.slice(0, 500);
      else if (key === "photo" && value.size > 0) {
        // The name is never used for storage, but a name trying to climb directories is refused outright.
        if (/[\\/\0]|\.\./.test(value.name)) return fail(400, "bad-filename", "The file name must not contain paths.");
        raw.push(new Uint8Array(await value.arrayBuffer()));
      }
    }
  } else {
    raw.push(body); // a bare image body; its declared type is not trusted either
  }
  if (raw.length === 0) return fail(400, "no-photo", "The form has no photo in its \"photo\" field.");
  if (raw.length > limits.maxPhotos) return fail(413, "too-many-photos", `At most ${limits.maxPhotos} photos of one find.`);
  const photos: Buffer[] = [];
  for (const [i, bytes] of raw.entries()) {
    const check = await validateImage(bytes, limits);
    if (!check.ok) {
      const which = raw.length > 1 ? `Photo ${i + 1}: ` : "";
      return fail(REJECT_STATUS[check.reason], check.reason, `${which}${explain(check.reason)} (${check.detail})`);
    }
    photos.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return { ok: true, value: { photos, fields } };
}

function explain(reason: keyof typeof REJECT_STATUS): string {
  switch (reason) {
    case "empty":
      return "The photo is empty.";
    case "too-many-bytes":
      return "The photo file is too large.";
    case "not-an-image":
      return "This file is not an image.";
    case "unsupported-format":
      return "Use a JPEG, PNG, WebP, GIF or AVIF photo.";
    case "too-many-pixels":
      return "The image has too many pixels.";
    case "corrupt":
      return "The image is damaged or incomplete.";
  }
}
