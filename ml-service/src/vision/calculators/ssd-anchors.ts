// SSD anchor generation, following MediaPipe's SsdAnchorsCalculator (BlazeFace, palm, pose detectors).

export interface Anchor {
  xCenter: number;
  yCenter: number;
  w: number;
  h: number;
}

export interface SsdAnchorsOptions {
  numLayers: number;
  minScale: number;
  maxScale: number;
  inputSizeWidth: number;
  inputSizeHeight: number;
  strides: readonly number[];
  aspectRatios: readonly number[];
  anchorOffsetX?: number;
  anchorOffsetY?: number;
  /** Explicit feature map sizes per layer; derived from strides when absent. */
  featureMapWidth?: readonly number[];
  featureMapHeight?: readonly number[];
  reduceBoxesInLowestLayer?: boolean;
  /** Extra anchor per cell with the geometric-mean scale; ≤ 0 disables. MediaPipe default 1.0. */
  interpolatedScaleAspectRatio?: number;
  /** All anchors get w = h = 1 (box sizes are then absolute in the decoder). */
  fixedAnchorSize?: boolean;
}

function layerScale(minScale: number, maxScale: number, index: number, count: number): number {
  return count === 1 ? (minScale + maxScale) / 2 : minScale + ((maxScale - minScale) * index) / (count - 1);
}

/** Generates anchors in MediaPipe order: layer groups, then rows, columns, anchors per cell. */
export function generateSsdAnchors(o: SsdAnchorsOptions): Anchor[] {
  const anchors: Anchor[] = [];
  const strides = o.strides;
  const interpolated = o.interpolatedScaleAspectRatio ?? 1.0;
  const offsetX = o.anchorOffsetX ?? 0.5;
  const offsetY = o.anchorOffsetY ?? 0.5;
  let layer = 0;
  while (layer < o.numLayers) {
    const heights: number[] = [];
    const widths: number[] = [];
    let last = layer;
    while (last < strides.length && strides[last] === strides[layer]) {
      const scale = layerScale(o.minScale, o.maxScale, last, strides.length);
      const ratios: number[] = [];
      const scales: number[] = [];
      if (last === 0 && o.reduceBoxesInLowestLayer === true) {
        ratios.push(1.0, 2.0, 0.5);
        scales.push(0.1, scale, scale);
      } else {
        for (const ratio of o.aspectRatios) {
          ratios.push(ratio);
          scales.push(scale);
        }
        if (interpolated > 0) {
          const next = last === strides.length - 1 ? 1.0 : layerScale(o.minScale, o.maxScale, last + 1, strides.length);
          scales.push(Math.sqrt(scale * next));
          ratios.push(interpolated);
        }
      }
      for (let k = 0; k < ratios.length; k++) {
        const root = Math.sqrt(ratios[k]!);
        heights.push(scales[k]! / root);
        widths.push(scales[k]! * root);
      }
      last++;
    }
    const stride = strides[layer]!;
    const mapH = o.featureMapHeight?.[layer] ?? Math.ceil(o.inputSizeHeight / stride);
    const mapW = o.featureMapWidth?.[layer] ?? Math.ceil(o.inputSizeWidth / stride);
    for (let y = 0; y < mapH; y++) {
      for (let x = 0; x < mapW; x++) {
        for (let k = 0; k < heights.length; k++) {
          anchors.push({
            xCenter: (x + offsetX) / mapW,
            yCenter: (y + offsetY) / mapH,
            w: o.fixedAnchorSize === true ? 1 : widths[k]!,
            h: o.fixedAnchorSize === true ? 1 : heights[k]!,
          });
        }
      }
    }
    layer = last;
  }
  return anchors;
}
