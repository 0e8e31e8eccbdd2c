// The Dataset view's two plots, drawn as SVG with the editor's theme colours. Written by hand:
// two bar charts do not justify a charting library in a webview bundle (and its CSP).
import type { HistogramBin } from "../src/core/budget/distribution";

const svgNs = "http://www.w3.org/2000/svg";

function svgElement<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNs, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A theme colour resolved now (exported files cannot read the editor's CSS variables). */
export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

const compact = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));

export interface Plot {
  svg: SVGSVGElement;
  bars: number;
  limitMarker: boolean;
}

/** Rows per token-length bin; bins past `sequence_len` in the error colour, a dashed line at the limit. */
export function histogramPlot(bins: HistogramBin[], sequenceLen: number | undefined, approximate: boolean): Plot {
  const width = 560;
  const height = 220;
  const left = 48;
  const bottom = 36;
  const top = 16;
  const plotWidth = width - left - 12;
  const plotHeight = height - top - bottom;
  const maxRows = Math.max(1, ...bins.map((b) => b.rows));
  const maxTo = Math.max(1, bins[bins.length - 1]?.to ?? 1);
  const x = (tokens: number) => left + (tokens / maxTo) * plotWidth;
  const y = (rows: number) => top + plotHeight - (rows / maxRows) * plotHeight;
  const fg = themeColor("--vscode-foreground", "#cccccc");
  const bar = themeColor("--vscode-charts-blue", "#3794ff");
  const over = themeColor("--vscode-charts-red", "#f14c4c");
  const svg = svgElement("svg", { xmlns: svgNs, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: "plot histogram" });
  svg.append(svgElement("title", {}, `Rows by ${approximate ? "estimated " : ""}tokens per row${sequenceLen ? `, sequence_len ${sequenceLen}` : ""}`));
  let drawn = 0;
  for (const bin of bins) {
    if (bin.rows === 0) continue;
    const beyond = sequenceLen !== undefined && bin.from >= sequenceLen;
    const rect = svgElement("rect", {
      x: x(bin.from) + 0.5,
      y: y(bin.rows),
      width: Math.max(1, x(bin.to) - x(bin.from) - 1),
      height: top + plotHeight - y(bin.rows),
      fill: beyond ? over : bar,
      class: beyond ? "bar over-limit" : "bar",
    });
    rect.append(
      svgElement("title", {}, `${bin.from.toLocaleString("en-US")}–${bin.to.toLocaleString("en-US")} tokens: ${bin.rows.toLocaleString("en-US")} rows`),
    );
    svg.append(rect);
    drawn++;
  }
  svg.append(svgElement("line", { x1: left, y1: top + plotHeight, x2: width - 12, y2: top + plotHeight, stroke: fg, "stroke-opacity": 0.5 }));
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    const tokens = Math.round(tick * maxTo);
    svg.append(
      svgElement(
        "text",
        { x: x(tokens), y: height - bottom + 14, fill: fg, "font-size": 10, "text-anchor": tick === 1 ? "end" : tick === 0 ? "start" : "middle" },
        compact(tokens),
      ),
    );
  }
  svg.append(svgElement("text", { x: left - 6, y: top + 8, fill: fg, "font-size": 10, "text-anchor": "end" }, compact(maxRows)));
  svg.append(svgElement("text", { x: left - 6, y: top + plotHeight, fill: fg, "font-size": 10, "text-anchor": "end" }, "0"));
  svg.append(
    svgElement(
      "text",
      { x: left + plotWidth / 2, y: height - 4, fill: fg, "font-size": 11, "text-anchor": "middle" },
      `${approximate ? "≈ " : ""}tokens per row`,
    ),
  );
  svg.append(
    svgElement(
      "text",
      { x: 10, y: top + plotHeight / 2, fill: fg, "font-size": 11, "text-anchor": "middle", transform: `rotate(-90 10 ${top + plotHeight / 2})` },
      "rows",
    ),
  );
  let limitMarker = false;
  if (sequenceLen !== undefined) {
    const at = x(sequenceLen);
    svg.append(
      svgElement("line", { x1: at, y1: top - 4, x2: at, y2: top + plotHeight, stroke: over, "stroke-width": 2, "stroke-dasharray": "4 3", class: "limit" }),
    );
    svg.append(
      svgElement("text", { x: at - 4, y: top + 6, fill: over, "font-size": 10, "text-anchor": "end" }, `sequence_len ${sequenceLen.toLocaleString("en-US")}`),
    );
    limitMarker = true;
  }
  return { svg, bars: drawn, limitMarker };
}

/** Optimizer steps in all epochs without and with sample packing; the one the config uses is marked. */
export function stepsPlot(withoutPacking: number, withPacking: number | undefined, packingOn: boolean): Plot {
  const width = 560;
  const rowHeight = 30;
  const rows: Array<[string, number, boolean]> = [["without packing", withoutPacking, !packingOn]];
  if (withPacking !== undefined) rows.push(["with sample packing", withPacking, packingOn]);
  const height = rows.length * rowHeight + 12;
  const left = 140;
  const maxSteps = Math.max(1, ...rows.map((r) => r[1]));
  const fg = themeColor("--vscode-foreground", "#cccccc");
  const used = themeColor("--vscode-charts-green", "#89d185");
  const other = themeColor("--vscode-charts-blue", "#3794ff");
  const svg = svgElement("svg", { xmlns: svgNs, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", class: "plot steps" });
  svg.append(svgElement("title", {}, "Optimizer steps over all epochs, without and with sample packing"));
  rows.forEach(([label, steps, isUsed], i) => {
    const y = 6 + i * rowHeight;
    const barWidth = Math.max(2, ((width - left - 90) * steps) / maxSteps);
    svg.append(svgElement("text", { x: left - 8, y: y + 15, fill: fg, "font-size": 11, "text-anchor": "end" }, label));
    const rect = svgElement("rect", {
      x: left,
      y,
      width: barWidth,
      height: rowHeight - 10,
      fill: isUsed ? used : other,
      "fill-opacity": isUsed ? 1 : 0.6,
      class: "bar",
    });
    rect.append(svgElement("title", {}, `${steps.toLocaleString("en-US")} steps ${label}${isUsed ? " (as configured)" : ""}`));
    svg.append(
      rect,
      svgElement("text", { x: left + barWidth + 6, y: y + 15, fill: fg, "font-size": 11 }, `${steps.toLocaleString("en-US")}${isUsed ? " ✓" : ""}`),
    );
  });
  return { svg, bars: rows.length, limitMarker: false };
}

/** The SVG file's text: theme colours are already attribute values, so it looks the same outside the editor. */
export function svgText(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}`;
}

/** The plot as a PNG (base64) at twice its size, on the editor's background colour. */
export async function pngBase64(svg: SVGSVGElement): Promise<string> {
  const width = Number(svg.getAttribute("width"));
  const height = Number(svg.getAttribute("height"));
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svgText(svg))))}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = width * 2;
  canvas.height = height * 2;
  const context = canvas.getContext("2d")!;
  context.fillStyle = themeColor("--vscode-editor-background", "#1e1e1e");
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/png").replace(/^data:image\/png;base64,/, "");
}
