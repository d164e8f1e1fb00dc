// Exact-form GELU in WGSL, which has no erf builtin: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7, below f32 noise
// at the magnitudes a ViT's MLP sees).
export const GELU_WGSL = /* wgsl */ `
fn erf_approx(x: f32) -> f32 {
  // Clamped: erf(6) is 1 in f32, and exp(-z*z) past that is a denormal, which CPU adapters process very slowly.
  let z = min(abs(x), 6.0);
  let t = 1.0 / (1.0 + 0.3275911 * z);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-z * z);
  return select(-y, y, x >= 0.0);
}
fn gelu(x: f32) -> f32 { return 0.5 * x * (1.0 + erf_approx(x * 0.70710678118654752)); }`;
