import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/*
 * The layers (shared/STYLE.md "The shape of the house"), enforced with no-restricted-imports.
 * ESLint applies only the last matching block's options for a rule, so each block below lists
 * every restriction its files are under; test/lint-layers.test.ts shows each one firing.
 */

const PRODUCTION = ["server/**/*.{ts,tsx}", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts"];
const TESTS = ["**/*.test.{ts,tsx}", "**/test-support.ts"];

// Production code never imports a fake (fakes/): the start-up (instrumentation.ts, scripts/,
// test support) plugs fakes into the production modules' ports.
const NO_FAKES = {
  regex: "(^|/)fakes(/|$)",
  message: "Production code never imports a fake: start-up wires it in through a port (see instrumentation.ts).",
};
// Data flows one way: route → use-case → domain; nothing in server/ knows the pages or the UI.
const NO_UI = {
  group: ["@/app/*", "@/components/*"],
  message: "server/ never imports app/ or components/: routes call the server, not the other way round.",
};
// REST, GraphQL, embed and webhook routes are adapters beside tRPC, not on top of it: they share
// server/http (errors, request bodies), never server/api.
const NO_TRPC = {
  group: ["@/server/api/*", "@trpc/*"],
  message: "REST, embed and webhook adapters do not import tRPC (server/api): shared HTTP code lives in server/http.",
};
// Modules depend one way: the saga imports the cancellation use-cases, which reach it only through
// their port (server/cancellations/saga-queue.ts).
const NO_SAGA = {
  group: ["@/server/saga/*", "../saga/*"],
  message: "The cancellation module does not import the saga (which imports it): enqueue through its port, server/cancellations/saga-queue.ts.",
};
// Authentication (API keys, the next-auth session, the embed session) is what the embed module
// builds on: auth never imports server/embed.
const NO_EMBED = {
  group: ["@/server/embed/*", "../embed/*"],
  message: "server/auth does not import server/embed (which imports it): credentials, the embed session included, live in server/auth.",
};
// A webhook route parses nothing itself (like the REST routes): it hands the request to its
// module's use-case, which reads the delivery and verifies it.
const WEBHOOK_ROUTE = {
  group: ["@/server/config", "@/server/payments/webhooks", "@/server/inventory/webhook-signature", "@/server/http/request-body"],
  message: "A webhook route only hands the request to one use-case (server/payments/webhook-items.ts, server/inventory/warehouse-webhook.ts): no config, body reading or verifying here.",
};
// The worker (server/worker/) is the composition root of the jobs: it imports every module whose
// tasks it runs, so no module imports it (scripts/ and tests start it).
const NO_WORKER = {
  group: ["@/server/worker/*"],
  message: "server/worker is the composition root of the jobs: only scripts/ and tests import it.",
};
// The lower layers, bottom up: config < observability < db < jobs < events (the domain below all).
// Each imports only the layers under it, so every module above may use them without a cycle.
const onlyLayers = (layer, below) => ({
  group: ["@/server/*", ...[layer, ...below, "domain", "generated"].flatMap((m) => [`!@/server/${m}`, `!@/server/${m}/*`])],
  message: `server/${layer} is a lower layer: it imports only ${below.length ? below.join(", ") + " and " : ""}the domain (modules above it import it, never the other way round).`,
});
// The named cycles that were broken (issue 12 point 9), kept broken.
const NO_SAGA_FROM_NOTIFICATIONS = {
  group: ["@/server/saga/*", "../saga/*"],
  message: "Notifications do not import the saga (which raises incidents through them): jobs are enqueued through server/jobs.",
};
const NO_SAGA_FROM_INVENTORY = {
  group: ["@/server/saga/*", "../saga/*"],
  message: "Inventory does not import the saga: it enqueues the saga through the cancellation module's port (saga-queue.ts) and jobs through server/jobs.",
};
const NO_REST_FROM_SAGA = {
  group: ["@/server/rest/*", "../rest/*"],
  message: "The saga does not import the REST adapter (which settles webhooks through the saga).",
};
const NO_CANCELLATIONS_FROM_ORDERS = {
  group: ["@/server/cancellations/*", "../cancellations/*"],
  message: "Orders do not import the cancellation module, which builds on them (shared rules live in server/rules).",
};
const DOMAIN = {
  group: ["@/*", "../*", "next", "next/*", "@trpc/*", "@prisma/*", "pg", "node:*"],
  message: "The domain is pure TypeScript: no I/O, no framework, nothing from the rest of the app.",
};

const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "server/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  { files: PRODUCTION, ignores: TESTS, rules: restrict(NO_FAKES) },
  { files: ["server/**/*.{ts,tsx}"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER) },
  { files: ["server/worker/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI) },
  { files: ["server/config/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, onlyLayers("config", [])) },
  { files: ["server/observability/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, onlyLayers("observability", ["config"])) },
  { files: ["server/db/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, onlyLayers("db", ["config", "observability"])) },
  { files: ["server/jobs/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, onlyLayers("jobs", ["config", "observability", "db"])) },
  { files: ["server/events/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, onlyLayers("events", ["config", "observability", "db", "jobs"])) },
  { files: ["server/notifications/**/*.{ts,tsx}"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_SAGA_FROM_NOTIFICATIONS) },
  { files: ["server/inventory/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_SAGA_FROM_INVENTORY) },
  { files: ["server/saga/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_REST_FROM_SAGA) },
  { files: ["server/orders/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_CANCELLATIONS_FROM_ORDERS) },
  {
    files: ["server/rest/**/*.ts", "server/embed/**/*.ts", "server/http/**/*.ts", "server/graphql/**/*.ts", "app/api/v1/**/*.ts", "app/api/graphql/**/*.ts", "app/api/embed/**/*.ts", "app/api/webhooks/**/*.ts"],
    ignores: TESTS,
    rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_TRPC),
  },
  { files: ["app/api/webhooks/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_TRPC, WEBHOOK_ROUTE) },
  { files: ["server/cancellations/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_SAGA) },
  { files: ["server/auth/**/*.ts"], ignores: TESTS, rules: restrict(NO_FAKES, NO_UI, NO_WORKER, NO_EMBED) },
  // The domain is pure: no I/O, no framework, nothing from the rest of the app (tests included).
  { files: ["server/domain/**/*.ts"], rules: restrict(DOMAIN, NO_FAKES) },
];

export default config;
