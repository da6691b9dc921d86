// sketch_editor.js - facilitators' editing of a scenario's sketches, on a phone or a
// laptop: draw a point, a line or an area (Leaflet-Geoman, loaded only when editing
// starts), pick one to move its vertices or drag it, change its kind, note and group, save
// or delete it. Every change is one request with the facilitator's token; the server
// checks everything and answers what was wrong, which is shown as it is.
// The token stays in this tab's sessionStorage, never in the URL or a shared link.
import { apiUrl } from './api.js';
import { t } from './i18n.js';

const TOKEN_KEY = 'cityatlas-facilitator-token';
const GEOMAN = 'node_modules/@geoman-io/leaflet-geoman-free/dist/';
let geomanLoading = null;

function loadGeoman() {
  if (!geomanLoading) {
    geomanLoading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = GEOMAN + 'leaflet-geoman.css';
      document.head.append(css);
      const script = document.createElement('script');
      script.src = GEOMAN + 'leaflet-geoman.min.js';
      script.onload = resolve;
      script.onerror = () => reject(new Error('leaflet-geoman'));
      document.head.append(script);
    });
  }
  return geomanLoading;
}

function field(labelText, control) {
  const label = document.createElement('label');
  label.className = 'form-field';
  label.append(document.createTextNode(labelText), control);
  return label;
}

function button(text, action, name) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.action = name;
  if (action) {
    b.addEventListener('click', action);
  }
  return b;
}

export class SketchEditor {
  constructor(map, scenarios) {
    this.map = map;
    this.scenarios = scenarios;
    this.active = false;
    this.selected = null;
    this.box = null;
  }

  token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  // The facilitator's part of the scenario panel.
  panel(lang) {
    this.lang = lang;
    const box = document.createElement('details');
    box.className = 'sketch-editor';
    box.open = this.active;
    const summary = document.createElement('summary');
    summary.textContent = t(lang, 'facilitator');
    box.append(summary);
    this.message = document.createElement('p');
    this.message.className = 'editor-message';
    this.message.setAttribute('role', 'alert');
    if (!this.active) {
      const form = document.createElement('form');
      const token = document.createElement('input');
      token.type = 'password';
      token.id = 'facilitator-token';
      token.autocomplete = 'off';
      token.value = this.token();
      const submit = button(t(lang, 'startEditing'), null, 'start');
      submit.type = 'submit';
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        this.start(token.value.trim());
      });
      form.append(field(t(lang, 'token'), token), submit);
      box.append(form);
    } else {
      box.append(...this.form(lang));
    }
    box.append(this.message);
    this.box = box;
    return box;
  }

  form(lang) {
    this.kind = document.createElement('select');
    this.kind.id = 'sketch-kind';
    for (const k of this.scenarios.kinds()) {
      this.kind.append(new Option(k.title[lang] || k.id, k.id));
    }
    this.group = document.createElement('input');
    this.group.id = 'sketch-group';
    this.group.maxLength = 100;
    this.note = document.createElement('textarea');
    this.note.id = 'sketch-note';
    this.note.maxLength = 2000;
    this.note.rows = 3;
    const tools = document.createElement('div');
    tools.className = 'editor-tools';
    tools.append(
      button(t(lang, 'addPoint'), () => this.draw('CircleMarker'), 'add-point'),
      button(t(lang, 'addLine'), () => this.draw('Line'), 'add-line'),
      button(t(lang, 'addArea'), () => this.draw('Polygon'), 'add-area'),
    );
    const selected = document.createElement('div');
    selected.className = 'editor-tools';
    selected.append(
      button(t(lang, 'saveSketch'), () => this.saveSelected(), 'save'),
      button(t(lang, 'deleteSketch'), () => this.deleteSelected(), 'delete'),
      button(t(lang, 'stopEditing'), () => this.stop(true), 'stop'),
    );
    const hint = document.createElement('p');
    hint.className = 'layer-status';
    hint.textContent = t(lang, 'editHint');
    return [
      field(t(lang, 'sketchKind'), this.kind),
      field(t(lang, 'sketchGroup'), this.group),
      field(t(lang, 'sketchNote'), this.note),
      tools,
      hint,
      selected,
    ];
  }

  say(text, isError) {
    if (this.message) {
      this.message.textContent = text;
      this.message.classList.toggle('error', Boolean(isError));
    }
  }

  async start(token) {
    if (!/^cat_[A-Za-z0-9_-]{20,}$/.test(token)) {
      this.say(t(this.lang, 'tokenFormat'), true);
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    await loadGeoman();
    if (!this.map.pm) {
      this.map.pm = new L.PM.Map(this.map); // the map was made before Geoman arrived
    }
    this.map.pm.setGlobalOptions({ tooltips: false, snappable: false });
    this.map.off('pm:create');
    this.map.on('pm:create', (e) => this.created(e.layer));
    this.active = true;
    this.scenarios.renderBody();
  }

  stop(rerender) {
    if (this.map.pm) {
      this.map.pm.disableDraw();
    }
    this.unselect();
    this.active = false;
    if (rerender && this.scenarios.doc) {
      this.scenarios.renderBody();
    }
  }

  draw(shape) {
    this.unselect();
    this.map.pm.enableDraw(shape, { continueDrawing: false, finishOn: shape === 'CircleMarker' ? null : 'dblclick' });
    this.say(t(this.lang, shape === 'CircleMarker' ? 'drawPointHint' : 'drawShapeHint'));
  }

  properties() {
    return { kind: this.kind.value, note: this.note.value, group: this.group.value };
  }

  async created(layer) {
    const feature = { type: 'Feature', geometry: layer.toGeoJSON().geometry, properties: this.properties() };
    layer.remove();
    const ok = await this.send('POST', '', feature);
    if (ok) {
      this.note.value = '';
    }
  }

  select(lyr) {
    if (lyr === this.selected) {
      return; // a click ending a drag: keep what the facilitator typed
    }
    this.unselect();
    this.selected = lyr;
    const p = lyr.sketch.properties;
    this.kind.value = p.kind;
    this.note.value = p.note || '';
    this.group.value = p.group_name || '';
    lyr.setStyle({ weight: 6, dashArray: '6 4' });
    if (!lyr.pm) {
      L.PM.reInitLayer(lyr);
    }
    lyr.pm.enable({ draggable: true, allowSelfIntersection: false });
    this.say(t(this.lang, 'selectedHint'));
  }

  unselect() {
    if (this.selected) {
      if (this.selected.pm) {
        this.selected.pm.disable();
      }
      this.selected.setStyle(this.scenarios.sketchStyle(this.selected.sketch.properties.kind));
      this.selected = null;
    }
  }

  async saveSelected() {
    if (!this.selected) {
      this.say(t(this.lang, 'selectFirst'), true);
      return;
    }
    const id = this.selected.sketch.properties.sketch_id;
    const feature = { type: 'Feature', geometry: this.selected.toGeoJSON().geometry, properties: this.properties() };
    await this.send('PUT', `/${id}`, feature);
  }

  async deleteSelected() {
    if (!this.selected) {
      this.say(t(this.lang, 'selectFirst'), true);
      return;
    }
    if (!window.confirm(t(this.lang, 'confirmDelete'))) {
      return;
    }
    await this.send('DELETE', `/${this.selected.sketch.properties.sketch_id}`, null);
  }

  // One write; on success the sketches are reloaded from the server (the truth).
  async send(method, suffix, feature) {
    const url = apiUrl(`scenarios/${encodeURIComponent(this.scenarios.current)}/sketches${suffix}`);
    const headers = { Authorization: `Bearer ${this.token()}` };
    if (feature) {
      headers['Content-Type'] = 'application/geo+json';
    }
    let resp;
    try {
      resp = await fetch(url, { method, headers, body: feature ? JSON.stringify(feature) : undefined });
    } catch (e) {
      this.say(`${t(this.lang, 'loadFailed')}: ${e.message}`, true);
      return false;
    }
    if (!resp.ok) {
      const body = await resp.json().catch(() => null);
      const why = body && body.description ? body.description : `HTTP ${resp.status}`;
      this.say(`${resp.status === 401 || resp.status === 403 ? t(this.lang, 'tokenRefused') + ' ' : ''}${why}`, true);
      if (this.selected) {
        this.unselect();
        await this.scenarios.reloadSketches();
      }
      return false;
    }
    this.unselect();
    await this.scenarios.reloadSketches();
    this.say(t(this.lang, 'saved'));
    return true;
  }
}
