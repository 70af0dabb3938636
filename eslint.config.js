// Lint rules: typescript-eslint recommended on the sources; generated code and build output ignored;
// focused or skipped tests are errors (CI must run everything).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const banned = ['only', 'skip', 'todo'].flatMap((m) => [
  { selector: `CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='${m}']`, message: `.${m}() is not allowed in committed tests` },
  { selector: `CallExpression[callee.name=/^(it|test|describe)$/] > ObjectExpression > Property[key.name='${m}']`, message: `{ ${m} } is not allowed in committed tests` },
]);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'protos/src/generated/**', '.cache/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', fetch: 'readonly', Response: 'readonly', Headers: 'readonly', Request: 'readonly', structuredClone: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      'no-restricted-syntax': ['error', ...banned],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
);
