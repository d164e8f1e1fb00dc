// Which model the site serves: a trained mushroom-species model when one has been shipped, else the
// ImageNet backbone export. Nothing downstream assumes a particular class list.
import { existsSync } from "node:fs";
import path from "node:path";
import { settings } from "../settings";

// Relative to the working directory: the server and the scripts run from the repo root (Next's server
// bundle has no import.meta.dirname).
export const MODEL_DIR = path.resolve("public/models");
const PREFERENCE = ["mushroom-species.onnx", "vit-tiny-imagenet.onnx"];

export type ShippedModel = { file: string; url: string; name: string };

export function shippedModel(dir = MODEL_DIR, chosen = settings().shippedModel): ShippedModel | null {
  for (const name of chosen ? [chosen] : PREFERENCE) {
    const file = path.join(dir, name);
    if (existsSync(file)) return { file, url: `/models/${name}`, name };
  }
  return null;
}
