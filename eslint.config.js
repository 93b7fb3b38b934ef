// @ts-check
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'bench/**', '**/dist/**', '**/.next/**', 'interop/.generated/**'] },
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [
            'cli/bin/*.js',
            '.dependency-cruiser.cjs',
            'runtimes/nextjs/*.mjs',
            'runtimes/nextjs/app/*/*/*.js',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The promise rules the project style asks for (docs/architecture.md), stated explicitly so no preset change drops them.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      '@typescript-eslint/unified-signatures': 'off',
      // `Session | undefined` means something once `Register` names a session type.
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // An async generator without `await` is an ordinary way to write a stream.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js', '.dependency-cruiser.cjs'], ...tseslint.configs.disableTypeChecked },
  // A user's project, copied out of the repository and checked there by its own compiler.
  { files: ['packages-test/fixtures/**'], ...tseslint.configs.disableTypeChecked },
)
