/**
 * Charts for the HTML reports, drawn by Observable Plot on a server-side DOM (linkedom) and
 * inlined as SVG: the pages need no script and no network.
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

export { Plot };

/** Plot.plot(options) rendered to markup (an <svg>, or a <figure> when the chart has a legend). */
export function plotToSvg(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const chart = Plot.plot({ ...options, document: document as never }) as unknown as { outerHTML: string };
  return chart.outerHTML;
}
