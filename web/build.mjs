// build.mjs - bundles the web map for phones: esbuild bundles and minifies src/main.js with
// Leaflet and the CSS (Leaflet's and app.css) into dist/assets/ under content-hashed names,
// split into chunks: what main.js loads with import() (the panels: src/panels.js) is a
// chunk the first view neither downloads nor runs, and code shared by both is a chunk the
// page asks for at once (a modulepreload link, not a request after the script's parse),
// and the tile worker (src/tile_worker.js) as its own hashed file, whose name the app's
// bundle gets as CITYATLAS_TILE_WORKER (esbuild leaves new Worker(new URL(...)) alone),
// writes dist/index.html from index.html with those names in place of the unbundled
// tags (between the "bundle:" comments), and dist/sw.js, the service worker, with the
// list of files it precaches and a version taken from the bundle's hashes (so a new
// deploy replaces the old caches). `cityatlas serve` sends dist/index.html at /map/ and
// dist/sw.js at /map/sw.js; index.html itself stays the unbundled page for debugging.
// Files are rewritten only when their content changes, and stale hashed files are
// removed, so running it again with nothing changed changes nothing.
// Run by scripts/build_web.sh (install_web_deps.sh and the CMake target web_bundle).
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const web = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(web, 'dist');
const assets = path.join(dist, 'assets');
// The language the modules are written in (eslint.config.mjs): phones' browsers of the
// last few years, with ES modules and service workers, run it as it is.
const TARGET = ['es2022'];

// The order matters: first_view.js starts the first view's requests before Leaflet and
// the map's modules are evaluated (it uses neither), and Leaflet becomes the global L before
// any module that uses it runs.
const ENTRY = [
  "import 'leaflet/dist/leaflet.css';",
  "import './app.css';",
  "import './src/first_view.js';",
  "import './src/leaflet_global.js';",
  "import './src/main.js';",
].join('\n');

let changed = 0;

async function writeIfChanged(file, content) {
  const old = await readFile(file).catch(() => null);
  if (old === null || !old.equals(Buffer.from(content))) {
    await writeFile(file, content);
    changed++;
  }
}

// The options both bundles share. Built into memory (write: false) so unchanged files keep
// their modification time, which the server's ETag is made of.
const COMMON = {
  absWorkingDir: web, // the hashes must not depend on where the build is started from
  bundle: true,
  minify: true,
  format: 'esm',
  target: TARGET,
  outdir: assets,
  write: false,
  logLevel: 'warning',
};

async function bundleApp() {
  const worker = await esbuild.build({
    ...COMMON,
    entryPoints: [path.join(web, 'src/tile_worker.js')],
    entryNames: 'tile-worker-[hash]',
  });
  const workerName = path.basename(worker.outputFiles[0].path);
  const result = await esbuild.build({
    ...COMMON,
    stdin: { contents: ENTRY, resolveDir: web, sourcefile: 'app.js', loader: 'js' },
    splitting: true,
    entryNames: 'app-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.png': 'file', '.svg': 'file' },
    // Beside the app's bundle: tile_client.js resolves it against its own URL.
    define: { CITYATLAS_TILE_WORKER: JSON.stringify(workerName) },
    metafile: true,
  });
  await mkdir(assets, { recursive: true });
  const names = [];
  for (const file of [...worker.outputFiles, ...result.outputFiles]) {
    await writeIfChanged(file.path, file.contents);
    names.push(path.basename(file.path));
  }
  for (const old of await readdir(assets)) {
    if (!names.includes(old)) {
      await rm(path.join(assets, old));
    }
  }
  const [entryPath, entry] = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint);
  const js = path.basename(entryPath);
  const css = entry.cssBundle ? path.basename(entry.cssBundle) : null;
  if (!css) {
    throw new Error('esbuild wrote no CSS bundle');
  }
  // The chunks the entry imports statically: needed before it runs.
  const preload = entry.imports.filter((i) => i.kind === 'import-statement').map((i) => path.basename(i.path));
  return { js, css, preload, all: names.sort() };
}

// index.html with each "<!-- bundle:NAME -->...<!-- /bundle:NAME -->" block replaced;
// a block that is missing stops the build rather than ship a page without the app.
function pageFor(template, bundle) {
  const blocks = {
    css: `<link rel="stylesheet" href="dist/assets/${bundle.css}">`,
    js: [
      ...bundle.preload.map((n) => `<link rel="modulepreload" href="dist/assets/${n}">`),
      `<script type="module" src="dist/assets/${bundle.js}"></script>`,
    ].join('\n'),
  };
  let page = template;
  for (const [name, html] of Object.entries(blocks)) {
    const block = new RegExp(`<!-- bundle:${name} -->[\\s\\S]*?<!-- /bundle:${name} -->`);
    if (!block.test(page)) {
      throw new Error(`index.html has no <!-- bundle:${name} --> block`);
    }
    page = page.replace(block, html);
  }
  return page;
}

async function buildServiceWorker(version, shell) {
  const result = await esbuild.build({
    entryPoints: [path.join(web, 'sw.js')],
    absWorkingDir: web,
    bundle: true,
    minify: true,
    format: 'iife',
    target: TARGET,
    define: { CITYATLAS_BUILD: JSON.stringify({ version, shell }) },
    write: false,
    logLevel: 'warning',
  });
  await writeIfChanged(path.join(dist, 'sw.js'), result.outputFiles[0].contents);
}

const bundle = await bundleApp();
const page = pageFor(await readFile(path.join(web, 'index.html'), 'utf8'), bundle);
await writeIfChanged(path.join(dist, 'index.html'), page);
// The worker's own source counts too: a new worker starts with new caches.
const workerSource = await readFile(path.join(web, 'sw.js'));
const version = createHash('sha256').update(page).update(bundle.all.join('\n')).update(workerSource).digest('hex').slice(0, 16);
// Relative to the worker's own URL (/map/sw.js): the page, the bundle, and what the first
// view reads from the API (the landing document with the city profile, the catalog).
const shell = ['./', ...bundle.all.map((n) => `dist/assets/${n}`)];
await buildServiceWorker(version, shell);
if (changed > 0) {
  console.log(`build.mjs: dist/index.html -> ${bundle.js}, ${bundle.css} (version ${version})`);
}
