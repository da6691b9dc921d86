// url_state.js - the whole view (position, zoom, layers, statistic, language) in the URL's
// fragment, so a shared link opens exactly what the sender saw. The fragment never reaches
// the server, so changing it costs no request; history.replaceState keeps the back button
// for real navigation rather than every pan.
//
//   #map=13/7.0086/100.4747&layers=districts,roads&stat=schools-by-district&scn=walkable-centre&lang=th
//
// A workshop adds two: join=CODE (a participant's join link) and live (the projector view
// of scn).

const SLUG = /^[a-z0-9][a-z0-9_-]{0,127}$/;
const JOIN_CODE = /^[A-Za-z0-9]{4,12}$/;

export function readState(hash) {
  const params = new URLSearchParams((hash || '').replace(/^#/, ''));
  const state = { zoom: null, lat: null, lon: null, layers: null, stat: null, sq: null, scn: null, lang: null, join: null, live: false };
  const m = /^(\d{1,2}(?:\.\d+)?)\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(
    params.get('map') || '',
  );
  if (m) {
    const zoom = Number(m[1]);
    const lat = Number(m[2]);
    const lon = Number(m[3]);
    if (zoom >= 0 && zoom <= 22 && Math.abs(lat) <= 85 && Math.abs(lon) <= 180) {
      Object.assign(state, { zoom, lat, lon });
    }
  }
  if (params.has('layers')) {
    state.layers = params
      .get('layers')
      .split(',')
      .filter((id) => SLUG.test(id));
  }
  const stat = params.get('stat');
  if (stat && SLUG.test(stat)) {
    state.stat = stat;
  }
  if (params.has('sq')) {
    state.sq = params.get('sq'); // checked by stat_builder.parseBuiltQuery
  }
  const scn = params.get('scn');
  if (scn && SLUG.test(scn)) {
    state.scn = scn;
  }
  const lang = params.get('lang');
  if (lang === 'th' || lang === 'en') {
    state.lang = lang;
  }
  const join = params.get('join');
  if (join && JOIN_CODE.test(join)) {
    state.join = join.toUpperCase();
  }
  state.live = params.has('live') && state.scn !== null;
  return state;
}

export function writeState(state) {
  const parts = [
    `map=${state.zoom}/${state.lat.toFixed(5)}/${state.lon.toFixed(5)}`,
    `layers=${state.layers.join(',')}`,
  ];
  if (state.stat) {
    parts.push(`stat=${state.stat}`);
  }
  if (state.sq) {
    parts.push(`sq=${encodeURIComponent(state.sq)}`);
  }
  if (state.scn) {
    parts.push(`scn=${state.scn}`);
  }
  if (state.live && state.scn) {
    parts.push('live');
  }
  if (state.join) {
    parts.push(`join=${state.join}`);
  }
  parts.push(`lang=${state.lang}`);
  const hash = '#' + parts.join('&');
  if (window.location.hash !== hash) {
    window.history.replaceState(null, '', hash);
  }
  return hash;
}
