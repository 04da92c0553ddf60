// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import eslintConfigPrettier from 'eslint-config-prettier/flat';

// Layers between top-level folders: imports point down (docs/architecture.md draws it). Each
// folder lists the folders it may import besides itself; anything else is an upward or sideways
// import and fails lint. Import circles are checked by `npm run check:cycles` (dpdm).
//   edges        gateway/ worker/ scripts/ mcp/ status-page/ sandbox/   (+ test/: anything)
//   operations   operations/         read and act on syncs only through Temporal
//   activities   activities/         implement the workflows' port over netsuite/ and twocheckout/
//   workflows    workflows/          the port (activity-contract.ts), messages.ts, the workflows
//   mappings     mappings/           pure: 2Checkout events -> NetSuite records
//   bottom       shared/ netsuite/ twocheckout/   utilities and the two outside systems
// EDGE_SUPPORT_FILES in shared/ (process config, the codec server, the 2Checkout API config) may
// import the layers below the edges, and nothing below the edges may import them.
const TOP_FOLDERS = [
  'shared',
  'netsuite',
  'twocheckout',
  'mappings',
  'workflows',
  'activities',
  'operations',
  'gateway',
  'worker',
  'scripts',
  'mcp',
  'status-page',
  'sandbox',
];
const LAYERS = {
  shared: [],
  netsuite: ['shared'],
  twocheckout: ['shared'],
  mappings: ['shared', 'netsuite', 'twocheckout'],
  workflows: ['shared', 'mappings'],
  activities: ['shared', 'netsuite', 'twocheckout', 'mappings', 'workflows'],
  operations: ['shared', 'netsuite', 'mappings', 'workflows'],
  gateway: ['shared', 'twocheckout', 'mappings', 'workflows', 'operations'],
  worker: ['shared', 'netsuite', 'twocheckout', 'mappings', 'workflows', 'activities', 'operations'],
  mcp: ['shared', 'netsuite', 'twocheckout', 'mappings', 'workflows', 'operations'],
  'status-page': ['shared', 'mappings', 'workflows', 'operations'],
  sandbox: ['shared', 'netsuite', 'twocheckout', 'mappings'],
  scripts: [
    'shared',
    'netsuite',
    'twocheckout',
    'mappings',
    'workflows',
    'activities',
    'operations',
    'gateway',
    'worker',
    'mcp',
    'status-page',
    'sandbox',
  ],
};
const EDGE_SUPPORT_FILES = ['config', 'codec-server', 'twocheckout-api-config', 'payouts-api'];
const EDGE_SUPPORT = EDGE_SUPPORT_FILES.flatMap((f) => [`**/shared/${f}`, `**/shared/${f}.js`]);
const BELOW_EDGES = ['shared', 'netsuite', 'twocheckout', 'mappings', 'workflows', 'activities', 'operations'];
const folderGlobs = (f) => [`**/${f}`, `**/${f}/**`];

/** One `@typescript-eslint/no-restricted-imports` block per top-level folder. */
function layerRules() {
  return TOP_FOLDERS.map((folder) => {
    const allowed = new Set([folder, ...LAYERS[folder]]);
    const forbidden = TOP_FOLDERS.filter((f) => !allowed.has(f));
    const patterns = [];
    if (forbidden.length) {
      patterns.push({
        group: forbidden.flatMap(folderGlobs),
        message: `${folder}/ may import only ${[...allowed].join(', ')} (imports point down; see docs/architecture.md)`,
      });
    }
    if (BELOW_EDGES.includes(folder)) {
      patterns.push({
        group: EDGE_SUPPORT,
        message:
          'process config and the codec server are for the edges (gateway, worker, scripts, mcp, status-page, sandbox)',
      });
    }
    if (folder === 'activities') {
      // Activities implement the port and send the workflows' messages; they never run workflow code.
      patterns.push({
        group: ['**/workflows/*', '!**/workflows/*contract*', '!**/workflows/messages*', '!**/workflows/handover*'],
        allowTypeImports: true,
        message:
          "activities may import only the workflows' port (*contract.ts), messages.ts and handover.ts (types from elsewhere)",
      });
    }
    if (folder === 'workflows') {
      // Workflow code is bundled into Temporal's deterministic sandbox: no Node built-ins, no I/O packages.
      patterns.push(
        {
          group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'os', 'child_process'],
          message: 'workflow code must stay deterministic: no Node APIs',
        },
        {
          group: ['undici', 'express', 'pino', '@temporalio/worker', '@temporalio/activity'],
          message: 'workflows may only import pure modules and @temporalio/workflow',
        },
        // handover.ts (callers' signal-with-start) takes a Client by type; no workflow code runs it.
        {
          group: ['@temporalio/client'],
          allowTypeImports: true,
          message: 'workflows may only import pure modules and @temporalio/workflow',
        },
      );
    }
    return {
      files: [`${folder}/**/*.ts`],
      ...(folder === 'shared' ? { ignores: EDGE_SUPPORT_FILES.map((f) => `shared/${f}.ts`) } : {}),
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    };
  });
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      '.data/**',
      '.artifacts/**',
      'bench-results/**',
      'chaos-results/**',
      'fuzz-results/**',
      'build/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited activity call or HTTP request is a bug in this codebase.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...layerRules(),
  // Formatting is Prettier's (.prettierrc.json, `npm run format`): turn off the rules it would fight.
  eslintConfigPrettier,
  {
    // Edge support: process config and the codec server sit on the bottom layers, below the edges.
    files: EDGE_SUPPORT_FILES.map((f) => `shared/${f}.ts`),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'activities',
                'workflows',
                'operations',
                'gateway',
                'worker',
                'scripts',
                'mcp',
                'status-page',
                'sandbox',
              ].flatMap(folderGlobs),
              message: 'shared/config.ts may import only shared, netsuite, twocheckout, mappings',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: null },
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  {
    // Modules Temporal loads by path with require() (e.g. the failure converter).
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      parserOptions: { projectService: false, project: null },
      globals: { require: 'readonly', exports: 'writable', module: 'writable' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);
