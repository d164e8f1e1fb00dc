#!/usr/bin/env bash
# How the real-GPU results were made: run on a bare Linux GPU machine without Node or npm, from the repo root, with
#   .gl/        the Vulkan loader .deb (apt-get download libvulkan1)
#   .gpucarry/  bench.mjs (esbuild bundle of run.ts, webgpu external), node_modules/webgpu (index.js, package.json,
#               dist/linux-x64/dawn.node) and node.xz (a Node 20 binary, xz-compressed)
# Usage: bash bench/attention/on-gpu-machine.sh OUT_DIR [run.ts options...]
set -u
out=$1
shift
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
node=$(command -v node || true)
if [ -z "$node" ]; then
  xz -dc .gpucarry/node.xz >/tmp/node && chmod +x /tmp/node
  node=/tmp/node
fi
echo "node $($node -v); $(nvidia-smi -L 2>&1 | head -1)"
cd .gpucarry && "$node" bench.mjs --out "$out" "$@"
