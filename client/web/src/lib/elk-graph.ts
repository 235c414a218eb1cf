import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';

/** Drawing helpers shared by the graph pages (データフロー, a request's resolution flow). */
export const NODE_HEIGHT = 30;
const MAX_CHARS = 22;

export function short(text: string): string {
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 1)}…` : text;
}
/** Wide enough for the label in the page's font: CJK characters take about twice the width. */
export function widthOf(text: string): number {
  let w = 16;
  for (const ch of short(text)) w += ch.charCodeAt(0) > 0x2e80 ? 13 : 7;
  return Math.max(60, w);
}

export interface Point { x: number; y: number }
export interface Placed { nodes: Array<{ id: string; x: number; y: number; width: number; height: number }>; edges: Array<{ id: string; points: Point[] }>; width: number; height: number }

const elk = new ELK();

/** ELK layered, left to right: where data comes from on the left, where it goes on the right. */
export async function layeredLayout(nodes: Array<{ id: string; width: number; height?: number }>, edges: Array<{ id: string; source: string; target: string }>): Promise<Placed> {
  const root: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.spacing.nodeNode': '14', 'elk.layered.spacing.nodeNodeBetweenLayers': '48', 'elk.edgeRouting': 'SPLINES' },
    children: nodes.map((n) => ({ id: n.id, width: n.width, height: n.height ?? NODE_HEIGHT })),
    edges: edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const out = await elk.layout(root);
  return {
    nodes: (out.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 })),
    edges: (out.edges ?? []).map((e) => {
      const s = (e as { sections?: Array<{ startPoint: Point; endPoint: Point; bendPoints?: Point[] }> }).sections?.[0];
      return { id: e.id, points: s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [] };
    }),
    width: out.width ?? 0,
    height: out.height ?? 0,
  };
}

/** The drawn graph as a PNG file, the way it looks on the page. */
export function downloadPng(svg: SVGSVGElement, name: string) {
  const data = new XMLSerializer().serializeToString(svg);
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement('canvas');
    canvas.width = svg.viewBox.baseVal.width;
    canvas.height = svg.viewBox.baseVal.height;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0);
    const a = document.createElement('a');
    a.href = canvas.toDataURL('image/png');
    a.download = name;
    a.click();
  };
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`;
}
