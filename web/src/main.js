// main.js - the cityatlas web map: the city's own layers as the base map (no tile
// provider: everything comes from the server that served this page), a layer list by
// theme, search, the statistics panel, Thai/English, and the view kept in the URL.
import { getJson } from './api.js';
import { boundaryLayers, city, setCity } from './city.js';
import { t } from './i18n.js';
import { LabelPlacer } from './label_placer.js';
import { LayerList } from './layer_list.js';
import { MapLayer } from './map_layers.js';
import { Search } from './search.js';
import { ScenarioPanel } from './scenarios.js';
import { parseBuiltQuery } from './stat_builder.js';
import { StatsPanel } from './stats_panel.js';
import { readState, writeState } from './url_state.js';
import { showPopup } from './popup.js';
import { ShownChip } from './shown_chip.js';

// The first view and layers come from the city profile (city.js); without one, the
// extent of every layer and the boundary layers.

const $ = (id) => document.getElementById(id);

const app = {
  lang: 'th',
  layers: [], // { info, mapLayer, visible } in catalog order
  map: null,
  list: null,
  stats: null,
  search: null,
};

// The status line by its word's key, so a language switch re-words it.
function setStatus(key, detail) {
  app.status = [key, detail];
  $('status').textContent = t(app.lang, key) + (detail ? `: ${detail}` : '');
  $('status').classList.remove('error');
}

// Both languages' titles come from the server: /collections in each language.
async function loadCatalog() {
  const [th, en] = await Promise.all([
    getJson('collections', { lang: 'th' }),
    getJson('collections', { lang: 'en' }),
  ]);
  const english = new Map(en.collections.map((c) => [c.id, c]));
  // A shape view (points, lines or areas of a mixed collection, for GIS clients that take
  // one geometry type per layer) repeats features the map already draws.
  const own = th.collections.filter((c) => !(c.cityatlas && c.cityatlas.shapeOf));
  return own.map((c) => {
    const meta = c.cityatlas || {};
    return {
      id: c.id,
      title: { th: c.title, en: (english.get(c.id) || c).title },
      theme: meta.theme,
      geometryType: meta.geometryType || null,
      featureCount: meta.featureCount || 0,
      nameProperty: meta.nameProperty || null,
      extent: c.extent && c.extent.spatial ? c.extent.spatial.bbox[0] : null,
      attribution: c.attribution || '',
    };
  });
}

async function loadStyle(info) {
  if (!info.geometryType) {
    return null;
  }
  try {
    return await getJson(`styles/${encodeURIComponent(info.id)}`);
  } catch {
    return null; // the layer stays in the list, unticked and disabled
  }
}

function saveState() {
  const c = app.map.getCenter();
  writeState({
    zoom: app.map.getZoom(),
    lat: c.lat,
    lon: c.lng,
    layers: app.layers.filter((l) => l.visible).map((l) => l.info.id),
    ...(app.stats ? app.stats.urlState() : {}),
    ...(app.scenarios ? app.scenarios.urlState() : {}),
    lang: app.lang,
  });
}

// A scenario's layers: its filters and style overrides on each; picked by hand, exactly
// its layers become visible (opened from a link, the link's layers stay).
function showScenarioLayers(specs, byHand) {
  const wanted = new Map(specs.map((spec) => [spec.collection, spec]));
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
}

function toggleLayer(id, visible) {
  const layer = app.layers.find((l) => l.info.id === id);
  if (!layer || !layer.mapLayer) {
    return;
  }
  layer.visible = visible;
  if (visible) {
    layer.mapLayer.setLang(app.lang);
    layer.mapLayer.show();
  } else {
    layer.mapLayer.hide();
  }
  app.list.update(id, app.map.getZoom());
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
  app.chip.setLang(lang);
  app.list.render(app.layers, lang, app.map.getZoom());
  app.search.lang = lang;
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
  const map = L.map('map', { zoomControl: true, preferCanvas: true });
  if (state.zoom !== null) {
    map.setView([state.lat, state.lon], state.zoom);
  } else {
    homeView(map, infos);
  }
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('cityatlas');
  return map;
}

async function start() {
  const state = readState(window.location.hash);
  app.lang = state.lang || 'th';
  setupPanel();
  setStatus('loading');
  // The landing document carries the city profile; fetched beside the catalog.
  const [landing, infos] = await Promise.all([getJson('', {}), loadCatalog()]);
  setCity(landing);
  app.map = setupMap(state, infos);
  const renderer = L.canvas({ padding: 0.2 });
  app.placer = new LabelPlacer().addTo(app.map);
  app.chip = new ShownChip(() => app.layers).addTo(app.map);
  app.list = new LayerList($('layer-list'), toggleLayer);
  const styles = await Promise.all(infos.map(loadStyle));
  const wanted = new Set(state.layers || city.defaultLayers || boundaryLayers());
  app.layers = infos.map((info, i) => {
    const mapLayer = styles[i] ? new MapLayer(app.map, info, styles[i], renderer, popupFor, app.placer) : null;
    if (mapLayer) {
      mapLayer.onState = () => {
        app.list.update(info.id, app.map.getZoom());
        app.chip.update();
      };
    }
    return { info, mapLayer, visible: Boolean(mapLayer) && wanted.has(info.id) };
  });
  app.search = new Search($('search'), $('search-results'), app.map, new Set(infos.map((i) => i.id)));
  app.stats = new StatsPanel(
    { select: $('stat-select'), body: $('stat-body'), builder: $('stat-builder') },
    app.map,
    renderer,
    saveState,
  );
  app.stats.infos = infos;
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
      catalogLayers: () => app.layers.map((l) => ({ info: l.info, style: l.mapLayer ? l.mapLayer.baseStyle : null })),
      featured: () => app.stats.featured,
    },
  );
  applyLanguage(app.lang);
  document.querySelectorAll('.lang-switch button').forEach((b) => {
    b.addEventListener('click', () => {
      applyLanguage(b.dataset.lang);
      app.stats.setLang(b.dataset.lang);
      app.scenarios.setLang(b.dataset.lang);
      saveState();
    });
  });
  app.map.on('moveend', () => {
    app.layers.filter((l) => l.visible).forEach((l) => l.mapLayer.refresh());
    app.layers.forEach((l) => app.list.update(l.info.id, app.map.getZoom()));
    app.chip.update();
    saveState();
  });
  exposeForTests();
  const shown = app.layers.filter((l) => l.visible).map((l) => l.mapLayer.show());
  app.stats.lang = app.lang;
  app.scenarios.lang = app.lang;
  await Promise.all([app.stats.loadList(), loadScenarioList()]);
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
    ...shown,
    state.stat ? app.stats.choose(state.stat) : null,
    !state.stat && built ? app.stats.showBuilt(built, false) : null,
    !state.join && state.scn ? app.scenarios.choose(state.scn, false, state.live) : null,
  ]);
  if (state.join) {
    app.scenarios.join(state.join).then(saveState); // waits for the person, so not awaited
  }
  saveState();
  setStatus('ready');
  document.body.dataset.ready = 'true';
  performance.mark('cityatlas-interactive');
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
  if (boundaryLayers().includes(mapLayer.info.id) && app.stats.openAreaAt(latlng)) {
    return;
  }
  showPopup(app.map, mapLayer.info, feature, latlng, app.lang);
}

start().catch((e) => {
  setStatus('loadFailed', e.message);
  document.body.dataset.ready = 'failed';
});
