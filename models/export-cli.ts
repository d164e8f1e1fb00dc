// `npm run model:export`: writes public/models/<model-id>.onnx. Idempotent: skips when the output is newer than the
// backbone, the optional head files and the export code (so setup/test scripts can call it every time).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, renameSync, readdirSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { settings } from "../lib/settings.ts";
import { BACKBONE_FILE, exportVitOnnx, type HeadSpec } from "./export-vit.ts";
import { readSafetensors } from "./safetensors.ts";

export const DEFAULT_MODEL_ID = "vit-tiny-imagenet";
export const DEFAULT_OUT_DIR = "public/models";

function codeFiles(): string[] {
  const here = import.meta.dirname;
  const vitDir = path.join(here, "..", "lib", "vit");
  return [
    ...readdirSync(here).filter((f) => f.endsWith(".ts")).map((f) => path.join(here, f)),
    path.join(vitDir, "onnx", "proto.ts"),
    path.join(vitDir, "model-meta.ts"),
    path.join(vitDir, "weights.ts"),
    path.join(here, "..", "lib", "attention", "rollout-reference.ts"), // the sink threshold of the cls_rollout output
  ];
}

function upToDate(out: string, inputs: string[]): boolean {
  if (!existsSync(out)) return false;
  const t = statSync(out).mtimeMs;
  return inputs.every((f) => statSync(f).mtimeMs <= t);
}

function readHead(file: string, labelsFile: string): HeadSpec {
  const t = readSafetensors(file);
  const weight = t.get("head.weight") ?? t.get("weight");
  const bias = t.get("head.bias") ?? t.get("bias");
  if (!weight || !bias) throw new Error(`${file}: needs tensors head.weight [C,192] and head.bias [C]`);
  const labels = readFileSync(labelsFile, "utf8").split("\n").map((s) => s.trim()).filter(Boolean);
  return { weight: weight.data, bias: bias.data, labels };
}

export type CliOptions = { out?: string; modelId: string; head?: string; labels?: string; temperature?: string; force?: boolean };

/** Writes the model unless up to date; returns the output path and whether it was (re)written. */
export function runExport(o: CliOptions): { out: string; written: boolean } {
  const backboneDir = settings().backboneDir;
  const out = path.resolve(o.out ?? path.join(DEFAULT_OUT_DIR, `${o.modelId}.onnx`));
  if ((o.head === undefined) !== (o.labels === undefined)) throw new Error("--head and --labels go together");
  const inputs = [path.join(backboneDir, BACKBONE_FILE), path.join(backboneDir, "imagenet1k_labels.txt"), ...codeFiles()];
  if (o.head && o.labels) inputs.push(o.head, o.labels);
  if (!o.force && o.temperature === undefined && upToDate(out, inputs)) return { out, written: false };
  const bytes = exportVitOnnx({
    backboneDir,
    modelId: o.modelId,
    head: o.head && o.labels ? readHead(o.head, o.labels) : undefined,
    temperature: o.temperature === undefined ? undefined : Number(o.temperature),
  });
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out); // atomic: a concurrent reader never sees half a model
  return { out, written: true };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const program = new Command()
    .name("model:export")
    .description("Export the ViT-Ti/16 backbone (+ optional species head) to ONNX with metadata")
    .option("--out <file>", "output .onnx path (default public/models/<model-id>.onnx)")
    .option("--model-id <id>", "model_id written into the metadata", DEFAULT_MODEL_ID)
    .option("--head <file>", "safetensors with head.weight [C,192] and head.bias [C]")
    .option("--labels <file>", "class labels, one a line, in head order")
    .option("--temperature <t>", "calibration temperature (probs = softmax(logits / t))")
    .option("--force", "write even when up to date")
    .parse();
  const r = runExport(program.opts<CliOptions>());
  console.log(r.written ? `wrote ${r.out}` : `up to date: ${r.out}`);
}
