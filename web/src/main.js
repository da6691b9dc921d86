// main.js - the cityatlas web map: the city's own layers as the base map (no tile
// provider: everything comes from the server that served this page), a layer list by
// theme, search, the statistics panel, Thai/English, and the view kept in the URL.
//
// The first view on a phone is what this file orders, after first_view.js has asked for
// the landing document, the catalog in the reader's language, the shown layers' styles and
// their small layers' data: the base map's description is asked for beside them; the
// shown layers are drawn, then the base map; the statistics and scenario panels (their
// code is a chunk of its own, loaded by import()) come after that, when the browser is
// idle, unless the URL opens one of them.
// First: its evaluation starts the first view's requests (first_view.js says why).
import { firstView, prefetchSmallLayers } from './first_view.js';
import { dropPrefetched } from './api.js';
import { BaseMap, prefetchBaseMap } from './base_map.js';
import { fetchCollections } from './catalog.js';
import { boundaryLayers, city } from './city.js';
import { t } from './i18n.js';
import { LabelPlacer } from './label_placer.js';
import { LayerList } from './layer_list.js';
import { MapControls } from './map_controls.js';
import { MapLayer } from './map_layers.js';
import { Notice } from './notice.js';
import { registerServiceWorker, watchOffline } from './offline.js';
import { Search } from './search.js';
import { readState, writeState } from './url_state.js';
import { askedStyle, fetchStyle, takeStyle } from './style_prefetch.js';
import { showPopup } from './popup.js';
import { ShownChip } from './shown_chip.js';
import { tileClient, tileWork } from './tile_client.js';

// The first view and layers come from the city profile (city.js); without one, the
// extent of every layer and the boundary layers.

const $ = (id) => document.getElementById(id);

const app = {
  lang: 'th',
  layers: [], // { info, mapLayer, visible, disabled } in catalog order
  builderStyles: new Map(), // layer id -> style, of layers the scenario builder took before the map drew them
  map: null,
  list: null,
  stats: null, // the panels, once their chunk has arrived (loadPanels)
  scenarios: null,
  panelState: {}, // the URL's panel part, kept as it is until the panels take it over
  panelsOpen: false, // the panels have their lists and what the URL opened in them
  titleLoading: new Map(), // lang -> Promise of the catalog's titles in lang
  search: null,
};

// index.html's card over the map while it is empty.
const removeLoadingCard = () => $('loading-card')?.remove();

// The status line by its word's key, so a language switch re-words it.
function setStatus(key, detail) {
  app.status = [key, detail];
  $('status').textContent = t(app.lang, key) + (detail ? `: ${detail}` : '');
  $('status').classList.remove('error');
}

// Fills info.title[lang] of every layer from the catalog in lang, once per language; a
// failure is thrown (and asked again next time).
function addTitles(lang) {
  if (!app.titleLoading.has(lang)) {
    const loading = fetchCollections(lang).then((doc) => {
      const byId = new Map(doc.collections.map((c) => [c.id, c.title]));
      for (const layer of app.layers) {
        layer.info.title[lang] = byId.get(layer.info.id) || layer.info.title[lang];
      }
    });
    loading.catch(() => app.titleLoading.delete(lang));
    app.titleLoading.set(lang, loading);
  }
  return app.titleLoading.get(lang);
}

// A layer's style is fetched when the layer is first shown, not for the whole catalog up
// front (a phone on a slow network waits for the first view's styles only). Resolves once
// layer.mapLayer exists; a style that cannot be fetched (after retries) is said on the map
// with a button that tries again, and the layer stays unticked.
function ensureMapLayer(layer) {
  if (layer.mapLayer || !layer.info.geometryType) {
    return Promise.resolve(layer.mapLayer);
  }
  if (!layer.styleLoading) {
    layer.styleLoading = (takeStyle(layer.info.id) || fetchStyle(layer.info.id))
      .then((style) => {
        layer.mapLayer = new MapLayer(app.map, layer.info, style, app.renderer, popupFor, app.placer);
        layer.mapLayer.onState = () => onLayerState(layer);
        return layer.mapLayer;
      })
      .catch((e) => {
        layer.visible = false;
        app.list.update(layer.info.id, app.map.getZoom());
        app.notice.show(app.lang, 'layerFailed', `${layerTitle(layer)}: ${e.message}`, () => toggleLayer(layer.info.id, true));
        return null;
      })
      .finally(() => {
        layer.styleLoading = null;
      });
  }
  return layer.styleLoading;
}

// The scenario builder's view of a layer's colours, for a layer the map has not drawn (its
// map layer, with the style, is made when it is first shown). Asked as a prefetch, so that
// showing the layer later takes this answer instead of asking the server again.
async function loadLayerStyle(id) {
  const layer = app.layers.find((l) => l.info.id === id);
  if ((layer && layer.mapLayer) || app.builderStyles.has(id)) {
    return;
  }
  app.builderStyles.set(id, await askedStyle(id));
}

const layerTitle = (layer) => layer.info.title[app.lang] || layer.info.title.en || layer.info.id;

function onLayerState(layer) {
  app.list.update(layer.info.id, app.map.getZoom());
  updateBaseMap();
  app.chip.update();
  const drawn = layer.mapLayer.state === 'ready' || layer.mapLayer.state === 'partial';
  if (drawn && performance.getEntriesByName('cityatlas-first-draw').length === 0) {
    performance.mark('cityatlas-first-draw'); // the first features on the map (phone.mjs)
    removeLoadingCard();
  }
  if (layer.mapLayer.state === 'failed') {
    // MapLayer sets its error just after the state: read it once that is done.
    queueMicrotask(() => {
      const failed = app.layers.filter((l) => l.visible && l.mapLayer && l.mapLayer.state === 'failed');
      const detail = failed.map((l) => layerTitle(l) + (l.mapLayer.error ? ` (${l.mapLayer.error})` : '')).join(', ');
      app.notice.show(app.lang, 'layerFailed', detail, () => failed.forEach((l) => l.visible && l.mapLayer.refresh()));
    });
  }
}

// The legend on the map: the visible layers whose style has arrived, as the list orders them.
function updateMapLegend() {
  const shown = app.layers.filter((l) => l.visible && l.mapLayer && l.mapLayer.style);
  app.controls.showLegend(shown.map((l) => ({ title: layerTitle(l), style: l.mapLayer.style })));
}

function saveState() {
  const c = app.map.getCenter();
  writeState({
    zoom: app.map.getZoom(),
    lat: c.lat,
    lon: c.lng,
    layers: app.layers.filter((l) => l.visible).map((l) => l.info.id),
    ...(app.panelsOpen ? app.stats.urlState() : pick(app.panelState, ['stat', 'sq'])),
    ...(app.panelsOpen ? app.scenarios.urlState() : pick(app.panelState, ['scn', 'join', 'live'])),
    lang: app.lang,
  });
}

const pick = (obj, keys) => Object.fromEntries(keys.map((k) => [k, obj[k]]));

// The visible layers, for the base map to leave out those it carries too.
// A layer whose data failed is not one: the base map draws it again meanwhile.
const updateBaseMap = () =>
  app.base.leaveOut(app.layers.filter((l) => l.visible && !(l.mapLayer && l.mapLayer.state === 'failed')).map((l) => l.info.id));

// A scenario's layers: its filters and style overrides on each; picked by hand, exactly
// its layers become visible (opened from a link, the link's layers stay).
async function showScenarioLayers(specs, byHand) {
  const wanted = new Map(specs.map((spec) => [spec.collection, spec]));
  await Promise.all(app.layers.filter((l) => wanted.has(l.info.id)).map(ensureMapLayer));
  for (const layer of app.layers) {
    if (!layer.mapLayer) {
      continue;
    }
    const spec = wanted.get(layer.info.id);
    layer.mapLayer.setOverride(spec ? spec.filter : null, spec ? spec.style : null);
    const visible = byHand ? Boolean(spec) : layer.visible;
    if (visible !== layer.visible) {
      toggleLayer(layer.info.id, visible);
    } else if (visible) {
      layer.mapLayer.refresh();
    }
  }
  app.list.render(app.layers, app.lang, app.map.getZoom());
  updateMapLegend();
}

function clearScenarioLayers() {
  for (const layer of app.layers) {
    if (layer.mapLayer && (layer.mapLayer.filter || layer.mapLayer.style !== layer.mapLayer.baseStyle)) {
      layer.mapLayer.setOverride(null, null);
      if (layer.visible) {
        layer.mapLayer.refresh();
      }
    }
  }
  updateMapLegend();
}

async function toggleLayer(id, visible) {
  const layer = app.layers.find((l) => l.info.id === id);
  if (!layer || layer.disabled) {
    return;
  }
  layer.visible = visible;
  if (visible) {
    await ensureMapLayer(layer);
  }
  if (layer.visible !== visible) {
    return; // its style failed, or it was toggled again while the style was on the way
  }
  if (layer.mapLayer && visible) {
    layer.mapLayer.setLang(app.lang);
    layer.mapLayer.show();
  } else if (layer.mapLayer) {
    layer.mapLayer.hide();
  }
  app.list.update(id, app.map.getZoom());
  updateMapLegend();
  updateBaseMap();
  app.chip.update();
  saveState();
}

function applyLanguage(lang) {
  app.lang = lang;
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(lang, el.dataset.i18n);
  });
  document.querySelectorAll('[data-i18n-placeholder]').forEach((el) => {
    el.placeholder = t(lang, el.dataset.i18nPlaceholder);
  });
  document.querySelectorAll('[data-i18n-label]').forEach((el) => {
    el.setAttribute('aria-label', t(lang, el.dataset.i18nLabel));
  });
  document.querySelectorAll('.lang-switch button').forEach((b) => {
    b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
  });
  document.title = t(lang, 'appTitle') + ' · cityatlas';
  if (app.status) {
    setStatus(...app.status);
  }
  app.map.attributionControl.setPrefix(false);
  app.layers.forEach((l) => l.mapLayer && l.mapLayer.setLang(lang));
  app.placer.schedule(); // the base map's names follow the language too
  app.chip.setLang(lang);
  app.list.render(app.layers, lang, app.map.getZoom());
  app.search.lang = lang;
  app.controls.setLang(lang);
  updateMapLegend();
  app.notice.render(lang);
  app.map.closePopup();
}

function setupPanel() {
  const panel = $('panel');
  $('menu-button').addEventListener('click', () => {
    const open = panel.classList.toggle('is-open');
    $('menu-button').setAttribute('aria-expanded', String(open));
  });
  document.querySelectorAll('[role="tab"]').forEach((tab) => {
    tab.addEventListener('click', () => selectTab(tab.id));
  });
}

function selectTab(id) {
  if (id !== 'tab-layers' && app.map) {
    loadPanels(readState(window.location.hash)); // asked for before the browser was idle
  }
  document.querySelectorAll('[role="tab"]').forEach((tab) => {
    const selected = tab.id === id;
    tab.setAttribute('aria-selected', String(selected));
    $(tab.getAttribute('aria-controls')).hidden = !selected;
  });
}

// The home view: the profile's, else its extent, else every layer's.
function homeView(map, infos) {
  if (city.home) {
    map.setView([city.home.lat, city.home.lon], city.home.zoom);
    return;
  }
  const box = city.extent || infos.filter((i) => i.extent).reduce((b, i) => [
    Math.min(b[0], i.extent[0]), Math.min(b[1], i.extent[1]),
    Math.max(b[2], i.extent[2]), Math.max(b[3], i.extent[3]),
  ], [180, 90, -180, -90]);
  map.fitBounds(box[0] <= box[2] ? [[box[1], box[0]], [box[3], box[2]]] : [[-60, -170], [75, 170]]);
}

function setupMap(state, infos) {
  // No fading in of tiles: each frame of a fade recomposites every tile canvas, which on a
  // phone is main-thread work while the first view is still arriving.
  const map = L.map('map', { zoomControl: false, preferCanvas: true, fadeAnimation: false });
  performance.mark('cityatlas-map-made'); // the first view's requests come before it (phone.mjs)
  if (state.zoom !== null) {
    map.setView([state.lat, state.lon], state.zoom);
  } else {
    homeView(map, infos);
  }
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('cityatlas');
  app.controls = new MapControls(map, app.notice);
  return map;
}

// A tap anywhere but the search box and its list closes the list.
function closeSearchOnOutsideTap() {
  document.addEventListener('pointerdown', (ev) => {
    if (app.search && !ev.target.closest('.search')) {
      app.search.clear();
    }
  });
}

async function start() {
  // The landing document (with the city profile), the catalog, the shown layers' styles and
  // their small layers' GeoJSON are already on the way (first_view.js).
  const first = firstView();
  const state = first.state;
  app.lang = first.lang;
  app.panelState = pick(state, ['stat', 'sq', 'scn', 'join', 'live']);
  app.notice = new Notice($('notice'));
  watchOffline($('offline-note'));
  setupPanel();
  closeSearchOnOutsideTap();
  setStatus('loading');
  prefetchBaseMap();
  // The tile workers start now, not when the first tiled layer is made (after its style
  // has arrived): their script is one more round trip a phone would otherwise wait for
  // before its first tile is even asked for.
  tileClient();
  const { wanted, infos } = await first.view;
  app.titleLoading.set(app.lang, Promise.resolve());
  app.map = setupMap(state, infos);
  // A view fitted to an extent knows its zoom only now: its small layers are asked for
  // here, beside their styles, not once a style has arrived (first_view.js asked already
  // for a view whose zoom it knew: the same URLs, so nothing is asked twice). Not for a
  // scenario's link: its filters change what the layers ask for.
  if (!state.scn) {
    prefetchSmallLayers(infos, wanted, app.map.getZoom());
  }
  const renderer = L.canvas({ padding: 0.2 });
  app.renderer = renderer;
  app.placer = new LabelPlacer().addTo(app.map);
  app.base = new BaseMap(app.map, app.placer, () => app.lang);
  app.chip = new ShownChip(() => app.layers).addTo(app.map);
  app.list = new LayerList($('layer-list'), toggleLayer);
  app.layers = infos.map((info) => ({
    info,
    mapLayer: null,
    visible: Boolean(info.geometryType) && wanted.has(info.id),
    disabled: !info.geometryType,
  }));
  await Promise.all(app.layers.filter((l) => l.visible).map(ensureMapLayer));
  // The shown layers ask for their data first; the rest of the page is set up while it
  // is on the way.
  const shown = app.layers
    .filter((l) => l.visible && l.mapLayer)
    .map((l) => {
      l.mapLayer.setLang(app.lang);
      return l.mapLayer.show();
    });
  app.search = new Search($('search'), $('search-results'), app.map, infos);
  applyLanguage(app.lang);
  document.querySelectorAll('.lang-switch button').forEach((b) => {
    b.addEventListener('click', () => switchLanguage(b.dataset.lang));
  });
  app.map.on('moveend', () => {
    app.layers.filter((l) => l.visible && l.mapLayer).forEach((l) => l.mapLayer.refresh());
    app.layers.forEach((l) => app.list.update(l.info.id, app.map.getZoom()));
    updateMapLegend();
    app.chip.update();
    saveState();
  });
  updateMapLegend();
  updateBaseMap();
  exposeForTests();
  // A link that opens a panel (a statistic, a scenario, a join code) loads it at once;
  // otherwise the panels wait until the first view is drawn and the browser is idle.
  const opensPanel = ['stat', 'sq', 'scn', 'join'].some((k) => state[k]);
  const panels = opensPanel ? loadPanels(state) : null;
  await Promise.all(shown);
  dropPrefetched();
  removeLoadingCard(); // a view without layers draws none: the card goes all the same
  setStatus('ready');
  performance.mark('cityatlas-interactive'); // the map is drawn and answers (phone.mjs)
  // The base map once the shown layers have arrived, so its tiles never delay theirs (on a
  // phone and on a busy server); it draws under them as its tiles come.
  app.base.start();
  saveState();
  await (panels || whenIdle().then(() => loadPanels(state)));
  document.body.dataset.ready = 'true'; // the panels too (the browser tests wait for it)
  registerServiceWorker();
}

// Resolves when the browser has nothing more urgent to do (at most IDLE_WAIT_MS later).
const IDLE_WAIT_MS = 2000;
function whenIdle() {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === 'function') {
      window.requestIdleCallback(() => resolve(), { timeout: IDLE_WAIT_MS });
    } else {
      setTimeout(resolve, 100);
    }
  });
}

// Every word at once; the layers' titles in lang follow with the catalog in lang (one
// request the first time), meanwhile shown in the language they were loaded in.
async function switchLanguage(lang) {
  applyLanguage(lang);
  if (app.stats) {
    app.stats.setLang(lang);
    app.scenarios.setLang(lang);
  }
  saveState();
  const first = !app.titleLoading.has(lang);
  try {
    await addTitles(lang);
  } catch (e) {
    app.notice.show(app.lang, 'loadFailed', e.message, () => switchLanguage(lang));
    return;
  }
  if (first && app.lang === lang) {
    app.list.render(app.layers, lang, app.map.getZoom());
    updateMapLegend();
    app.chip.update();
    if (app.stats) {
      app.stats.renderBuilder(); // the forms that list layers by title
      app.scenarios.builder.render();
    }
  }
}

// The statistics and scenario panels: their code (a chunk of its own), their lists, and
// what the URL opens in them. Once per page; a chunk that cannot be fetched is said with
// a button that tries again, and the map goes on without the panels.
let panelsLoading = null;
function loadPanels(state) {
  if (!panelsLoading) {
    panelsLoading = openPanels(state).catch((e) => {
      panelsLoading = null;
      app.notice.show(app.lang, 'loadFailed', e.message, () => loadPanels(state));
    });
  }
  return panelsLoading;
}

async function openPanels(state) {
  const { StatsPanel, ScenarioPanel, parseBuiltQuery } = await import('./panels.js');
  if (app.stats) {
    return; // a retry after the panels were made
  }
  app.stats = new StatsPanel(
    { select: $('stat-select'), body: $('stat-body'), builder: $('stat-builder') },
    app.map,
    app.renderer,
    saveState,
  );
  app.stats.infos = app.layers.map((l) => l.info);
  app.scenarios = new ScenarioPanel(
    { select: $('scenario-select'), body: $('scenario-body') },
    app.map,
    {
      showLayers: showScenarioLayers,
      clearOverrides: clearScenarioLayers,
      openStatistic: (id) => {
        selectTab('tab-stats');
        app.stats.choose(id, true);
      },
      statisticTitle: (id, lang) => {
        const s = app.stats.featured.find((f) => f.id === id);
        return s ? s.title[lang] || s.title.en : id;
      },
      onChange: saveState,
      catalogLayers: () =>
        app.layers.map((l) => ({ info: l.info, style: l.mapLayer ? l.mapLayer.baseStyle : app.builderStyles.get(l.info.id) || null })),
      loadLayerStyle,
      featured: () => app.stats.featured,
    },
  );
  app.stats.lang = app.lang;
  app.scenarios.lang = app.lang;
  await Promise.all([loadStatsList(), loadScenarioList()]);
  const built = parseBuiltQuery(state.sq);
  app.stats.built = built;
  app.stats.renderBuilder();
  if (state.join) {
    $('panel').classList.add('is-open'); // a participant's phone starts at the join card
  }
  if (state.scn || state.join) {
    selectTab('tab-scenarios'); // a shared scenario or statistic opens with its panel
  } else if (state.stat || built) {
    selectTab('tab-stats');
  }
  await Promise.all([
    state.stat ? app.stats.choose(state.stat) : null,
    !state.stat && built ? app.stats.showBuilt(built, false) : null,
    !state.join && state.scn ? app.scenarios.choose(state.scn, false, state.live) : null,
  ]);
  app.panelsOpen = true;
  if (state.join) {
    app.scenarios.join(state.join).then(saveState); // waits for the person, so not awaited
  }
  saveState();
}

// The featured statistics are not needed to see the map: without them (offline, before
// they were ever loaded) the map starts, and says so with a button that asks again.
async function loadStatsList() {
  try {
    await app.stats.loadList();
  } catch (e) {
    app.notice.show(app.lang, 'loadFailed', `${t(app.lang, 'statistics')}: ${e.message}`, loadStatsList);
  }
}

// What tests read of the drawn map: the feature ids each visible layer draws in the view
// and the labels the placer drew (with their boxes), as the page itself knows them.
function exposeForTests() {
  window.cityatlasMap = {
    drawnIds: (id) => {
      const layer = app.layers.find((l) => l.info.id === id);
      return layer && layer.visible && layer.mapLayer ? layer.mapLayer.drawnIds() : [];
    },
    placedLabels: () => app.placer.placed.map((p) => ({ ...p })),
    baseMap: () => app.base.entries.map(({ id, kind, minzoom, label, classes }) => ({ id, kind, minzoom, label, classes })),
    baseTiles: () => app.base.tiles,
    tileWork,
    baseLeftOut: () => [...app.base.leftOut],
    map: app.map,
  };
}

// A server without scenarios (an older database) keeps the map without that tab.
async function loadScenarioList() {
  try {
    await app.scenarios.loadList();
  } catch {
    $('tab-scenarios').hidden = true;
  }
}

function popupFor(mapLayer, feature, latlng) {
  // With a statistic shown, a tap on a boundary area is a question about its number.
  if (boundaryLayers().includes(mapLayer.info.id) && app.stats && app.stats.openAreaAt(latlng)) {
    return;
  }
  showPopup(app.map, mapLayer.info, feature, latlng, app.lang);
}

// What failed after its retries is said with a button that starts the page again (the
// map and its panels are set up once per page).
start().catch((e) => {
  removeLoadingCard();
  setStatus('loadFailed', e.message);
  if (app.notice) {
    app.notice.show(app.lang, 'startFailed', e.message, () => window.location.reload());
  }
  document.body.dataset.ready = 'failed';
});
