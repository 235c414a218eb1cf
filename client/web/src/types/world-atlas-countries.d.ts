// What `world-atlas/countries-50m.json` is to the type checker (tsconfig `paths` sends the import
// here; Vite still bundles the file itself). Typed as it is, its 760 kB of coordinates were a fifth
// of the web UI's type check.
import type { GeometryCollection, Topology } from 'topojson-specification';

declare const world: Topology<{ countries: GeometryCollection<{ name: string }> }>;
export default world;
