#!/usr/bin/env bash
# Ours vs onnxruntime-web WebGPU vs onnxruntime-web wasm in one Node process on a bare Linux GPU machine (no Node, no
# browser). Prepare on the dev machine with prepare-gpu-carry.sh, then with the device tool:
#   run(command: "bash bench/vit/on-gpu-machine.sh $OUT", carry: [".gpucarry-vit"], timeout_s: 500)
# Extra arguments go to node-compare.ts (e.g. --iters 20). Writes $OUT/vit-node.json.
# Usage: bash bench/vit/on-gpu-machine.sh OUT_DIR [node-compare.ts options...]
set -eu
out=$(realpath "$1")
shift
carry=$(realpath .gpucarry-vit)
if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
  for f in "$carry"/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES=$icd
work=/tmp/vit-bench
rm -rf "$work"
cp -r "$carry" "$work"
find "$work" -name '*.xz' ! -name node.xz -exec xz -d {} +
node=$(command -v node || true)
if [ -z "$node" ]; then
  xz -dc "$work/node.xz" >/tmp/node && chmod +x /tmp/node
  node=/tmp/node
fi
gpu=$(nvidia-smi -L 2>/dev/null | head -1 || true)
echo "node $($node -v); ${gpu:-no nvidia-smi}"
mkdir -p "$out"
cd "$work"
"$node" bench.mjs --model model.onnx --ort-dist "$work/ort" --out "$out/vit-node.json" --machine "${gpu:-unknown}" "$@"
