// Jest for the end-to-end suite (spec/e2e). ESM all the way: @xmpp/client is ESM-only.
// Run: npm run test:e2e (after `make build`). The tests load the built dist/ file, the one
// operators install; set E2E_PLUGIN_DIR to test a copy elsewhere.
import { createDefaultEsmPreset } from "ts-jest";

const preset = createDefaultEsmPreset({ tsconfig: "<rootDir>/spec/e2e/tsconfig.json" });

/** @type {import('jest').Config} */
export default {
  ...preset,
  testEnvironment: "node",
  roots: ["<rootDir>/spec/e2e"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  testTimeout: 30000,
};
