#!/usr/bin/env bash
# Prepares .gpucarry-vit/ for on-gpu-machine.sh, on this (CPU) machine: the bundled benchmark, Dawn for Node, the
# onnxruntime-web files it loads at run time, the model, a Node binary and the Vulkan loader. Large files are
# xz-compressed so the folder fits what the device tool carries (64 MiB). Run from the repo root after
# `npm run prepare:models`. Usage: bash bench/vit/prepare-gpu-carry.sh
set -eu
out=.gpucarry-vit
model=public/models/vit-tiny-imagenet.onnx
[ -f "$model" ] || { echo "no $model: run npm run prepare:models first" >&2; exit 1; }
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/ort"
npx esbuild bench/vit/node-compare.ts --bundle --platform=node --format=esm --external:webgpu --log-level=warning \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
  --outfile="$out/bench.mjs"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
xz -T0 -6 -c node_modules/webgpu/dist/linux-x64/dawn.node >"$out/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
dist=node_modules/onnxruntime-web/dist
for f in ort.webgpu.min.mjs ort.wasm.min.mjs ort-wasm-simd-threaded.asyncify.mjs ort-wasm-simd-threaded.mjs; do cp "$dist/$f" "$out/ort/"; done
cp node_modules/onnxruntime-web/package.json "$out/ort/"
for f in ort-wasm-simd-threaded.asyncify.wasm ort-wasm-simd-threaded.wasm; do xz -T0 -6 -c "$dist/$f" >"$out/ort/$f.xz"; done
xz -T0 -6 -c "$model" >"$out/model.onnx.xz"
xz -T0 -6 -c "$(command -v node)" >"$out/node.xz"
(cd "$out" && apt-get download libvulkan1 >/dev/null 2>&1) || echo "note: apt-get download libvulkan1 failed; the GPU machine must have the Vulkan loader" >&2
du -sh "$out"
find "$out" -type f -exec ls -la {} + | awk '{print $5, $9}'
