// The served model's `features` output (final LayerNorm of the class token) for one stored photo, and its row in
// PhotoEmbedding, so that prototypes can be averaged from approved photos without retraining.
import path from "node:path";
import * as ort from "onnxruntime-node";
import type { Catalog } from "../catalog/client";
import { serverModel } from "../identify/server-classifier";
import { fileSha256, shippedModelFile } from "../identify/shipped-model";
import { preprocessImageFile } from "../vit/preprocess-node.ts";

export type Embedding = { features: Float32Array; dim: number; modelSha256: string };

/** Features of an image file with the model the server serves. */
export async function embedImage(imageFile: string): Promise<Embedding> {
  const shipped = shippedModelFile();
  if (!shipped) throw new Error("No model in public/models: run `npm run prepare:models`");
  const [{ session, meta }, modelSha256] = await Promise.all([serverModel(), fileSha256(shipped.file)]);
  if (!session.outputNames.includes("features")) throw new Error(`${shipped.name} has no "features" output`);
  const pixels = await preprocessImageFile(imageFile, meta);
  const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", pixels, [1, 3, meta.imageSize, meta.imageSize]) }, ["features"]);
  const features = Float32Array.from(out.features!.data as Float32Array);
  if (features.length !== meta.embedDim) throw new Error(`features has ${features.length} values, the model's metadata says ${meta.embedDim}`);
  return { features, dim: features.length, modelSha256 };
}

/** Float32 little-endian bytes, the layout of PhotoEmbedding.vector. */
export function vectorBytes(v: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(new ArrayBuffer(v.length * 4));
  const view = new DataView(out.buffer);
  v.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return out;
}

export function vectorFromBytes(bytes: Uint8Array, dim: number): Float32Array {
  if (bytes.byteLength !== dim * 4) throw new Error(`embedding has ${bytes.byteLength} bytes, expected ${dim * 4}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: dim }, (_, i) => view.getFloat32(i * 4, true));
}

/** Embed a photo from the store (its training derivative when there is one) and keep the vector. */
export async function storePhotoEmbedding(db: Catalog, storeRoot: string, photoId: number): Promise<{ modelSha256: string; dim: number }> {
  const photo = await db.photo.findUniqueOrThrow({ where: { id: photoId }, select: { filePath: true, trainPath: true } });
  const file = path.resolve(storeRoot, photo.trainPath ?? photo.filePath);
  if (!file.startsWith(path.resolve(storeRoot) + path.sep)) throw new Error(`photo ${photoId}: path outside the photo store`);
  const e = await embedImage(file);
  const data = { modelSha256: e.modelSha256, dim: e.dim, vector: vectorBytes(e.features) };
  await db.photoEmbedding.upsert({ where: { photoId }, create: { photoId, ...data }, update: { ...data, createdAt: new Date() } });
  return { modelSha256: e.modelSha256, dim: e.dim };
}
