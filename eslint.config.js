// Lint is a gate: zero warnings. The import-direction rules encode the process boundaries:
// shared/ is pure; renderer/ never reaches into electron/ (types from the preload only);
// services under electron/services never import electron.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'worker_threads'];
const rendererImportPatterns = [
  { group: nodeBuiltins, message: 'The renderer runs in a sandboxed page: no Node built-ins.' },
  {
    group: ['electron', '**/electron/services/**', '**/electron/host/**', '**/electron/main*'],
    message: 'The renderer talks to services only through the API contract.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'renderer/public/**',
      'coverage/**',
      'test-results/**',
      '.cache/**',
      'assets/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { ecmaVersion: 2023, sourceType: 'module' } },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      'no-console': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // Type-aware rules over the three TS projects (node side, web side, tests): a switch over a union
    // names every case (then `assertNever`, shared/assert-never.ts), and no promise is dropped unawaited
    // (`void` says on purpose).
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.web.json', './tsconfig.test.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            {
              group: ['electron', 'react', 'react-dom', 'three', '**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from electron, React, the DOM or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', '**/renderer/**'],
              message: 'Services run in the plain-Node host too: never import electron.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: rendererImportPatterns }],
    },
  },
  {
    // Components reach the services only through renderer/state actions; the page entries
    // (renderer/app, renderer/program) make the client and provide it.
    files: ['renderer/components/**/*.{ts,tsx}', 'renderer/features/**/*.{ts,tsx}', 'renderer/pages/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...rendererImportPatterns,
            {
              regex: '^(\\.\\./)+api(/|$)',
              message:
                'Components call renderer/state actions; only renderer/state and the page entries use the API client.',
            },
          ],
        },
      ],
    },
  },
  {
    // Test doubles and fixtures live under test/support/<domain>/; app code never reaches them (its own
    // rule name, so the direction rules above still apply to tests beside the code).
    files: ['electron/**/*.{ts,tsx}', 'renderer/**/*.{ts,tsx}', 'shared/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', '**/*.test-support.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)test/',
              message: 'Production code never imports test code: test/ is for tests and the bench.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'test/**/*.ts', '*.config.{js,ts}', 'build/**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.{js,mjs}'],
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: { 'simple-import-sort/imports': 'error' },
  },
);
