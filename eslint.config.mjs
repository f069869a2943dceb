// Lint: TypeScript rules plus the layering of docs/ARCHITECTURE.md, stated as import restrictions so it stays true.
import tseslint from "typescript-eslint";
import i18next from "eslint-plugin-i18next";

// Tests may inspect tables directly (to prove what was or was not written), so the layering applies to code, not tests.
const layer = (files, patterns) => ({
  files,
  ignores: ["**/*.test.ts", "**/*.test.tsx"],
  rules: { "no-restricted-imports": ["error", { patterns }] },
});

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".data/**", "db/migrations/**", "test-results/**", "playwright-report/**", "e2e/artifacts/**", "next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
    },
  },
  // server/domain is pure: it imports nothing but itself (and decimal.js).
  layer(["server/domain/**/*.ts"], [
    { group: ["@/db/*", "@/db", "../../../db/*", "drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "server/domain is pure: no database." },
    { group: ["next", "next/*", "next-auth", "next-auth/*", "react", "@trpc/*"], message: "server/domain is pure: no framework." },
    { group: ["@/server/services/*", "@/server/repos/*", "@/server/api/*", "@/server/auth/*", "@/server/integrations/*", "@/app/*", "@/components/*"], message: "server/domain imports only itself." },
  ]),
  // Only repos (and db/ itself: client, seeds, test harness; and scripts) hold Drizzle queries; services call repos and domain.
  layer(["server/api/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.ts", "components/**/*.tsx"], [
    { group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "Queries live in server/repos." },
    { group: ["@/db/schema", "@/db/schema/*"], message: "Tables are read through server/repos." },
  ]),
  // components/ are presentational: props in, events out. They call nothing on the server (no tRPC, no queries or
  // mutations, no sign-in or sign-out, no fetch): the client islands in app/**/_components/ do, and pass data and
  // handlers down. components/providers/ holds the providers those islands use.
  {
    files: ["components/**/*.ts", "components/**/*.tsx"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "components/providers/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server/services/*", "@/server/repos/*", "@/db/*", "drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "Components are presentational: props in, events out." },
            { group: ["@tanstack/react-query", "next-auth/react"], message: "Components call nothing on the server: do it in a client island under app/**/_components/." },
            { group: ["@trpc/*"], allowTypeImports: true, message: "Components call nothing on the server: do it in a client island under app/**/_components/." },
            { group: ["@/components/providers/trpc-provider"], importNames: ["useTRPC", "useTRPCClient"], message: "Components call nothing on the server: do it in a client island under app/**/_components/." },
          ],
        },
      ],
      "no-restricted-globals": ["error", { name: "fetch", message: "Components call nothing on the server: do it in a client island under app/**/_components/." }],
    },
  },
  layer(["server/repos/**/*.ts"], [
    { group: ["@/server/services/*", "@/server/api/*", "@/app/*", "@/components/*"], message: "Repos sit below services and the API." },
  ]),
  layer(["server/services/**/*.ts"], [
    { group: ["@/server/api/*", "@/app/*", "@/components/*", "next", "next/*"], message: "Services sit below the API and know nothing of HTTP." },
    { group: ["drizzle-orm", "drizzle-orm/*", "postgres", "@electric-sql/*"], message: "Queries live in server/repos: call a repo function." },
    { group: ["@/db/schema", "@/db/schema/*"], message: "Tables are read and written through server/repos." },
  ]),
  // No string left untranslated (docs/I18N.md): what a page shows (JSX text, strings in JSX expressions, and the
  // attributes people read or hear: aria-label, placeholder, title, alt, label) comes from the message catalogs.
  {
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["**/*.test.tsx"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          // DOM attributes people read or hear, and our components' text props (label, title, description, scanLabel, ...)
          "jsx-attributes": {
            include: ["aria-(label|description|placeholder|roledescription|valuetext)", "placeholder", "title", "alt", "label", "description", "heading", "message", "[a-z]+(Label|Placeholder|Title|Text|Description|Heading|Message)"],
          },
          // punctuation and symbols, all-caps codes, and lower-case identifiers (field names, keys: not sentences)
          words: { exclude: ["[0-9!-/:-@[-`{-~\\s·—–…×→←↑↓•✔✖⚠]+", "[A-Z0-9_-]+", "[a-z][a-zA-Z0-9_.:-]*"] },
          message: "Text people read comes from the message catalogs (docs/I18N.md)",
        },
      ],
    },
  },
  layer(["db/schema/**/*.ts"], [
    { group: ["@/server/*", "../../server/*"], message: "The schema depends on nothing above it." },
  ]),
);
