// scenario_builder.js - facilitators build scenarios without writing JSON: create, duplicate
// and edit one (titles and narrative in Thai, English optional; the extent from the map's
// view; layers from the catalog, each with its own title and a filter made by ticking values;
// sketch kinds with titles and colours), and delete one (asked first, and undoable: the
// deleted document and its sketches are kept in the page and "undo" puts them back).
// Every write is one request with the facilitator's token; the server checks everything and
// its refusals are shown on the field they name (builder_errors.js).
import { apiUrl, getFeatures, getJson } from './api.js';
import { controlFor, reasonText, splitDescription } from './builder_errors.js';
import { city } from './city.js';
import { facilitatorHeaders, facilitatorToken, setFacilitatorToken } from './facilitator_token.js';
import { MAX_VALUES, filterText, parseFilterText, propertyValues, textProperties } from './filter_values.js';
import { t } from './i18n.js';
import { coloursIn, pickColour } from './kind_palette.js';
import { button, el } from './dom.js';

const SLUG = /^[a-z0-9-]{1,45}$/;
const MAX_LAYERS = 32;
const MAX_STATISTICS = 8;
const MAX_KINDS = 16;
const SKETCHES_PER_REQUEST = 500; // the server's limit for one POST of sketches

// An id from a title: ASCII words joined by '-' (empty when none, e.g. a Thai-only title).
function slugOf(text) {
  return String(text || '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

// The map's view as an extent, kept inside the city's own extent (the server refuses beyond).
function viewExtent(map) {
  const b = map.getBounds();
  const box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  const c = city.extent;
  const clipped = c ? [Math.max(box[0], c[0]), Math.max(box[1], c[1]), Math.min(box[2], c[2]), Math.min(box[3], c[3])] : box;
  const usable = clipped[0] < clipped[2] && clipped[1] < clipped[3] ? clipped : box;
  return usable.map((v) => Math.round(v * 1e5) / 1e5);
}

export class ScenarioBuilder {
  // panel: the ScenarioPanel (map, list, current, doc, lang, loadList(), choose()).
  // hooks: { layers() -> [{ info, style }], loadStyle(id) -> Promise (the layer's style is then
  // in layers()), featured() -> [{ id, title }] }
  constructor(panel, hooks) {
    this.panel = panel;
    this.hooks = hooks;
    this.draft = null;
    this.deleted = null; // { doc, sketches } of the last deleted scenario, for "undo"
    this.box = el('details', 'scenario-builder');
    this.box.id = 'scenario-builder';
    this.lastMessage = null;
  }

  get lang() {
    return this.panel.lang;
  }

  // The builder's part of the panel, rendered again for the current scenario and language.
  render() {
    const lang = this.lang;
    const wasOpen = this.box.open || Boolean(this.draft);
    this.box.replaceChildren();
    this.box.open = wasOpen;
    this.box.append(el('summary', null, t(lang, 'builderTitle')));
    this.message = el('p', 'editor-message builder-message');
    this.message.id = 'builder-message';
    this.message.setAttribute('role', 'alert');
    if (!facilitatorToken()) {
      this.box.append(this.tokenForm(), this.message);
      return this.box;
    }
    const tools = el('div', 'editor-tools');
    tools.append(button(t(lang, 'newScenario'), () => this.open('new'), 'new-scenario'));
    if (this.panel.current) {
      tools.append(
        button(t(lang, 'editScenario'), () => this.open('edit'), 'edit-scenario'),
        button(t(lang, 'duplicateScenario'), () => this.open('duplicate'), 'duplicate-scenario'),
        button(t(lang, 'deleteScenario'), () => this.remove(), 'delete-scenario'),
      );
    }
    if (this.deleted) {
      const title = this.deleted.doc.title[lang] || this.deleted.doc.title.en;
      tools.append(button(`${t(lang, 'undoDelete')}: ${title}`, () => this.undoDelete(), 'undo-delete'));
    }
    this.box.append(tools, this.message);
    if (this.draft) {
      this.box.append(this.form());
    }
    if (this.lastMessage) {
      this.say(...this.lastMessage);
    }
    return this.box;
  }

  tokenForm() {
    const form = el('form');
    const input = el('input');
    input.type = 'password';
    input.id = 'builder-token';
    input.autocomplete = 'off';
    const label = el('label', 'form-field', t(this.lang, 'token'));
    label.append(input);
    const submit = el('button', null, t(this.lang, 'useToken'));
    submit.type = 'submit';
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (setFacilitatorToken(input.value.trim())) {
        this.lastMessage = null;
        this.render();
      } else {
        this.say(t(this.lang, 'tokenFormat'), true);
      }
    });
    form.append(label, submit);
    return form;
  }

  say(text, isError) {
    this.lastMessage = [text, isError];
    this.message.textContent = text;
    this.message.classList.toggle('error', Boolean(isError));
  }

  // The editable draft of a new scenario, or of the current one (edit or duplicate).
  async open(mode) {
    this.lastMessage = null;
    if (mode === 'new') {
      this.draft = this.newDraft();
    } else {
      const doc = await getJson(`scenarios/${encodeURIComponent(this.panel.current)}`);
      this.draft = this.draftOf(doc, mode);
    }
    this.box.open = true;
    this.render();
    this.box.querySelector('#scn-title-th').focus();
  }

  close() {
    this.draft = null;
    this.render();
  }

  layerColours(layers) {
    const styles = new Map(this.hooks.layers().map((l) => [l.info.id, l.style]));
    return layers.flatMap((l) => coloursIn(styles.get(l.collection)).concat(coloursIn(l.style)));
  }

  // Kinds whose colour was chosen for them (not by a person) get one apart from the layers'
  // colours and from each other's.
  recolourKinds() {
    const taken = this.layerColours(this.draft.layers);
    for (const k of this.draft.kinds) {
      if (k.isAutoColour) {
        k.color = pickColour(taken);
      }
      taken.push(k.color);
    }
  }

  newDraft() {
    // Until an English title gives one, the id is the day and time (Thai titles have no
    // Latin letters for an id).
    const now = new Date().toISOString();
    const autoId = `scenario-${now.slice(0, 10).replace(/-/g, '')}-${now.slice(11, 16).replace(':', '')}`;
    const draft = {
      mode: 'new',
      id: autoId,
      autoId,
      isIdTyped: false,
      title: { th: '', en: '' },
      narrative: { th: '', en: '' },
      extent: viewExtent(this.panel.map),
      layers: [],
      statistics: [],
      kinds: city.sketchKinds.map((k) => ({ id: k.id, title: { ...k.title }, color: k.color, isAutoColour: true, isNew: true })),
    };
    this.draft = draft;
    this.recolourKinds();
    return draft;
  }

  draftOf(doc, mode) {
    const isCopy = mode === 'duplicate';
    const draft = {
      mode,
      id: isCopy ? `${doc.id}-copy`.slice(0, 45) : doc.id,
      autoId: `${doc.id}-copy`.slice(0, 45),
      isIdTyped: !isCopy,
      title: isCopy ? { th: `${doc.title.th} (${t('th', 'copyOf')})`, en: `${doc.title.en} (${t('en', 'copyOf')})` } : { ...doc.title },
      narrative: { ...doc.narrative },
      extent: doc.extent.slice(),
      layers: (doc.layers || []).map((l) => {
        const parsed = l.filter ? parseFilterText(l.filter) : null;
        return {
          collection: l.collection,
          title: l.title ? { ...l.title } : this.catalogTitle(l.collection),
          property: parsed ? parsed.property : '',
          values: parsed ? parsed.values : [],
          customFilter: l.filter && !parsed ? l.filter : null,
          style: l.style || null,
        };
      }),
      statistics: (doc.statistics || []).slice(),
      kinds: (doc.sketch_kinds || []).map((k) => ({ ...k, title: { ...k.title }, isAutoColour: false, isNew: false })),
      example: isCopy ? false : Boolean(doc.example),
    };
    if (draft.title.en === draft.title.th) {
      draft.title.en = ''; // the English was a copy of the Thai: keep it optional
    }
    if (draft.narrative.en === draft.narrative.th) {
      draft.narrative.en = '';
    }
    return draft;
  }

  catalogTitle(collection) {
    const layer = this.hooks.layers().find((l) => l.info.id === collection);
    return layer ? { ...layer.info.title } : { th: collection, en: collection };
  }

  // A text input (or textarea) bound to obj[key], with the JSON path the server names.
  input(labelKey, obj, key, path, options = {}) {
    const control = el(options.isLong ? 'textarea' : 'input');
    if (options.isLong) {
      control.rows = 4;
    }
    control.id = options.id || '';
    control.value = obj[key] || '';
    control.maxLength = options.max || 200;
    control.dataset.path = path;
    control.dataset.label = options.label || t(this.lang, labelKey);
    control.addEventListener('input', () => {
      obj[key] = control.value;
      control.removeAttribute('aria-invalid');
      if (options.onInput) {
        options.onInput(control.value);
      }
    });
    const label = el('label', 'form-field', control.dataset.label);
    label.append(control);
    if (options.hint) {
      label.append(el('small', 'field-hint', options.hint));
    }
    return label;
  }

  form() {
    const lang = this.lang;
    const d = this.draft;
    const form = el('form', 'builder-form');
    form.id = 'scenario-form';
    form.noValidate = true;
    form.append(el('h3', null, t(lang, d.mode === 'edit' ? 'editingScenario' : 'newScenarioTitle')));
    const optional = t(lang, 'englishOptional');
    const idField = this.input('scenarioId', d, 'id', 'id', { id: 'scn-id', max: 45, hint: t(lang, 'scenarioIdHint'), onInput: () => { d.isIdTyped = true; } });
    const idInput = idField.querySelector('input');
    idInput.readOnly = d.mode === 'edit'; // an id is the scenario's address: a copy gets a new one
    form.append(
      this.input('titleTh', d.title, 'th', 'title.th', { id: 'scn-title-th' }),
      this.input('titleEn', d.title, 'en', 'title.en', {
        id: 'scn-title-en',
        hint: optional,
        onInput: (v) => {
          if (!d.isIdTyped && d.mode !== 'edit') {
            d.id = slugOf(v) || d.autoId;
            idInput.value = d.id;
          }
        },
      }),
      idField,
      this.input('narrativeTh', d.narrative, 'th', 'narrative.th', { id: 'scn-narrative-th', isLong: true, max: 4000 }),
      this.input('narrativeEn', d.narrative, 'en', 'narrative.en', { id: 'scn-narrative-en', isLong: true, max: 4000, hint: optional }),
      this.extentField(),
      this.layersField(),
      this.statisticsField(),
      this.kindsField(),
    );
    const actions = el('div', 'editor-tools');
    const save = el('button', null, t(lang, 'saveScenario'));
    save.type = 'submit';
    save.dataset.action = 'save-scenario';
    actions.append(save, button(t(lang, 'cancel'), () => this.close(), 'cancel-scenario'));
    form.append(actions);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.save(form);
    });
    return form;
  }

  extentField() {
    const d = this.draft;
    const box = el('fieldset', 'builder-group');
    box.append(el('legend', null, t(this.lang, 'extent')));
    const shown = el('p', 'layer-status');
    shown.id = 'scn-extent';
    shown.tabIndex = -1;
    shown.dataset.path = 'extent';
    shown.dataset.label = t(this.lang, 'extent');
    const show = () => {
      shown.textContent = d.extent.map((v) => v.toFixed(4)).join(', ');
    };
    show();
    box.append(shown, button(t(this.lang, 'extentFromView'), () => {
      d.extent = viewExtent(this.panel.map);
      show();
      shown.removeAttribute('aria-invalid');
    }, 'extent-from-view'));
    return box;
  }

  layersField() {
    const lang = this.lang;
    const d = this.draft;
    const box = el('fieldset', 'builder-group');
    box.id = 'scn-layers';
    box.append(el('legend', null, t(lang, 'scenarioLayers')));
    d.layers.forEach((layer, i) => box.append(this.layerRow(layer, i)));
    const used = new Set(d.layers.map((l) => l.collection));
    const pick = el('select');
    pick.id = 'scn-add-layer';
    pick.append(new Option(t(lang, 'addLayerChoose'), ''));
    for (const { info } of this.hooks.layers()) {
      if (info.geometryType && !info.id.startsWith('scenario-') && !used.has(info.id)) {
        pick.append(new Option(info.title[lang] || info.title.en || info.id, info.id));
      }
    }
    pick.disabled = d.layers.length >= MAX_LAYERS;
    pick.addEventListener('change', async () => {
      const id = pick.value;
      if (!id) {
        return;
      }
      // The map fetches a layer's style when it first draws it: a layer it has not drawn
      // gets its style here first, so that the kinds' colours keep apart from its colours.
      await this.hooks.loadStyle(id).catch(() => null);
      d.layers.push({ collection: id, title: this.catalogTitle(id), property: '', values: [], customFilter: null, style: null });
      this.recolourKinds();
      this.rerenderForm('#scn-add-layer');
    });
    const label = el('label', 'form-field', t(lang, 'addLayer'));
    label.append(pick);
    box.append(label);
    return box;
  }

  layerRow(layer, i) {
    const lang = this.lang;
    const row = el('div', 'builder-row');
    row.dataset.layer = layer.collection;
    const n = `${t(lang, 'layerNumber')} ${i + 1}`;
    const catalog = this.catalogTitle(layer.collection);
    row.append(el('p', 'builder-row-title', `${n}: ${catalog[lang] || catalog.en}`));
    row.append(
      this.input('layerTitleTh', layer.title, 'th', `layers[${i}].title.th`, { label: `${n}: ${t(lang, 'layerTitleTh')}` }),
      this.input('layerTitleEn', layer.title, 'en', `layers[${i}].title.en`, { label: `${n}: ${t(lang, 'layerTitleEn')}`, hint: t(lang, 'englishOptional') }),
    );
    const filter = el('div', 'builder-filter');
    filter.dataset.path = `layers[${i}].filter`;
    filter.dataset.label = `${n}: ${t(lang, 'layerFilter')}`;
    filter.tabIndex = -1;
    row.append(filter);
    this.fillFilter(filter, layer, i);
    row.append(button(t(lang, 'removeLayer'), () => {
      this.draft.layers.splice(i, 1);
      this.recolourKinds();
      this.rerenderForm('#scn-add-layer');
    }, 'remove-layer'));
    return row;
  }

  // The filter of one layer: a property, then its values as checkboxes. A filter this form
  // cannot show as ticks (written by hand in a file) is kept as it is, or removed on purpose.
  async fillFilter(box, layer, i) {
    const lang = this.lang;
    box.replaceChildren();
    if (layer.customFilter) {
      box.append(el('p', 'layer-status', `${t(lang, 'customFilter')}: ${layer.customFilter}`),
        button(t(lang, 'removeFilter'), () => {
          layer.customFilter = null;
          this.fillFilter(box, layer, i);
        }, 'remove-filter'));
      return;
    }
    const property = el('select');
    property.className = 'filter-property';
    property.append(new Option(t(lang, 'noFilter'), ''));
    const label = el('label', 'form-field', `${t(lang, 'filterBy')}`);
    label.append(property);
    const values = el('div', 'filter-values');
    box.append(label, values);
    let names = [];
    try {
      names = await textProperties(layer.collection);
    } catch (e) {
      values.textContent = `${t(lang, 'loadFailed')}: ${e.message}`;
      return;
    }
    names.forEach((name) => property.append(new Option(name, name)));
    if (layer.property && !names.includes(layer.property)) {
      property.append(new Option(layer.property, layer.property));
    }
    property.value = layer.property;
    property.addEventListener('change', () => {
      layer.property = property.value;
      layer.values = [];
      this.fillValues(values, layer);
    });
    this.fillValues(values, layer);
  }

  async fillValues(box, layer) {
    const lang = this.lang;
    box.replaceChildren();
    if (!layer.property) {
      return;
    }
    box.textContent = t(lang, 'loading');
    let got;
    try {
      got = await propertyValues(layer.collection, layer.property);
    } catch (e) {
      box.textContent = `${t(lang, 'loadFailed')}: ${e.message}`;
      return;
    }
    box.replaceChildren();
    if (got.isTooMany) {
      box.append(el('p', 'layer-status', t(lang, 'tooManyValues').replace('{n}', String(MAX_VALUES))));
    }
    // Ticked values the layer no longer has stay listed (and ticked) until unticked.
    const listed = got.values.map((v) => v.value);
    const all = got.values.concat(layer.values.filter((v) => !listed.includes(v)).map((value) => ({ value, count: 0 })));
    for (const { value, count } of all) {
      const tick = el('input');
      tick.type = 'checkbox';
      tick.value = value;
      tick.checked = layer.values.includes(value);
      tick.addEventListener('change', () => {
        layer.values = tick.checked ? layer.values.concat(value) : layer.values.filter((v) => v !== value);
      });
      const row = el('label', 'filter-value');
      row.append(tick, document.createTextNode(` ${value} (${count})`));
      box.append(row);
    }
    if (!got.isComplete) {
      box.append(el('p', 'layer-status', t(lang, 'valuesPartial')));
    }
  }

  statisticsField() {
    const lang = this.lang;
    const d = this.draft;
    const box = el('fieldset', 'builder-group');
    box.dataset.path = 'statistics';
    box.dataset.label = t(lang, 'statistics');
    box.tabIndex = -1;
    box.append(el('legend', null, t(lang, 'statistics')));
    for (const s of this.hooks.featured()) {
      const tick = el('input');
      tick.type = 'checkbox';
      tick.checked = d.statistics.includes(s.id);
      tick.addEventListener('change', () => {
        d.statistics = tick.checked ? d.statistics.concat(s.id) : d.statistics.filter((id) => id !== s.id);
      });
      const row = el('label', 'filter-value');
      row.append(tick, document.createTextNode(` ${s.title[lang] || s.title.en}`));
      box.append(row);
    }
    return box;
  }

  kindsField() {
    const lang = this.lang;
    const d = this.draft;
    const box = el('fieldset', 'builder-group');
    box.id = 'scn-kinds';
    box.dataset.path = 'sketch_kinds';
    box.dataset.label = t(lang, 'sketchKinds');
    box.append(el('legend', null, t(lang, 'sketchKinds')));
    d.kinds.forEach((kind, i) => {
      const row = el('div', 'builder-row builder-kind');
      const n = `${t(lang, 'kindNumber')} ${i + 1}`;
      const colour = el('input');
      colour.type = 'color';
      colour.value = kind.color.toLowerCase();
      colour.dataset.path = `sketch_kinds[${i}].color`;
      colour.dataset.label = `${n}: ${t(lang, 'kindColour')}`;
      colour.addEventListener('input', () => {
        kind.color = colour.value;
        kind.isAutoColour = false;
      });
      const colourLabel = el('label', 'form-field', colour.dataset.label);
      colourLabel.append(colour);
      row.append(
        this.input('kindTitleTh', kind.title, 'th', `sketch_kinds[${i}].title.th`, { label: `${n}: ${t(lang, 'kindTitleTh')}` }),
        this.input('kindTitleEn', kind.title, 'en', `sketch_kinds[${i}].title.en`, { label: `${n}: ${t(lang, 'kindTitleEn')}`, hint: t(lang, 'englishOptional') }),
        colourLabel,
      );
      if (d.kinds.length > 1) {
        row.append(button(t(lang, 'removeKind'), () => {
          d.kinds.splice(i, 1);
          this.rerenderForm('#scn-kinds');
        }, 'remove-kind'));
      }
      box.append(row);
    });
    if (d.kinds.length < MAX_KINDS) {
      box.append(button(t(lang, 'addKind'), () => {
        d.kinds.push({ id: '', title: { th: '', en: '' }, color: '#000000', isAutoColour: true, isNew: true });
        this.recolourKinds();
        this.rerenderForm('#scn-kinds');
      }, 'add-kind'));
    }
    return box;
  }

  // Renders the form again after a row came or went, keeping the place on the page.
  rerenderForm(focusSelector) {
    const old = this.box.querySelector('#scenario-form');
    const form = this.form();
    old.replaceWith(form);
    const target = form.querySelector(focusSelector);
    if (target) {
      target.focus();
    }
  }

  // The document to send, or { path, key } of the first field a person must fix first.
  documentOf(d) {
    const problem = (path, key) => ({ problem: { path, key } });
    if (!d.title.th.trim()) {
      return problem('title.th', 'reasonRequired');
    }
    if (!d.narrative.th.trim()) {
      return problem('narrative.th', 'reasonRequired');
    }
    if (!SLUG.test(d.id) || d.id.startsWith('-')) {
      return problem('id', 'reasonSlug');
    }
    if (d.statistics.length > MAX_STATISTICS) {
      return problem('statistics', 'reasonTooManyStatistics');
    }
    const kindIds = new Set();
    const kinds = [];
    for (const [i, k] of d.kinds.entries()) {
      if (!k.title.th.trim()) {
        return problem(`sketch_kinds[${i}].title.th`, 'reasonRequired');
      }
      let id = k.id;
      if (k.isNew) {
        // A new kind's id comes from its title; the id of a kind in use never changes, as
        // the sketches name it.
        id = slugOf(k.title.en) || `kind-${i + 1}`;
        while (kindIds.has(id)) {
          id = `${id}-${i + 1}`;
        }
      }
      kindIds.add(id);
      kinds.push({ id, title: { th: k.title.th.trim(), en: k.title.en.trim() || k.title.th.trim() }, color: k.color });
    }
    const doc = {
      id: d.id,
      title: { th: d.title.th.trim(), en: d.title.en.trim() || d.title.th.trim() },
      narrative: { th: d.narrative.th.trim(), en: d.narrative.en.trim() || d.narrative.th.trim() },
      extent: d.extent,
      layers: d.layers.map((l) => {
        const out = { collection: l.collection };
        if (l.title.th.trim()) {
          out.title = { th: l.title.th.trim(), en: l.title.en.trim() || l.title.th.trim() };
        }
        const filter = l.customFilter || filterText(l.property, l.values);
        if (filter) {
          out.filter = filter;
        }
        if (l.style) {
          out.style = l.style;
        }
        return out;
      }),
      statistics: d.statistics,
      sketch_kinds: kinds,
    };
    if (d.example) {
      doc.example = true;
    }
    return { doc };
  }

  // Marks the control of path and says why, naming the field, in the page's language.
  showProblem(form, path, reason, serverWords) {
    form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
    const control = controlFor(form, path);
    const name = control ? control.dataset.label : t(this.lang, 'scenario');
    let text = `${name}: ${reason}`;
    if (serverWords && this.lang === 'en') {
      text += ` (${serverWords})`;
    }
    this.say(text, true);
    this.message.title = serverWords || '';
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    }
  }

  async save(form) {
    this.lastMessage = null; // an earlier refusal is no longer the news
    const d = this.draft;
    const { doc, problem } = this.documentOf(d);
    if (problem) {
      this.showProblem(form, problem.path, t(this.lang, problem.key));
      return;
    }
    const isEdit = d.mode === 'edit';
    const path = isEdit ? `scenarios/${encodeURIComponent(d.id)}` : 'scenarios';
    const resp = await this.write(isEdit ? 'PUT' : 'POST', path, doc);
    if (!resp) {
      return;
    }
    if (!resp.ok) {
      await this.refused(form, resp);
      return;
    }
    this.draft = null;
    await this.panel.loadList();
    await this.panel.choose(doc.id, true);
    this.say(t(this.lang, isEdit ? 'scenarioSaved' : 'scenarioCreated'));
  }

  // One write; null (and said) when the server could not be reached.
  async write(method, path, body) {
    try {
      return await fetch(apiUrl(path), {
        method,
        headers: facilitatorHeaders(body !== undefined),
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      this.say(`${t(this.lang, 'loadFailed')}: ${e.message}`, true);
      return null;
    }
  }

  async refused(form, resp) {
    const body = await resp.json().catch(() => null);
    const words = body && body.description ? body.description : `HTTP ${resp.status}`;
    if (resp.status === 401 || resp.status === 403) {
      this.say(`${t(this.lang, 'tokenRefused')} ${words}`, true);
    } else if (resp.status === 409) {
      this.showProblem(form, 'id', t(this.lang, 'reasonIdTaken'), words);
    } else if (resp.status === 429 || resp.status === 503) {
      this.say(t(this.lang, 'refusedBusy'), true);
    } else {
      const { path, why } = splitDescription(words);
      this.showProblem(form, path, reasonText(this.lang, why), words);
    }
  }

  // Deletes the current scenario after asking, keeping its document and sketches in the
  // page so that "undo" can put them back.
  async remove() {
    this.lastMessage = null;
    const id = this.panel.current;
    const doc = await getJson(`scenarios/${encodeURIComponent(id)}`);
    const title = doc.title[this.lang] || doc.title.en;
    if (!window.confirm(t(this.lang, 'confirmDeleteScenario').replace('{title}', title).replace('{n}', String(doc.sketch_count || 0)))) {
      return;
    }
    const got = await getFeatures(`scenario-${id}-sketches`, { limit: 1000 }, 100000);
    const resp = await this.write('DELETE', `scenarios/${encodeURIComponent(id)}`);
    if (!resp) {
      return;
    }
    if (!resp.ok) {
      await this.refused(this.box, resp);
      return;
    }
    for (const key of ['sketch_count', 'created_at', 'updated_at', 'links']) {
      delete doc[key];
    }
    this.deleted = { doc, sketches: got.features };
    this.draft = null;
    await this.panel.loadList();
    await this.panel.choose(null, true);
    this.say(t(this.lang, 'scenarioDeleted').replace('{title}', title), false);
    this.render();
  }

  // Creates the deleted scenario again with its sketches (kind, note and group; new ids).
  async undoDelete() {
    this.lastMessage = null;
    const { doc, sketches } = this.deleted;
    let resp = await this.write('POST', 'scenarios', doc);
    if (resp && !resp.ok) {
      await this.refused(this.box, resp);
      return;
    }
    const features = sketches.map((f) => ({
      type: 'Feature',
      geometry: f.geometry,
      properties: { kind: f.properties.kind, note: f.properties.note || '', group: f.properties.group_name || '' },
    }));
    for (let i = 0; resp && resp.ok && i < features.length; i += SKETCHES_PER_REQUEST) {
      resp = await this.write('POST', `scenarios/${encodeURIComponent(doc.id)}/sketches`, {
        type: 'FeatureCollection',
        features: features.slice(i, i + SKETCHES_PER_REQUEST),
      });
    }
    if (!resp) {
      return;
    }
    if (!resp.ok) {
      await this.refused(this.box, resp);
      return;
    }
    this.deleted = null;
    await this.panel.loadList();
    await this.panel.choose(doc.id, true);
    this.say(t(this.lang, 'scenarioRestored'));
    this.render();
  }
}
