// Plots as plain SVG strings (no plotting dependency): a reliability diagram and per-species accuracy bars.
import type { ReliabilityBin } from "../train/calibration.ts";
import type { SpeciesScore } from "../train/metrics.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const f2 = (v: number) => v.toFixed(2);

/** Bars: accuracy per confidence bin (bar width shows the bin); dashed diagonal: perfect calibration. */
export function reliabilitySvg(bins: ReliabilityBin[], title: string): string {
  const W = 420;
  const H = 420;
  const m = { l: 56, r: 16, t: 40, b: 52 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const x = (v: number) => m.l + v * pw;
  const y = (v: number) => m.t + (1 - v) * ph;
  const total = bins.reduce((s, b) => s + b.count, 0) || 1;
  const bars = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const gap = `<rect x="${f2(x(b.lo))}" y="${f2(y(Math.max(b.accuracy, b.confidence)))}" width="${f2(x(b.hi) - x(b.lo))}" height="${f2(Math.abs(y(b.accuracy) - y(b.confidence)))}" fill="#e45756" fill-opacity="0.35"/>`;
      const bar = `<rect x="${f2(x(b.lo))}" y="${f2(y(b.accuracy))}" width="${f2(x(b.hi) - x(b.lo))}" height="${f2(y(0) - y(b.accuracy))}" fill="#4c78a8" stroke="#fff"><title>${f2(b.lo)}-${f2(b.hi)}: ${b.count} photos (${((100 * b.count) / total).toFixed(1)}%), accuracy ${f2(b.accuracy)}, confidence ${f2(b.confidence)}</title></rect>`;
      return bar + gap;
    })
    .join("\n");
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => `<text x="${f2(x(v))}" y="${H - m.b + 16}" text-anchor="middle">${v}</text><text x="${m.l - 6}" y="${f2(y(v) + 4)}" text-anchor="end">${v}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="13">${esc(title)}</text>
<rect x="${m.l}" y="${m.t}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>
${bars}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#333" stroke-dasharray="4 3"/>
${ticks}
<text x="${m.l + pw / 2}" y="${H - 12}" text-anchor="middle">confidence (top-1 probability)</text>
<text transform="translate(16 ${m.t + ph / 2}) rotate(-90)" text-anchor="middle">accuracy</text>
</svg>
`;
}

/** Horizontal bars, worst species first, labelled with correct/support. */
export function perSpeciesSvg(scores: SpeciesScore[], title: string): string {
  const rows = [...scores].sort((a, b) => a.accuracy - b.accuracy || a.label.localeCompare(b.label));
  const rowH = 18;
  const m = { l: 240, r: 70, t: 40, b: 30 };
  const W = 720;
  const pw = W - m.l - m.r;
  const H = m.t + m.b + rowH * Math.max(1, rows.length);
  const body = rows
    .map((s, i) => {
      const yy = m.t + i * rowH;
      return `<text x="${m.l - 6}" y="${yy + 13}" text-anchor="end">${esc(s.label)}</text>
<rect x="${m.l}" y="${yy + 3}" width="${f2(pw * s.accuracy)}" height="${rowH - 6}" fill="${s.accuracy >= 0.75 ? "#54a24b" : s.accuracy >= 0.5 ? "#eeca3b" : "#e45756"}"/>
<text x="${f2(m.l + pw * s.accuracy + 4)}" y="${yy + 13}">${s.correct}/${s.support}</text>`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="22" text-anchor="middle" font-size="13">${esc(title)}</text>
<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#999"/>
<line x1="${m.l + pw * 0.75}" y1="${m.t}" x2="${m.l + pw * 0.75}" y2="${H - m.b}" stroke="#999" stroke-dasharray="3 3"/>
<text x="${m.l + pw * 0.75}" y="${H - m.b + 14}" text-anchor="middle">75% goal</text>
${body}
</svg>
`;
}
