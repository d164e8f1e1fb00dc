// The one place that reads process.env: every setting is typed, validated and has a default.
import os from "node:os";
import path from "node:path";
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must be file:... (SQLite) or postgresql://...")
    .default("file:./dev.db"),
  /** A PostgreSQL database the tests may wipe (also used to diff the PostgreSQL schema). */
  POSTGRES_TEST_URL: z.string().regex(/^postgres(ql)?:\/\//).default("postgresql://postgres:postgres@127.0.0.1:5432/mushroom_test"),
  /** Folder with the source data sets (mushroom-world-2023/, photo folders, ...). */
  DATA_DIR: z.string().min(1).default("../shared/data"),
  /** Pretrained backbone folder. */
  BACKBONE_DIR: z.string().min(1).default("../shared/models/vit-tiny-augreg"),
  /** Where the catalog stores photo bytes, derivatives and thumbnails. */
  PHOTO_STORE: z.string().min(1).default("./var/photos"),
  /** File name in public/models/ to serve instead of the default choice (a trained species model, else the backbone). */
  SHIPPED_MODEL: z.string().regex(/^[\w.-]+\.onnx$/, "SHIPPED_MODEL must be a .onnx file name in public/models").optional(),
  /** Largest request body the upload endpoints read (all photos of one find together). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** Largest single photo, in bytes and in pixels (decompression-bomb guard). */
  PHOTO_MAX_BYTES: z.coerce.number().int().positive().default(12 * 1024 * 1024),
  PHOTO_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  /** Port and interface the site's server (server.ts) listens on. */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /**
   * Reverse proxies in front of the server whose X-Forwarded-For entries are trusted (0: none, the header is
   * ignored and the TCP peer is the client). Set it to the number of proxies you run, never more.
   */
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Server-side classifications run at once (each uses onnxruntime's own threads), and how many may wait. */
  CLASSIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  CLASSIFY_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  /** Requests per minute per client for /api/identify and /api/contributions. */
  UPLOAD_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /**
   * The site's public origin (https://mushrooms.example). Sign-in and review mutations accept only requests from
   * it. Unset: each request's own origin (Host header) is expected, which is right for one server without a proxy.
   */
  SITE_URL: z.string().url().regex(/^https?:\/\//, "SITE_URL must be http(s)://...").optional(),
  /**
   * Key that signs session cookies (32+ characters; every instance must share it). Unset: one is generated into
   * AUTH_SECRET_FILE on first use, which suits one machine.
   */
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must have at least 32 characters").optional(),
  AUTH_SECRET_FILE: z.string().min(1).default("./var/auth-secret"),
  /** Sign-in attempts allowed per account and per client address in each window. */
  SIGNIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  SIGNIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  SIGNIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  /** Contact URL put into the scraper's User-Agent. */
  SCRAPER_CONTACT_URL: z.string().url().default("https://github.com/mushroom-id/mushroom-id#scraper"),
  /** Kaggle API credentials for `scrape kaggle --download` (else KAGGLE_CONFIG_DIR/kaggle.json is read). */
  KAGGLE_USERNAME: z.string().min(1).optional(),
  KAGGLE_KEY: z.string().min(1).optional(),
  KAGGLE_CONFIG_DIR: z.string().min(1).optional(),
  /** GPU_VALIDATE=1 re-runs each GPU op through its float64 reference and asserts closeness (slow; for debugging). */
  GPU_VALIDATE: z.enum(["0", "1", "true", "false"]).default("0"),
  /** Vulkan ICD that Node's WebGPU falls back to when no GPU driver is found (Chromium's SwiftShader; "" disables). */
  GPU_FALLBACK_ICD: z.string().default("/usr/lib/chromium/vk_swiftshader_icd.json"),
});

export type Settings = {
  databaseUrl: string;
  postgresTestUrl: string;
  dataDir: string;
  backboneDir: string;
  photoStore: string;
  scraperContactUrl: string;
  shippedModel?: string;
  uploadMaxBytes: number;
  photoMaxBytes: number;
  photoMaxPixels: number;
  uploadRatePerMinute: number;
  /** Public origin of the site, without a trailing slash (undefined: each request's own origin). */
  siteUrl?: string;
  authSecret?: string;
  authSecretFile: string;
  signInAttemptsPerAccount: number;
  signInAttemptsPerAddress: number;
  signInWindowSeconds: number;
  classifyConcurrency: number;
  classifyQueue: number;
  port: number;
  host: string;
  trustedProxies: number;
  kaggleUsername?: string;
  kaggleKey?: string;
  /** Folder holding kaggle.json (default ~/.kaggle). */
  kaggleConfigDir: string;
  gpuValidate: boolean;
  gpuFallbackIcd: string;
};

let cached: Settings | undefined;

/** Settings from the environment, validated once; relative paths resolve against the working directory. */
export function settings(env: NodeJS.ProcessEnv = process.env): Settings {
  if (env === process.env && cached) return cached;
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")),
  );
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid settings: ${msg}`);
  }
  const s = parsed.data;
  const out: Settings = {
    databaseUrl: s.DATABASE_URL,
    postgresTestUrl: s.POSTGRES_TEST_URL,
    dataDir: path.resolve(s.DATA_DIR),
    backboneDir: path.resolve(s.BACKBONE_DIR),
    photoStore: path.resolve(s.PHOTO_STORE),
    scraperContactUrl: s.SCRAPER_CONTACT_URL,
    shippedModel: s.SHIPPED_MODEL,
    uploadMaxBytes: s.UPLOAD_MAX_BYTES,
    photoMaxBytes: s.PHOTO_MAX_BYTES,
    photoMaxPixels: s.PHOTO_MAX_PIXELS,
    uploadRatePerMinute: s.UPLOAD_RATE_PER_MINUTE,
    siteUrl: s.SITE_URL ? new URL(s.SITE_URL).origin : undefined,
    authSecret: s.AUTH_SECRET,
    authSecretFile: path.resolve(s.AUTH_SECRET_FILE),
    signInAttemptsPerAccount: s.SIGNIN_ATTEMPTS_PER_ACCOUNT,
    signInAttemptsPerAddress: s.SIGNIN_ATTEMPTS_PER_ADDRESS,
    signInWindowSeconds: s.SIGNIN_WINDOW_SECONDS,
    classifyConcurrency: s.CLASSIFY_CONCURRENCY,
    classifyQueue: s.CLASSIFY_QUEUE,
    port: s.PORT,
    host: s.HOST,
    trustedProxies: s.TRUSTED_PROXIES,
    kaggleUsername: s.KAGGLE_USERNAME,
    kaggleKey: s.KAGGLE_KEY,
    kaggleConfigDir: path.resolve(/* turbopackIgnore: true */ s.KAGGLE_CONFIG_DIR ?? path.join(os.homedir(), ".kaggle")),
    gpuValidate: s.GPU_VALIDATE === "1" || s.GPU_VALIDATE === "true",
    gpuFallbackIcd: s.GPU_FALLBACK_ICD,
  };
  if (env === process.env) cached = out;
  return out;
}
