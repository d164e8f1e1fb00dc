// WGSL snippets shared by the attention kernels (all tensors are f32).

/** `vec4<f32>` built from 4 consecutive elements of storage array<f32> `arr` at `i`. */
export function load4(arr: string, i: string): string {
  return `vec4<f32>(${arr}[${i}], ${arr}[${i} + 1u], ${arr}[${i} + 2u], ${arr}[${i} + 3u])`;
}

/** Statements storing vec4<f32> `value` into 4 consecutive elements of `arr` at `i`. */
export function store4(arr: string, i: string, value: string): string {
  return [0, 1, 2, 3].map((c) => `${arr}[${i} + ${c}u] = ${value}[${c}];`).join(" ");
}

/**
 * Cooperative load of a bc x d tile (rows `base`..`base+bc`) of each named view into workgroup arrays of vec4 (rows past
 * n are zero). `pairs` maps a storage array and its view expression to a workgroup array.
 */
export function tileLoader(fnName: string, pairs: { src: string; view: string; dst: string }[]): string {
  return /* wgsl */ `
fn ${fnName}(base: u32, b: u32, h: u32, lid: u32) {
  for (var i = lid; i < BC * D4; i += BR) {
    let r = i / D4;
    let c = (i % D4) * 4u;
    let row = base + r;
    if (row < p.n) {
${pairs.map(({ src, view, dst }) => `      let i_${dst} = at(${view}, b, h, row) + c;\n      ${dst}[i] = ${load4(src, `i_${dst}`)};`).join("\n")}
    } else {
${pairs.map(({ dst }) => `      ${dst}[i] = vec4<f32>(0);`).join("\n")}
    }
  }
}`;
}

/** Sum or max over a workgroup of WG invocations (WG a power of two): each writes red[lid], then calls reduce(). */
export const WORKGROUP_REDUCE = /* wgsl */ `
var<workgroup> red: array<f32, WG>;
fn reduce(lid: u32, isMax: bool) -> f32 {
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (lid < stride) { red[lid] = select(red[lid] + red[lid + stride], max(red[lid], red[lid + stride]), isMax); }
  }
  workgroupBarrier();
  let r = red[0];
  workgroupBarrier();
  return r;
}`;
