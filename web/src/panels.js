// panels.js - the statistics and scenario panels as one chunk of the bundle (build.mjs
// splits it off): main.js imports it with import() once the first view is drawn, or at
// once when the URL opens a panel, so a phone's first view neither downloads nor runs
// their code (the scenario builder, the sketch editor, the workshop views).
export { ScenarioPanel } from './scenarios.js';
export { parseBuiltQuery } from './stat_builder.js';
export { StatsPanel } from './stats_panel.js';
