import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((name) => [name, `node:${name}`, `${name}/*`]);

// Which top-level folders each folder may import: the architecture, one way. Anything not listed
// (test/, bench/, scripts/) may import everything.
const LAYERS = {
  contract: [],
  ml: ['contract'],
  storage: ['contract', 'ml'],
  activities: ['contract', 'ml', 'storage', 'mlflow'],
  workflows: ['contract'],
  client: ['contract'],
  connection: [],
  // The MLflow client and its settings: the worker logs runs with it, the API moves the production alias.
  mlflow: ['contract'],
  tools: [],
  worker: ['contract', 'ml', 'storage', 'activities', 'workflows', 'connection', 'mlflow'],
  api: ['contract', 'ml', 'storage', 'client', 'connection', 'mlflow'],
  launch: ['contract', 'storage', 'activities', 'client', 'connection', 'tools', 'worker', 'api', 'mlflow'],
};
const FOLDERS = Object.keys(LAYERS);
const folderPattern = (folder) => `^(\\.\\./)+${folder}(/|$)`;

function layerRules(folder) {
  const forbidden = FOLDERS.filter((f) => f !== folder && !LAYERS[folder].includes(f));
  const patterns = forbidden
    // Workflows may import types from activities (checked by the workflow rule below).
    .filter((f) => !(folder === 'workflows' && f === 'activities'))
    .map((f) => ({ regex: folderPattern(f), message: `${folder}/ must not import ${f}/ (see LAYERS in eslint.config.mjs).` }));
  // The worker composes activities through their public index, never their internals.
  if (folder === 'worker') patterns.push({ regex: '^(\\.\\./)+activities/', message: 'worker/ imports activities/ through its index only.' });
  return patterns;
}

// Each new run's sandbox evaluates every module its workflow code imports: the contract's index and
// the files building zod schemas would put zod and every schema into each run (test/unit/workflowBundle).
const SCHEMA_FILES = ['params', 'paramsCheck', 'parse', 'inferenceParams', 'inferenceTimeouts', 'timeouts', 'smallData', 'notifications', 'secrets', 'tuning', 'tuningCheck', 'drift', 'libraryErrors', 'threadErrors'];
const workflowOnlyPatterns = [
  { regex: '^\\.\\./contract$', allowTypeImports: true, message: 'Workflows import values from contract files one by one, not its index (every module is evaluated in each new run).' },
  { regex: `^\\.\\./contract/(${SCHEMA_FILES.join('|')})(\\.js)?$`, allowTypeImports: true, message: 'Zod schemas stay out of workflow code: a local activity checks params (workflows/params.ts).' },
  { group: ['zod', 'zod/*', 're2js'], message: 'Zod stays out of workflow code: a local activity checks params (workflows/params.ts).' },
];

const workflowPatterns = [
  { group: ['node:*'], message: 'Node built-ins are not available in workflow code.' },
  { group: ['**/activities', '**/activities/*', '**/activities/**'], allowTypeImports: true, message: 'Workflows import only types from activities.' },
  { group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'], message: 'Not deterministic: only @temporalio/workflow and @temporalio/common in workflow code.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test tracks the promises of test() and describe() itself.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
    },
  },
  { files: ['**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  ...FOLDERS.filter((f) => f !== 'workflows' && f !== 'contract').map((folder) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: layerRules(folder) }] },
  })),
  {
    // Workflow code is replayed in a sandbox: only deterministic code, and only types from activities.
    files: ['workflows/**/*.ts', 'contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((n) => !n.endsWith('/*')).map((name) => ({ name, message: 'Node built-ins are not available in workflow code.' })),
          patterns: [...workflowPatterns, ...layerRules('workflows')],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'No process in workflow code.' }, { name: 'setImmediate', message: 'Use workflow sleep().' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.filter((n) => !n.endsWith('/*')).map((name) => ({ name, message: 'Node built-ins are not available in workflow code.' })),
          patterns: [...workflowPatterns, ...workflowOnlyPatterns, ...layerRules('workflows')],
        },
      ],
    },
  },
);
