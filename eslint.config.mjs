// ESLint (typescript-eslint's recommended rules) over the sources, tests and benchmarks; run by
// `npm test` after the type check.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["out/**", "node_modules/**", "artifacts/**", ".vscode-test/**", ".scratch/**", "test/fixtures/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // Unused names are the type checker's job (noUnusedLocals, noUnusedParameters).
      "@typescript-eslint/no-unused-vars": "off",
      // Finding control characters in dataset text is what several rules are for.
      "no-control-regex": "off",
    },
  },
);
