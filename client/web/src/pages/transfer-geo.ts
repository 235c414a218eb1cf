import { geoCentroid, geoInterpolate, geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import countries from 'i18n-iso-countries';
// Natural Earth 1:50m: the 1:110m file has no Singapore, Hong Kong or Bahrain, common destinations.
import world from 'world-atlas/countries-50m.json';

export const WIDTH = 960;
export const HEIGHT = 500;

type Country = Feature<Geometry, { name: string }>;

const topology = world;
const all = (feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>).features;

const byNumeric = new Map(all.map((f) => [String(f.id), f]));

/** The atlas keys countries by ISO 3166-1 numeric code; the inventory by alpha-2. */
export function shapeOf(alpha2: string): Country | undefined {
  const numeric = countries.alpha2ToNumeric(alpha2);
  return numeric ? byNumeric.get(numeric) : undefined;
}

export interface World {
  projection: GeoProjection;
  path: ReturnType<typeof geoPath>;
  shapes: Country[];
  /** Where a country's marker and its lines' end go (longitude, latitude), if the atlas has it. */
  anchor: (alpha2: string) => [number, number] | undefined;
}

/** Centred on the home country's longitude, so its lines run left and right rather than off the edge. */
export function worldAround(home: string): World {
  const centre = shapeOf(home);
  const lon = centre ? geoCentroid(centre)[0] : 0;
  const projection = geoNaturalEarth1().rotate([-lon, 0]).fitSize([WIDTH, HEIGHT], { type: 'Sphere' });
  const anchors = new Map<string, [number, number] | undefined>();
  return {
    projection,
    path: geoPath(projection),
    shapes: all,
    anchor(alpha2) {
      if (!anchors.has(alpha2)) {
        const s = shapeOf(alpha2);
        anchors.set(alpha2, s ? geoCentroid(s) : undefined);
      }
      return anchors.get(alpha2);
    },
  };
}

/**
 * The great circle from `from` to `to` as an SVG path, bowed sideways by `bow` pixels so that
 * lines of different bases to one country stay apart; broken where it crosses the map's edge.
 */
export function arcPath(w: World, from: [number, number], to: [number, number], bow: number): string {
  const at = geoInterpolate(from, to);
  const steps = 48;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i <= steps; i++) {
    const p = w.projection(at(i / steps));
    if (p) pts.push(p);
  }
  if (pts.length < 2) return '';
  const [x0, y0] = pts[0];
  const [x1, y1] = pts[pts.length - 1];
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const nx = -(y1 - y0) / len;
  const ny = (x1 - x0) / len;
  let d = '';
  pts.forEach(([x, y], i) => {
    const k = bow * Math.sin((Math.PI * i) / steps);
    const jump = i > 0 && Math.abs(x - pts[i - 1][0]) > WIDTH / 2;
    d += `${i === 0 || jump ? 'M' : 'L'}${(x + nx * k).toFixed(1)},${(y + ny * k).toFixed(1)}`;
  });
  return d;
}
