// leaflet_global.js - the bundle's first module (build.mjs): Leaflet from npm as the global
// L that the app's modules (and Leaflet-Geoman, loaded later as a classic script) use, as
// the unbundled page's <script> tag gives it. Default marker images stay at their npm path:
// Leaflet finds them by their unhashed file name, which the bundled CSS no longer has.
import L from 'leaflet';

window.L = L;
L.Icon.Default.imagePath = 'node_modules/leaflet/dist/images/';
