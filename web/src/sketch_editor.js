// sketch_editor.js - facilitators' editing of a scenario's sketches, on a phone or a
// laptop: draw a point, a line or an area (Leaflet-Geoman, loaded only when editing
// starts), pick one to move its vertices or drag it, change its kind, note and group, save
// or delete it. Every change is one request with the facilitator's token; the server
// checks everything. A drawing it refuses is never thrown away: it stays on the map as an
// unsaved drawing (dashed red), selected, with the reason in the page's language, to fix and
// save again (or delete on purpose).
// While a drawing tool is active, a tap on an existing sketch does not select it: the tap
// places the new drawing, and the form keeps what the person typed for it.
// The token stays in this tab's sessionStorage, never in the URL or a shared link.
// A participant of a session (participation.js) uses the same editor with their own
// credential: their own sketches can be edited, everyone else's only looked at. Every edit
// carries the sketch's version (If-Match); when someone changed it meanwhile, the server's
// 412 brings the current version, shown beside the person's own, and they keep theirs or
// take the current one.
import { apiUrl } from './api.js';
import { facilitatorToken, setFacilitatorToken } from './facilitator_token.js';
import { t } from './i18n.js';
import { participantRefusal } from './participation.js';

const GEOMAN = 'node_modules/@geoman-io/leaflet-geoman-free/dist/';
// A tap this close (CSS px) to the last corner of a line or an area ends it: a finger's width.
const FINISH_TAP_PX = 24;
const UNSAVED_STYLE = { color: '#c62828', weight: 4, dashArray: '8 6', fillColor: '#c62828', fillOpacity: 0.15, opacity: 1 };
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

// The server's reason for refusing a sketch, in the page's language. The server words its
// errors in English for API clients; the map names the common causes itself.
function refusalReason(lang, status, description) {
  const d = description || '';
  if (status === 429 || status === 503) {
    return t(lang, 'refusedBusy');
  }
  if (/self-intersect/i.test(d)) {
    return t(lang, 'refusedSelfIntersection');
  }
  if (/outside the city/i.test(d)) {
    return t(lang, 'refusedOutside');
  }
  if (/vertices/i.test(d)) {
    return t(lang, 'refusedTooManyVertices');
  }
  if (/longer than/i.test(d)) {
    return t(lang, 'refusedTooLong');
  }
  if (/not valid|invalid/i.test(d)) {
    return t(lang, 'refusedInvalid');
  }
  return t(lang, 'refusedOther');
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
    this.drawing = false;
    this.unsaved = L.layerGroup();
    this.participant = null; // a Participant while a participant draws, else the facilitator's token
  }

  // The Authorization of this editor's writes and reads.
  headers() {
    return this.participant ? this.participant.headers() : { Authorization: `Bearer ${facilitatorToken()}` };
  }

  // Whether the person may change this sketch (participants: only their own).
  owns(properties) {
    return !this.participant || this.scenarios.isMine(properties.sketch_id);
  }

  // A participant's editor, started at once (the join card took the place of the token).
  async startParticipant(participant) {
    this.participant = participant;
    await this.begin();
  }

  // The facilitator's part of the scenario panel.
  panel(lang) {
    this.lang = lang;
    const box = document.createElement('details');
    box.className = 'sketch-editor';
    box.open = this.active;
    const summary = document.createElement('summary');
    summary.textContent = t(lang, this.participant ? 'yourSketches' : 'facilitator');
    box.append(summary);
    this.message = document.createElement('p');
    this.message.className = 'editor-message';
    this.message.setAttribute('role', 'alert');
    if (this.participant) {
      const who = [this.participant.name, this.participant.groupTitle(lang, this.participant.group)].filter(Boolean).join(' · ');
      const p = document.createElement('p');
      p.className = 'layer-status';
      p.id = 'participant-name';
      p.textContent = `${t(lang, 'joinedAs')}: ${who || t(lang, 'anonymous')}`;
      box.append(p);
    }
    if (!this.active) {
      const form = document.createElement('form');
      const token = document.createElement('input');
      token.type = 'password';
      token.id = 'facilitator-token';
      token.autocomplete = 'off';
      token.value = facilitatorToken();
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
    this.unsavedNote = document.createElement('p');
    this.unsavedNote.id = 'unsaved-count';
    this.unsavedNote.className = 'layer-status';
    this.showUnsaved();
    this.conflictBox = document.createElement('div');
    this.conflictBox.className = 'sketch-conflict';
    this.conflictBox.id = 'sketch-conflict';
    this.conflictBox.hidden = true;
    return [
      field(t(lang, 'sketchKind'), this.kind),
      // A participant's group is the one chosen on joining (the server sets it).
      ...(this.participant ? [] : [field(t(lang, 'sketchGroup'), this.group)]),
      field(t(lang, 'sketchNote'), this.note),
      tools,
      hint,
      this.unsavedNote,
      selected,
      this.conflictBox,
    ];
  }

  // Says it in the panel and on the map's status line: on a phone the panel is closed while
  // the person draws, and the result of a drawing must be seen where they look.
  say(text, isError) {
    for (const box of [this.message, document.getElementById('status')]) {
      if (box) {
        box.textContent = text;
        box.classList.toggle('error', Boolean(isError));
      }
    }
  }

  async start(token) {
    if (!setFacilitatorToken(token)) {
      this.say(t(this.lang, 'tokenFormat'), true);
      return;
    }
    await this.begin();
  }

  async begin() {
    await loadGeoman();
    if (!this.map.pm) {
      this.map.pm = new L.PM.Map(this.map); // the map was made before Geoman arrived
    }
    this.map.pm.setGlobalOptions({ tooltips: false, snappable: false });
    this.map.off('pm:create');
    this.map.on('pm:create', (e) => this.created(e.layer));
    this.map.off('pm:drawend');
    this.map.on('pm:drawend', () => this.drawingEnded());
    // Before Geoman's own click listener, which each tool adds when it starts: a finishing
    // tap must end the drawing before Geoman would add it as one more corner.
    this.map.off('click', this.finishOnTapAgain, this);
    this.map.on('click', this.finishOnTapAgain, this);
    this.unsaved.addTo(this.map);
    this.active = true;
    this.scenarios.renderBody();
    if (this.participant) {
      await this.scenarios.reloadSketches();
    }
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

  // Lines and areas end when the last corner is tapped again (or the first corner of an
  // area), not on Geoman's finishOn 'dblclick': on a touch screen Leaflet makes a double
  // click of any two taps within 200 ms, wherever they land, so a participant placing
  // corners quickly would see the drawing end early and be saved with the corners so far.
  draw(shape) {
    this.unselect();
    this.drawing = true;
    if (this.map.doubleClickZoom.enabled()) {
      this.map.doubleClickZoom.disable(); // a double tap on the last corner must not zoom
      this.zoomPausedForDrawing = true;
    }
    this.map.pm.enableDraw(shape, { continueDrawing: false, finishOn: null });
    this.say(t(this.lang, shape === 'CircleMarker' ? 'drawPointHint' : 'drawShapeHint'));
  }

  finishOnTapAgain(e) {
    const draw = this.map.pm && this.map.pm.Draw;
    const shape = draw && draw.getActiveShape();
    if (shape !== 'Line' && shape !== 'Polygon') {
      return;
    }
    const tool = draw[shape];
    const corners = tool._layer.getLatLngs();
    const last = corners[corners.length - 1];
    if (last && this.map.latLngToContainerPoint(last).distanceTo(e.containerPoint) <= FINISH_TAP_PX) {
      tool._finishShape(); // what Geoman's own "finish" action calls
    }
  }

  properties() {
    const p = { kind: this.kind.value, note: this.note.value };
    if (!this.participant) {
      p.group = this.group.value;
    }
    return p;
  }

  // Leaflet delivers one tap to the sketch under it and to the map (where Geoman places the
  // new drawing) in the same event dispatch, in either order; the flag outlives both.
  // Geoman also ends a tool when the next one starts, so a tool still on keeps the flag.
  drawingEnded() {
    setTimeout(() => {
      this.drawing = Boolean(this.map.pm && this.map.pm.globalDrawModeEnabled());
      if (!this.drawing && this.zoomPausedForDrawing) {
        this.map.doubleClickZoom.enable();
        this.zoomPausedForDrawing = false;
      }
    }, 0);
  }

  async created(layer) {
    const feature = { type: 'Feature', geometry: layer.toGeoJSON().geometry, properties: this.properties() };
    this.drawingEnded();
    layer.remove();
    const ok = await this.send('POST', '', feature);
    if (ok) {
      this.note.value = '';
    } else {
      this.select(this.keepUnsaved(feature), true);
    }
  }

  // A refused drawing stays on the map, selectable, with the properties it was drawn with.
  // Returns its layer.
  keepUnsaved(feature) {
    const group = L.geoJSON(feature, {
      style: () => UNSAVED_STYLE,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { ...UNSAVED_STYLE, radius: 9 }),
    });
    const lyr = group.getLayers()[0];
    lyr.sketch = { properties: { ...feature.properties, group_name: feature.properties.group } };
    lyr.isUnsaved = true;
    lyr.on('click', () => this.active && this.select(lyr));
    this.unsaved.addLayer(lyr);
    this.showUnsaved();
    return lyr;
  }

  // How many refused drawings wait on the map, said in the panel (hidden when none).
  showUnsaved() {
    const n = this.unsaved.getLayers().length;
    this.unsavedNote.textContent = n ? `${t(this.lang, 'unsavedCount')}: ${n}` : '';
    this.unsavedNote.hidden = n === 0;
    this.unsavedNote.dataset.count = String(n);
  }

  // Selects a sketch for editing and loads its fields into the form; isQuiet keeps the message
  // shown (the reason a drawing was refused).
  select(lyr, isQuiet) {
    if (lyr === this.selected || this.drawing) {
      return; // a click ending a drag, or the tap placing a new drawing: keep what was typed
    }
    const p = lyr.sketch.properties;
    if (!lyr.isUnsaved && !this.owns(p)) {
      this.scenarios.showSketch(lyr);
      this.say(t(this.lang, 'othersReadOnly'));
      return;
    }
    this.unselect();
    this.selected = lyr;
    this.kind.value = p.kind;
    this.note.value = p.note || '';
    if (!this.participant) {
      this.group.value = p.group_name || '';
    }
    lyr.setStyle({ weight: 6, dashArray: '6 4' });
    if (!lyr.pm) {
      L.PM.reInitLayer(lyr);
    }
    lyr.pm.enable({ draggable: true, allowSelfIntersection: false });
    if (!isQuiet) {
      this.say(t(this.lang, 'selectedHint'));
    }
  }

  unselect() {
    if (this.selected) {
      if (this.selected.pm) {
        this.selected.pm.disable();
      }
      const style = this.selected.isUnsaved ? UNSAVED_STYLE : this.scenarios.sketchStyle(this.selected.sketch.properties.kind);
      this.selected.setStyle(style);
      this.selected = null;
      this.conflictBox.hidden = true;
      this.scenarios.redrawIfStale();
    }
  }

  async saveSelected() {
    if (!this.selected) {
      this.say(t(this.lang, 'selectFirst'), true);
      return;
    }
    const lyr = this.selected;
    const feature = { type: 'Feature', geometry: lyr.toGeoJSON().geometry, properties: this.properties() };
    if (!lyr.isUnsaved) {
      await this.send('PUT', `/${lyr.sketch.properties.sketch_id}`, feature);
    } else if (await this.send('POST', '', feature)) {
      this.unsaved.removeLayer(lyr);
      this.showUnsaved();
    } else {
      lyr.sketch.properties = { ...feature.properties, group_name: feature.properties.group };
    }
  }

  async deleteSelected() {
    if (!this.selected) {
      this.say(t(this.lang, 'selectFirst'), true);
      return;
    }
    if (!window.confirm(t(this.lang, 'confirmDelete'))) {
      return;
    }
    if (this.selected.isUnsaved) {
      const lyr = this.selected;
      this.unselect();
      this.unsaved.removeLayer(lyr);
      this.showUnsaved();
      return;
    }
    await this.send('DELETE', `/${this.selected.sketch.properties.sketch_id}`, null);
  }

  // One write; on success the sketches are reloaded from the server (the truth). An edit
  // or a delete names the version it changes (If-Match), so a stale one is refused with 412.
  async send(method, suffix, feature, version) {
    const url = apiUrl(`scenarios/${encodeURIComponent(this.scenarios.current)}/sketches${suffix}`);
    const headers = this.headers();
    if (feature) {
      headers['Content-Type'] = 'application/geo+json';
    }
    const known = version !== undefined ? version : this.selected && this.selected.sketch.properties.version;
    if (method !== 'POST' && known) {
      headers['If-Match'] = `"v${known}"`;
    }
    let resp;
    try {
      resp = await fetch(url, { method, headers, body: feature ? JSON.stringify(feature) : undefined });
    } catch (e) {
      const kept = method === 'POST' ? ` ${t(this.lang, 'refusedKept')}` : '';
      this.say(`${t(this.lang, 'loadFailed')}: ${e.message}.${kept}`, true);
      return false;
    }
    const body = await resp.json().catch(() => null);
    if (resp.status === 412 && method !== 'POST') {
      this.conflict(method, suffix, feature, body ? body.current : null);
      return false;
    }
    if (!resp.ok) {
      // A refused edit stays selected with what the person changed, to fix and save again.
      this.refused(resp.status, body, method === 'POST', resp.headers.get('Retry-After'));
      return false;
    }
    if (method === 'POST' && body) {
      const added = body.features || [body];
      added.forEach((f) => f.properties && this.scenarios.markMine(f.properties.sketch_id));
    }
    this.unselect();
    await this.scenarios.reloadSketches();
    this.say(t(this.lang, 'saved'));
    return true;
  }

  // Someone changed (or deleted) the sketch since this person loaded it: both versions side
  // by side, and the choice to keep theirs (sent again over the current version) or to take
  // the current one.
  conflict(method, suffix, feature, current) {
    const box = this.conflictBox;
    box.replaceChildren();
    box.hidden = false;
    const lang = this.lang;
    const describe = (p) => [this.scenarios.kindOf(p.kind).title[lang], p.note, p.updated_by].filter(Boolean).join(' · ');
    const heading = document.createElement('p');
    heading.textContent = t(lang, current ? 'conflictChanged' : 'conflictDeleted');
    box.append(heading);
    if (current) {
      const theirs = document.createElement('p');
      theirs.id = 'conflict-current';
      theirs.textContent = `${t(lang, 'conflictCurrent')}: ${describe(current.properties)}`;
      box.append(theirs);
    }
    if (feature) {
      const mine = document.createElement('p');
      mine.id = 'conflict-mine';
      mine.textContent = `${t(lang, 'conflictMine')}: ${describe(feature.properties)}`;
      box.append(mine);
    }
    const tools = document.createElement('div');
    tools.className = 'editor-tools';
    const keep = async () => {
      box.hidden = true;
      if (!current) {
        if (feature) {
          await this.send('POST', '', feature); // deleted meanwhile: theirs comes back as new
        } else {
          this.unselect();
          await this.scenarios.reloadSketches();
        }
        return;
      }
      await this.send(method, suffix, feature, current.properties.version);
    };
    const take = async () => {
      box.hidden = true;
      this.unselect();
      await this.scenarios.reloadSketches();
      this.say(t(lang, 'conflictTaken'));
    };
    tools.append(button(t(lang, 'conflictKeepMine'), keep, 'keep-mine'), button(t(lang, 'conflictTakeCurrent'), take, 'take-current'));
    box.append(tools);
    this.say(t(lang, current ? 'conflictChanged' : 'conflictDeleted'), true);
  }

  // Says why a write was refused. The server's own words stay available as the message's
  // tooltip (and inline in English), for a facilitator to report.
  refused(status, body, isKeptOnMap, retryAfter) {
    const detail = body && body.description ? body.description : `HTTP ${status}`;
    const participantWords = participantRefusal(this.lang, status, body, retryAfter);
    let text;
    if (participantWords) {
      text = participantWords;
    } else if (status === 401 || status === 403) {
      text = `${t(this.lang, 'tokenRefused')} ${detail}`;
    } else {
      text = refusalReason(this.lang, status, detail);
      text += this.lang === 'en' ? ` (${detail}).` : '';
    }
    if (isKeptOnMap) {
      text += ` ${t(this.lang, 'refusedKept')}`;
    }
    this.say(text, true);
    if (this.message) {
      this.message.title = detail;
    }
  }
}
