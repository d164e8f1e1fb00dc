// Remembers which backend was measured fastest, per device and model, so the measurement runs once: in localStorage
// under a key naming the model (its SHA-256) and the device (the WebGPU adapter's description, or "no WebGPU").
import { z } from "zod";
import type { BackendName } from "./backends.ts";

/** The part of Web Storage this needs (localStorage in the page; a Map in tests). */
export type ChoiceStore = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const backendName = z.enum(["webgpu-engine", "ort-webgpu", "ort-wasm"]);

export const backendTiming = z.object({
  backend: backendName,
  /** Session or engine creation. */
  loadMs: z.number(),
  /** The first classify() (compiles shaders). */
  firstMs: z.number(),
  /** Median of the timed classify() calls after it. */
  runMs: z.number(),
});
export type BackendTiming = z.infer<typeof backendTiming>;

const storedChoice = z.object({ backend: backendName, reason: z.string(), timings: z.array(backendTiming), at: z.string() });
export type StoredChoice = z.infer<typeof storedChoice>;

/** Bump when the way the choice is made changes, so old choices are measured again. */
const VERSION = 1;

export function choiceKey(modelSha256: string, device: string): string {
  return `mushroom-id:backend:v${VERSION}:${modelSha256}:${device}`;
}

/** localStorage when the page may use it (it throws in some private modes), else null. */
export function defaultStore(): ChoiceStore | null {
  try {
    const s = (globalThis as { localStorage?: Storage }).localStorage;
    if (!s) return null;
    s.getItem("mushroom-id:probe");
    return s;
  } catch {
    return null;
  }
}

export function readChoice(store: ChoiceStore | null, key: string): StoredChoice | null {
  try {
    const raw = store?.getItem(key);
    if (!raw) return null;
    const parsed = storedChoice.safeParse(JSON.parse(raw));
    if (!parsed.success) store?.removeItem(key);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeChoice(store: ChoiceStore | null, key: string, choice: StoredChoice): void {
  try {
    store?.setItem(key, JSON.stringify(choice));
  } catch {
    // quota or private mode: the next visit measures again
  }
}

export function forgetChoice(store: ChoiceStore | null, key: string): void {
  try {
    store?.removeItem(key);
  } catch {
    // nothing to do
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const copy = new Uint8Array(bytes); // digest() wants an ArrayBuffer-backed view
  const d = new Uint8Array(await crypto.subtle.digest("SHA-256", copy));
  return Array.from(d, (b) => b.toString(16).padStart(2, "0")).join("");
}
