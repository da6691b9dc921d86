// scenarios.js - scenario mode for vision-planning workshops: pick a scenario, see its
// layers (with its filters and style overrides), its sketches coloured by kind, its
// narrative and statistics, and download its poster, share image and GeoPackage.
// Facilitators with a token add, move, edit and delete sketches (sketch_editor.js), build
// scenarios (scenario_builder.js) and open participation sessions (session_panel.js);
// participants join by a code (participation.js) and draw; a participant's phone and the
// projector view (live_view.js) follow every change within two seconds (live_feed.js).
import { apiUrl, getFeatures, getJson } from './api.js';
import { city } from './city.js';
import { t } from './i18n.js';
import { LiveFeed } from './live_feed.js';
import { LiveView } from './live_view.js';
import { joinSession } from './participation.js';
import { SessionPanel } from './session_panel.js';
import { ScenarioBuilder } from './scenario_builder.js';
import { SketchEditor } from './sketch_editor.js';
import { el } from './dom.js';

export class ScenarioPanel {
  // hooks: { showLayers(specs, byHand), clearOverrides(), openStatistic(id),
  //          statisticTitle(id, lang), onChange(),
  //          catalogLayers() -> [{ info, style }], featured() -> [{ id, title }] }
  constructor(elements, map, hooks) {
    this.select = elements.select;
    this.body = elements.body;
    this.map = map;
    this.hooks = hooks;
    this.list = [];
    this.current = null;
    this.doc = null;
    this.sketches = L.featureGroup();
    this.lang = 'th';
    this.editor = new SketchEditor(map, this);
    this.builder = new ScenarioBuilder(this, { layers: hooks.catalogLayers, loadStyle: hooks.loadLayerStyle, featured: hooks.featured });
    this.body.after(this.builder.box);
    this.sessions = new SessionPanel(this);
    this.liveView = null; // the projector's counts and notes, when the URL asks for it (&live)
    this.feedBadge = el('p', 'live-state');
    this.feedBadge.id = 'live-state';
    this.feedBadge.setAttribute('role', 'status');
    this.feed = null;
    this.mine = new Set(); // a participant's own sketch ids
    this.isStale = false; // a change arrived while a sketch was being edited: redraw after
    this.joinCode = null;
    this.select.addEventListener('change', () => {
      this.leaveSession(); // another scenario: the participant's credential is not for it
      this.choose(this.select.value || null, true);
    });
  }

  async loadList() {
    const doc = await getJson('scenarios', { lang: this.lang });
    this.list = doc.scenarios || [];
    this.renderSelect();
    this.builder.render();
  }

  renderSelect() {
    this.select.replaceChildren(new Option(t(this.lang, 'noScenario'), ''));
    for (const s of this.list) {
      const title = s.title[this.lang] || s.title.en;
      this.select.append(new Option(s.example ? `${title} (${t(this.lang, 'example')})` : title, s.id));
    }
    this.select.value = this.current || '';
  }

  setLang(lang) {
    this.lang = lang;
    this.renderSelect();
    this.builder.render();
    if (this.doc) {
      this.renderBody();
      this.drawSketches(this.sketchFeatures || []);
    }
  }

  kinds() {
    return (this.doc && this.doc.sketch_kinds) || city.sketchKinds;
  }

  kindOf(id) {
    return this.kinds().find((k) => k.id === id) || { id, title: { th: id, en: id }, color: '#555555' };
  }

  // The scenario's part of the URL: the scenario, a join code, the projector view.
  urlState() {
    return { scn: this.current, join: this.joinCode, live: Boolean(this.liveView && this.liveView.isProjector) };
  }

  // A participant's arrival from a join link: the join card, then the scenario with the
  // participant's editor (participation.js).
  async join(code) {
    this.joinCode = code.toUpperCase();
    this.builder.box.hidden = true; // a participant builds nothing
    this.body.replaceChildren();
    const card = el('div', 'join-box');
    card.id = 'join-box';
    this.body.append(card);
    const participant = await joinSession(card, this.joinCode, this.lang);
    if (!participant) {
      return;
    }
    await this.choose(participant.session.scenario.id, true);
    // The phone shows the room's counts and notes too, in phone-sized type.
    this.liveView = new LiveView(this, { isProjector: false });
    await this.editor.startParticipant(participant);
    this.renderBody();
    this.startFeed(participant.session.id);
  }

  leaveSession() {
    this.joinCode = null;
    this.editor.participant = null;
    this.mine.clear();
    this.builder.box.hidden = false;
  }

  // byHand: picked in the panel (show its layers and extent); else opened from a link,
  // whose own layers and position are kept. isLive: the projector view.
  async choose(id, byHand, isLive) {
    if (id && !this.list.some((s) => s.id === id)) {
      id = null;
    }
    this.stopFeed();
    if (this.liveView && !isLive) {
      this.liveView.stop();
      this.liveView = null;
    }
    this.editor.stop();
    this.current = id;
    this.select.value = id || '';
    this.doc = null;
    this.sketches.clearLayers();
    this.sketches.remove();
    this.body.replaceChildren();
    this.hooks.clearOverrides();
    this.builder.render();
    if (!id) {
      this.hooks.onChange();
      return;
    }
    this.body.append(el('p', 'stats-status', t(this.lang, 'loading')));
    const doc = await getJson(`scenarios/${encodeURIComponent(id)}`);
    if (this.current !== id) {
      return;
    }
    this.doc = doc;
    this.hooks.showLayers(doc.layers || [], byHand);
    if (byHand && Array.isArray(doc.extent)) {
      const [w, s, e, n] = doc.extent;
      this.map.fitBounds([
        [s, w],
        [n, e],
      ]);
    }
    if (isLive) {
      this.liveView = new LiveView(this);
    }
    await this.reloadSketches();
    this.renderBody();
    if (isLive) {
      this.startFeed();
    }
    this.hooks.onChange();
  }

  // session: a participant's session id, whose close ends the feed.
  startFeed(session) {
    this.stopFeed();
    this.feed = new LiveFeed(this.current, {
      onChange: (change) => this.applyChange(change),
      onState: (state, transport) => this.showFeedState(state, transport),
    }, { session });
    this.feed.start();
  }

  // Says on the page whether changes arrive (live), the connection is being retried, or the
  // session is over; the body's data-live and data-live-transport say it to tests and styles.
  showFeedState(state, transport) {
    document.body.dataset.live = state;
    document.body.dataset.liveTransport = transport;
    this.feedBadge.dataset.state = state;
    this.feedBadge.textContent = t(this.lang, `feed${state[0].toUpperCase()}${state.slice(1)}`);
    if (!this.feedBadge.isConnected && this.body) {
      this.body.prepend(this.feedBadge);
    }
  }

  stopFeed() {
    if (this.feed) {
      this.feed.stop();
      this.feed = null;
      this.feedBadge.remove();
    }
  }

  isMine(sketchId) {
    return this.mine.has(sketchId);
  }

  markMine(sketchId) {
    if (sketchId !== undefined && sketchId !== null) {
      this.mine.add(sketchId);
    }
  }

  // One change from the live feed: the sketch is added, replaced or removed by its id.
  applyChange(change) {
    const features = this.sketchFeatures || [];
    const i = features.findIndex((f) => f.properties.sketch_id === change.sketch_id);
    if (change.action === 'deleted' || !change.feature) {
      if (i >= 0) {
        features.splice(i, 1);
      }
    } else if (i >= 0) {
      if ((features[i].properties.version || 0) > (change.feature.properties.version || 0)) {
        return; // already newer here (our own write, reloaded)
      }
      features[i] = change.feature;
    } else {
      features.push(change.feature);
    }
    this.sketchFeatures = features;
    this.isStale = true;
    this.redrawIfStale();
  }

  // Redraws after changes that arrived while a sketch was selected for editing (redrawing
  // then would take the selection from under the person's finger).
  redrawIfStale() {
    if (!this.isStale || this.editor.selected) {
      return;
    }
    this.isStale = false;
    this.drawSketches(this.sketchFeatures);
    this.showCount();
  }

  showCount() {
    const count = document.getElementById('sketch-count');
    if (count) {
      count.textContent = `${this.sketchFeatures.length} ${t(this.lang, 'sketchCount')}`;
    }
    if (this.liveView) {
      this.liveView.update();
    }
  }

  sketchLayerId() {
    return `scenario-${this.current}-sketches`;
  }

  // The sketches from the server: the public layer, or for a participant the sketches they
  // may see (the visible ones and their own) with which are theirs.
  async reloadSketches() {
    const participant = this.editor.participant;
    let features;
    if (participant) {
      const resp = await fetch(apiUrl(`scenarios/${encodeURIComponent(this.current)}/sketches`), {
        headers: { ...participant.headers(), Accept: 'application/geo+json' },
      });
      const doc = await resp.json().catch(() => null);
      if (!resp.ok || !doc) {
        throw new Error((doc && doc.description) || `HTTP ${resp.status}`);
      }
      features = doc.features || [];
      features.filter((f) => f.properties.participant_id === participant.participantId).forEach((f) => this.markMine(f.properties.sketch_id));
    } else {
      features = (await getFeatures(this.sketchLayerId(), { limit: 2000 }, 2000)).features;
    }
    this.sketchFeatures = features;
    this.isStale = true;
    this.redrawIfStale();
  }

  drawSketches(features) {
    this.sketches.clearLayers();
    L.geoJSON(
      { type: 'FeatureCollection', features },
      {
        style: (f) => this.sketchStyle(f.properties.kind),
        pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...this.sketchStyle(f.properties.kind), radius: 8 }),
        onEachFeature: (f, lyr) => {
          lyr.sketch = f;
          lyr.on('click', () => this.onSketchClick(lyr));
        },
      },
    ).eachLayer((lyr) => this.sketches.addLayer(lyr));
    this.sketches.addTo(this.map);
  }

  sketchStyle(kind) {
    const color = this.kindOf(kind).color;
    return { color, weight: 3, fillColor: color, fillOpacity: 0.35, opacity: 1 };
  }

  onSketchClick(lyr) {
    if (this.editor.active) {
      this.editor.select(lyr);
      return;
    }
    this.showSketch(lyr);
  }

  // A sketch's kind, note, group and author, in a popup (read only).
  showSketch(lyr) {
    const p = lyr.sketch.properties;
    const box = el('div', 'feature-popup');
    box.append(el('h3', null, this.kindOf(p.kind).title[this.lang]));
    if (p.note) {
      box.append(el('p', null, p.note));
    }
    const group = this.editor.participant ? this.editor.participant.groupTitle(this.lang, p.group_name) : p.group_name;
    box.append(el('p', 'popup-layer', [group, p.updated_by, p.updated_at].filter(Boolean).join(' · ')));
    lyr.bindPopup(box).openPopup();
  }

  renderBody() {
    const doc = this.doc;
    const lang = this.lang;
    this.body.replaceChildren();
    this.body.append(el('h3', null, doc.title[lang] || doc.title.en));
    if (doc.example) {
      this.body.append(el('p', 'stats-note', t(lang, 'exampleNote')));
    }
    for (const para of String(doc.narrative[lang] || doc.narrative.en).split(/\n+/)) {
      this.body.append(el('p', 'scenario-narrative', para));
    }
    const titled = (doc.layers || []).filter((l) => l.title);
    if (titled.length) {
      const layers = el('ul', 'scenario-layers');
      layers.id = 'scenario-layers';
      titled.forEach((l) => layers.append(el('li', null, l.title[lang] || l.title.en)));
      this.body.append(el('h3', null, t(lang, 'scenarioLayers')), layers);
    }
    const kinds = el('ul', 'legend');
    kinds.id = 'sketch-legend';
    for (const k of this.kinds()) {
      const li = el('li');
      const sw = el('span', 'swatch swatch-circle');
      sw.style.setProperty('--swatch', k.color);
      li.append(sw, document.createTextNode(k.title[lang] || k.id));
      kinds.append(li);
    }
    this.body.append(el('h3', null, t(lang, 'sketches')), kinds);
    const count = el('p', 'layer-status', `${this.sketchFeatures.length} ${t(lang, 'sketchCount')}`);
    count.id = 'sketch-count';
    this.body.append(count);
    if ((doc.statistics || []).length) {
      this.body.append(el('h3', null, t(lang, 'statistics')));
      const ul = el('ul', 'scenario-stats');
      for (const id of doc.statistics) {
        const li = el('li');
        const button = el('button', 'link-button', this.hooks.statisticTitle(id, lang));
        button.type = 'button';
        button.addEventListener('click', () => this.hooks.openStatistic(id));
        li.append(button);
        ul.append(li);
      }
      this.body.append(ul);
    }
    this.body.append(this.downloads());
    this.body.append(this.editor.panel(lang));
    if (!this.editor.participant) {
      this.body.append(this.sessions.panel(lang));
    }
    if (this.liveView && this.editor.participant) {
      this.body.append(this.liveView.panel(lang)); // the phone: drawing first
    } else if (this.liveView) {
      this.body.prepend(this.liveView.panel(lang));
    }
    if (this.feed) {
      this.body.prepend(this.feedBadge);
    }
  }

  downloads() {
    const id = encodeURIComponent(this.current);
    const box = el('p', 'scenario-downloads');
    const links = [
      [`scenarios/${id}/map.pdf`, { paper: 'A3', lang: this.lang }, 'PDF A3'],
      [`scenarios/${id}/map.png`, { paper: 'A4', dpi: 150, lang: this.lang }, 'PNG'],
      [`scenarios/${id}/share.png`, { size: '1200x630', lang: this.lang }, t(this.lang, 'shareImage')],
      [`scenarios/${id}.gpkg`, null, 'GeoPackage'],
    ];
    box.append(document.createTextNode(`${t(this.lang, 'download')}: `));
    links.forEach(([path, params, text], i) => {
      const a = el('a', null, text);
      a.href = apiUrl(path, params).href;
      box.append(a);
      if (i + 1 < links.length) {
        box.append(document.createTextNode(' · '));
      }
    });
    return box;
  }
}
