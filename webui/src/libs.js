// The web UI's libraries, bundled by build.mjs into one script (vendor/allegiance-libs.js):
// cytoscape with the fcose layout (sides network), d3-geo and topojson-client (map).
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { geoEqualEarth, geoGraticule10, geoPath } from "d3-geo";
import { feature, mesh } from "topojson-client";

cytoscape.use(fcose);
window.cytoscape = cytoscape;
window.allegianceGeo = Object.freeze({ geoEqualEarth, geoGraticule10, geoPath, feature, mesh });
