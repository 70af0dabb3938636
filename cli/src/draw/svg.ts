// A tiny SVG builder in pixel coordinates: lines of landmark connections, dots, circles, boxes and
// outlined labels. Only what the overlays need.
import type { Connection } from './connections.js';

/** A point in pixels. */
export interface Px {
  x: number;
  y: number;
}

const f = (v: number): string => v.toFixed(1);
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Collects SVG elements; `toString()` gives the document. */
export class Svg {
  private readonly parts: string[] = [];

  constructor(readonly width: number, readonly height: number) {}

  /** A stroke width that reads well at this image size. */
  get unit(): number {
    return Math.max(1, Math.min(this.width, this.height) / 400);
  }

  /** Normalized landmark → pixels. */
  px(p: { x: number; y: number }): Px {
    return { x: p.x * this.width, y: p.y * this.height };
  }

  /** One path with every connection between the given points (missing indices skipped). */
  connections(points: readonly (Px | undefined)[], conns: readonly Connection[], color: string, width: number, opacity = 1): void {
    let d = '';
    for (const [a, b] of conns) {
      const p = points[a];
      const q = points[b];
      if (p && q) d += `M${f(p.x)} ${f(p.y)}L${f(q.x)} ${f(q.y)}`;
    }
    if (d) this.parts.push(`<path d="${d}" stroke="${color}" stroke-width="${f(width)}" stroke-opacity="${opacity}" fill="none" stroke-linecap="round"/>`);
  }

  dots(points: readonly Px[], r: number, color: string): void {
    const body = points.map((p) => `<circle cx="${f(p.x)}" cy="${f(p.y)}" r="${f(r)}"/>`).join('');
    this.parts.push(`<g fill="${color}" stroke="black" stroke-width="${f(r / 3)}">${body}</g>`);
  }

  circle(c: Px, r: number, color: string, width: number): void {
    this.parts.push(`<circle cx="${f(c.x)}" cy="${f(c.y)}" r="${f(r)}" stroke="${color}" stroke-width="${f(width)}" fill="none"/>`);
  }

  rect(x: number, y: number, w: number, h: number, color: string, width: number): void {
    this.parts.push(`<rect x="${f(x)}" y="${f(y)}" width="${f(w)}" height="${f(h)}" stroke="${color}" stroke-width="${f(width)}" fill="none"/>`);
  }

  arrow(from: Px, to: Px, color: string, width: number): void {
    const ang = Math.atan2(to.y - from.y, to.x - from.x);
    const head = width * 4;
    const l = { x: to.x - head * Math.cos(ang - 0.45), y: to.y - head * Math.sin(ang - 0.45) };
    const r = { x: to.x - head * Math.cos(ang + 0.45), y: to.y - head * Math.sin(ang + 0.45) };
    this.parts.push(`<path d="M${f(from.x)} ${f(from.y)}L${f(to.x)} ${f(to.y)}M${f(l.x)} ${f(l.y)}L${f(to.x)} ${f(to.y)}L${f(r.x)} ${f(r.y)}" ` +
      `stroke="${color}" stroke-width="${f(width)}" fill="none" stroke-linecap="round"/>`);
  }

  /** Text with a dark outline so it reads on any background; `at` is the baseline start. */
  label(at: Px, text: string, color: string, size: number): void {
    const x = Math.min(Math.max(2, at.x), this.width - size * text.length * 0.55);
    const y = Math.min(Math.max(size, at.y), this.height - 2);
    this.parts.push(`<text x="${f(x)}" y="${f(y)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${f(size)}" font-weight="bold" ` +
      `fill="${color}" stroke="black" stroke-width="${f(size / 8)}" paint-order="stroke">${esc(text)}</text>`);
  }

  toString(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}" viewBox="0 0 ${this.width} ${this.height}">${this.parts.join('')}</svg>`;
  }
}
