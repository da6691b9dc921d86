// eslint.config.mjs - the JavaScript lint run by the test suite (ctest lint_web) over the web
// map's modules: ESLint's recommended rules, plus the few that catch
// what review kept finding (unused values, == instead of ===, shadowed names).
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['src/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // Leaflet and Leaflet-Geoman are classic scripts that define globals.
      globals: { ...globals.browser, L: 'readonly' },
    },
  },
  {
    // The service worker (built into dist/sw.js by build.mjs, which defines CITYATLAS_BUILD).
    files: ['sw.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    files: ['*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      eqeqeq: ['error', 'always'],
      'no-shadow': 'error',
      'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_' }],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
];
