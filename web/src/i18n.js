// i18n.js - the map's own words in Thai and English. Layer titles, statistics and their
// sources come from the server in both languages; only the interface is translated here.
import { city, cityName } from './city.js';

const WORDS = {
  th: {
    appTitle: 'แผนที่เมือง{city}',
    layers: 'ชั้นข้อมูล',
    statistics: 'สถิติ',
    search: 'ค้นหาสถานที่ อำเภอ ตำบล',
    searchLabel: 'ค้นหาชื่อสถานที่ (ไทยหรืออังกฤษ)',
    noMatch: 'ไม่พบชื่อนี้',
    loading: 'กำลังโหลด…',
    loadFailed: 'โหลดไม่สำเร็จ',
    ready: 'พร้อมใช้งาน',
    menu: 'เมนู',
    close: 'ปิด',
    legend: 'คำอธิบายสัญลักษณ์',
    chooseStatistic: 'เลือกสถิติ',
    noStatistic: '— ไม่แสดงสถิติ —',
    definition: 'นิยาม',
    sources: 'แหล่งข้อมูล',
    computed: 'คำนวณเมื่อ',
    dataUpdated: 'ข้อมูลปรับปรุงล่าสุด',
    ranking: 'อันดับตามพื้นที่',
    noValue: 'ไม่มีข้อมูล',
    zoomIn: 'ซูมเข้าเพื่อดูชั้นนี้',
    tooMany: 'แสดงบางส่วน ซูมเข้าเพื่อดูทั้งหมด',
    features: 'รายการ',
    language: 'ภาษา',
    skip: 'ข้ามไปที่แผนที่',
    note: 'หมายเหตุ',
    attribution: 'ข้อมูล: ชั้นข้อมูลของเมือง ดูแหล่งที่มาในรายการชั้นข้อมูล',
    buildStatistic: 'หรือสร้างสถิติเอง',
    buildLayer: 'นับจากชั้นข้อมูล',
    buildBy: 'แยกตาม',
    buildMetric: 'วัดเป็น',
    buildColumn: 'แสดงเป็น',
    showStatistic: 'แสดงสถิติ',
    metric_count: 'จำนวน',
    metric_length: 'ความยาว (กม.)',
    metric_area: 'พื้นที่ (ตร.กม.)',
    column_value: 'ค่ารวม',
    column_per_km2: 'ต่อ ตร.กม.',
    column_share: 'สัดส่วนของทั้งหมด',
    rankOf: 'อันดับที่ {rank} จาก {of} พื้นที่ที่มีข้อมูล',
    noDataAreas: 'พื้นที่ที่ไม่มีข้อมูล',
    byType: 'แยกตามประเภท',
    caption: 'ข้อความพร้อมโพสต์',
    copyCaption: 'คัดลอกข้อความ',
    copied: 'คัดลอกแล้ว',
    copyFailed: 'คัดลอกอัตโนมัติไม่ได้ ข้อความถูกเลือกไว้แล้ว กด Ctrl+C หรือกดค้างเพื่อคัดลอก',
    buildFilterField: 'เฉพาะรายการที่ฟิลด์',
    buildFilterValues: 'มีค่าเป็น (เลือกได้หลายค่า)',
    allFeatures: '— ทุกรายการ —',
    column_per_capita: 'ต่อจำนวนประชากร',
    makeShareImage: 'สร้างภาพสำหรับแชร์',
    scenarios: 'ภาพอนาคต',
    chooseScenario: 'เลือกภาพอนาคต',
    noScenario: '— ไม่แสดงภาพอนาคต —',
    example: 'ตัวอย่าง',
    exampleNote: 'ภาพอนาคตนี้เป็นตัวอย่างที่สร้างจากข้อมูลจริงของเมือง เพื่อแสดงวิธีใช้งานในเวิร์กช็อป ไม่ใช่ข้อเสนอของใคร',
    sketches: 'ภาพร่างของผู้เข้าร่วม',
    sketchCount: 'ภาพร่าง',
    shareImage: 'ภาพสำหรับแชร์',
    download: 'ดาวน์โหลด',
    facilitator: 'สำหรับผู้ดำเนินการเวิร์กช็อป',
    token: 'รหัสผู้ดำเนินการ (token)',
    startEditing: 'เริ่มแก้ไขภาพร่าง',
    addPoint: 'เพิ่มจุด',
    addLine: 'เพิ่มเส้น',
    addArea: 'เพิ่มพื้นที่',
    saveSketch: 'บันทึกที่เลือก',
    deleteSketch: 'ลบที่เลือก',
    stopEditing: 'เลิกแก้ไข',
    editHint: 'แตะภาพร่างเพื่อเลือก ลากเพื่อย้าย แล้วกดบันทึก',
    sketchKind: 'ประเภท',
    sketchGroup: 'กลุ่ม',
    sketchNote: 'บันทึกความคิด',
    tokenFormat: 'รหัสต้องขึ้นต้นด้วย cat_ (ได้จากคำสั่ง cityatlas token create)',
    drawPointHint: 'แตะบนแผนที่ตรงที่ต้องการวางจุด',
    drawShapeHint: 'แตะทีละจุดบนแผนที่ แตะจุดสุดท้ายซ้ำ (หรือดับเบิลคลิก) เพื่อจบ',
    selectedHint: 'ย้ายได้โดยลาก แก้ข้อความแล้วกดบันทึก',
    selectFirst: 'แตะเลือกภาพร่างก่อน',
    confirmDelete: 'ลบภาพร่างนี้หรือไม่',
    tokenRefused: 'รหัสไม่ถูกต้องหรือถูกยกเลิกแล้ว:',
    saved: 'บันทึกแล้ว',
    unsavedCount: 'ภาพที่วาดแต่ยังไม่ได้บันทึก',
    refusedKept: 'ยังไม่ได้บันทึก ภาพที่วาดยังอยู่บนแผนที่ (เส้นประสีแดง) และเลือกไว้แล้ว: แก้ไขแล้วกด "บันทึกที่เลือก" อีกครั้ง หรือกด "ลบที่เลือก"',
    refusedSelfIntersection: 'เส้นขอบของพื้นที่ตัดกันเอง ให้วาดโดยไม่ให้เส้นไขว้กัน',
    refusedInvalid: 'รูปร่างของภาพร่างไม่ถูกต้อง',
    refusedOutside: 'ภาพร่างอยู่นอกขอบเขตของเมือง',
    refusedTooLong: 'ข้อความยาวเกินไป',
    refusedTooManyVertices: 'ภาพร่างมีจุดมากเกินไป',
    refusedBusy: 'ระบบกำลังยุ่ง ลองบันทึกอีกครั้งในอีกสักครู่',
    refusedOther: 'เซิร์ฟเวอร์ไม่รับภาพร่างนี้',
  },
  en: {
    appTitle: '{city} city map',
    layers: 'Layers',
    statistics: 'Statistics',
    search: 'Search places, districts, tambon',
    searchLabel: 'Search a place name (Thai or Latin)',
    noMatch: 'No place with that name',
    loading: 'Loading…',
    loadFailed: 'Could not load',
    ready: 'Ready',
    menu: 'Menu',
    close: 'Close',
    legend: 'Legend',
    chooseStatistic: 'Choose a statistic',
    noStatistic: '— no statistic —',
    definition: 'Definition',
    sources: 'Sources',
    computed: 'Computed',
    dataUpdated: 'Data updated',
    ranking: 'Ranking by area',
    noValue: 'no data',
    zoomIn: 'zoom in to see this layer',
    tooMany: 'partly shown: zoom in for all',
    features: 'features',
    language: 'Language',
    skip: 'Skip to the map',
    note: 'Note',
    attribution: 'Data: the city layers; sources are listed with each layer',
    buildStatistic: 'Or build a statistic',
    buildLayer: 'Count from the layer',
    buildBy: 'By',
    buildMetric: 'Measure',
    buildColumn: 'Show as',
    showStatistic: 'Show the statistic',
    metric_count: 'Number',
    metric_length: 'Length (km)',
    metric_area: 'Area (km²)',
    column_value: 'total',
    column_per_km2: 'per km²',
    column_share: 'share of the whole',
    rankOf: 'rank {rank} of {of} areas with data',
    noDataAreas: 'Areas without data',
    byType: 'By type',
    caption: 'Ready-to-post caption',
    copyCaption: 'Copy the caption',
    copied: 'Copied',
    copyFailed: 'Could not copy by itself: the text is selected, press Ctrl+C (or long-press) to copy it',
    buildFilterField: 'Only features whose field',
    buildFilterValues: 'is one of (choose one or more)',
    allFeatures: '— all features —',
    column_per_capita: 'per capita',
    makeShareImage: 'Make a share image',
    scenarios: 'Scenarios',
    chooseScenario: 'Choose a scenario',
    noScenario: '— no scenario —',
    example: 'example',
    exampleNote: 'This scenario is an example built from the real city layers to show how workshops use cityatlas; it is nobody\'s proposal.',
    sketches: 'Participants\' sketches',
    sketchCount: 'sketches',
    shareImage: 'share image',
    download: 'Download',
    facilitator: 'For workshop facilitators',
    token: 'Facilitator token',
    startEditing: 'Edit sketches',
    addPoint: 'Add a point',
    addLine: 'Add a line',
    addArea: 'Add an area',
    saveSketch: 'Save selected',
    deleteSketch: 'Delete selected',
    stopEditing: 'Stop editing',
    editHint: 'Tap a sketch to select it, drag to move it, then save.',
    sketchKind: 'Kind',
    sketchGroup: 'Group',
    sketchNote: 'Note',
    tokenFormat: 'A token starts with cat_ (from `cityatlas token create`)',
    drawPointHint: 'Tap the map where the point goes',
    drawShapeHint: 'Tap each vertex; tap the last one again (or double-click) to finish',
    selectedHint: 'Drag to move; edit the text and save',
    selectFirst: 'Select a sketch first',
    confirmDelete: 'Delete this sketch?',
    tokenRefused: 'Token refused:',
    saved: 'Saved',
    unsavedCount: 'Drawings not saved yet',
    refusedKept: 'Not saved. Your drawing stays on the map (dashed red), selected: fix it and press "Save selected" again, or "Delete selected".',
    refusedSelfIntersection: 'The outline of the area crosses itself; draw it without crossing lines',
    refusedInvalid: 'The shape of the sketch is not valid',
    refusedOutside: 'The sketch lies outside the city\'s extent',
    refusedTooLong: 'The text is too long',
    refusedTooManyVertices: 'The sketch has too many points',
    refusedBusy: 'The server is busy; save again in a moment',
    refusedOther: 'The server did not accept this sketch',
  },
};


// A word in lang; "{city}" becomes the city's name from its profile (city.js).
export function t(lang, key) {
  const word = (WORDS[lang] && WORDS[lang][key]) || WORDS.en[key] || key;
  if (!word.includes('{city}')) {
    return word;
  }
  const named = word.replace('{city}', cityName(lang)).trim(); // no profile: "city map"
  return named.charAt(0).toUpperCase() + named.slice(1);
}

// The server's one list of theme names (served with the city profile).
export function themeName(lang, theme) {
  const names = city.themes.get(theme);
  return names ? names[lang] || names.en : theme || '—';
}

// A date as people read it: Thai with the Buddhist-era year (พ.ศ.), or English.
export function formatDate(lang, iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso || '';
  }
  if (lang === 'th') {
    return d.toLocaleDateString('th-TH-u-ca-buddhist', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
    });
  }
  return d.toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric' });
}

export function formatNumber(lang, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return t(lang, 'noValue');
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB', {
    maximumFractionDigits: digits,
  });
}
