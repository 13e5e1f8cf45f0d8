/** Hand-written SVG for the bench chart: horizontal bar panels and one line panel, no dependencies. */

export interface Bar {
  label: string;
  /** One value per series; null when the figure is missing. */
  values: (number | null)[];
}

export interface BarPanel {
  title: string;
  series: { name: string; color: string }[];
  bars: Bar[];
  /** Upper end of the x axis. */
  max: number;
  /** Vertical reference lines, e.g. the goal and the limit. */
  marks: { at: number; label: string }[];
  /** How a value is printed beside its bar. */
  format?: (v: number) => string;
}

export interface LinePanel {
  title: string;
  points: { x: number; y: number }[];
  xLabel: string;
  yMax: number;
  marks: { at: number; label: string }[];
}

const W = 760;
const LABEL_W = 230;
const PLOT_W = W - LABEL_W - 70;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x: number, y: number, s: string, extra = '') => `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${esc(s)}</text>`;

/** A panel of grouped horizontal bars; returns its SVG and its height. */
export function barPanel(p: BarPanel, top: number): { svg: string; height: number } {
  const rowH = 10 * p.series.length + 10;
  const plotTop = top + 44;
  const height = 44 + p.bars.length * rowH + 30;
  const x = (v: number) => LABEL_W + (Math.min(v, p.max) / p.max) * PLOT_W;
  const fmt = p.format ?? ((v: number) => v.toFixed(3));
  const out = [text(10, top + 18, p.title, 'font-weight="bold" font-size="14"')];
  p.series.forEach((s, i) => {
    out.push(`<rect x="${LABEL_W + i * 190}" y="${top + 27}" width="10" height="10" fill="${s.color}"/>`);
    out.push(text(LABEL_W + 14 + i * 190, top + 36, s.name));
  });
  p.bars.forEach((bar, r) => {
    const y0 = plotTop + r * rowH;
    out.push(text(LABEL_W - 6, y0 + rowH / 2 + 2, bar.label, 'text-anchor="end"'));
    bar.values.forEach((v, i) => {
      if (v === null) return;
      const y = y0 + 4 + i * 10;
      out.push(`<rect x="${LABEL_W}" y="${y}" width="${(x(v) - LABEL_W).toFixed(1)}" height="8" fill="${p.series[i]!.color}"/>`);
      out.push(text(x(v) + 4, y + 8, fmt(v), 'font-size="10"'));
    });
  });
  const bottom = plotTop + p.bars.length * rowH;
  p.marks.forEach((m, i) => {
    out.push(`<line x1="${x(m.at)}" y1="${plotTop - 4}" x2="${x(m.at)}" y2="${bottom}" stroke="#444" stroke-dasharray="4 3"/>`);
    // Close marks would print over each other: every other label goes to the right of its line.
    const anchor = i % 2 ? 'start' : 'end';
    out.push(text(x(m.at) + (i % 2 ? 3 : -3), bottom + 14, m.label, `text-anchor="${anchor}" font-size="10"`));
  });
  out.push(`<line x1="${LABEL_W}" y1="${plotTop - 4}" x2="${LABEL_W}" y2="${bottom}" stroke="#000"/>`);
  return { svg: out.join('\n'), height };
}

/** A line over time with horizontal reference lines; returns its SVG and its height. */
export function linePanel(p: LinePanel, top: number): { svg: string; height: number } {
  const plotTop = top + 30;
  const plotH = 140;
  const xMax = Math.max(1, ...p.points.map((q) => q.x));
  const x = (v: number) => LABEL_W + (v / xMax) * PLOT_W;
  const y = (v: number) => plotTop + plotH - (Math.min(v, p.yMax) / p.yMax) * plotH;
  const out = [text(10, top + 18, p.title, 'font-weight="bold" font-size="14"')];
  const path = p.points.map((q, i) => `${i ? 'L' : 'M'}${x(q.x).toFixed(1)},${y(q.y).toFixed(1)}`).join(' ');
  out.push(`<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="2"/>`);
  for (const m of p.marks) {
    out.push(`<line x1="${LABEL_W}" y1="${y(m.at)}" x2="${LABEL_W + PLOT_W}" y2="${y(m.at)}" stroke="#d62728" stroke-dasharray="4 3"/>`);
    out.push(text(LABEL_W - 6, y(m.at) + 4, m.label, 'text-anchor="end" font-size="10"'));
  }
  for (const v of [0, p.yMax]) out.push(text(LABEL_W - 6, y(v) + 4, `${v} MB`, 'text-anchor="end" font-size="10"'));
  out.push(`<line x1="${LABEL_W}" y1="${plotTop + plotH}" x2="${LABEL_W + PLOT_W}" y2="${plotTop + plotH}" stroke="#000"/>`);
  out.push(text(LABEL_W + PLOT_W, plotTop + plotH + 14, `${xMax.toFixed(0)} ${p.xLabel}`, 'text-anchor="end" font-size="10"'));
  out.push(text(LABEL_W, plotTop + plotH + 14, '0', 'font-size="10"'));
  return { svg: out.join('\n'), height: 30 + plotH + 30 };
}

/** Stacks panels into one SVG document. */
export function document(panels: ((top: number) => { svg: string; height: number })[], footer: string[]): string {
  let top = 0;
  const parts: string[] = [];
  for (const panel of panels) {
    const { svg, height } = panel(top);
    parts.push(svg);
    top += height + 10;
  }
  for (const [i, line] of footer.entries()) parts.push(text(10, top + 10 + i * 14, line, 'font-size="10" fill="#555"'));
  const height = top + 10 + footer.length * 14;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
