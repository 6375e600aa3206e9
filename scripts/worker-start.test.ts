import { spawn } from "node:child_process";
import { expect, it } from "vitest";

function startWorker(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  // Node leaves variables set to undefined out of the child's environment.
  const unset = Object.fromEntries(Object.keys(process.env).filter((name) => /^(STRIPE_|PAYPAL_|ADYEN_|PROVIDER_FAKE)/.test(name)).map((name) => [name, undefined]));
  const child = spawn("node_modules/.bin/tsx", ["scripts/worker.ts"], { env: { ...process.env, ...unset, EVENTS_AMQP_URL: "off", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => {
    stdout += c.toString();
    // Started: stop it (the test asserts whether it was expected to start).
    if (/Worker \d+ running/.test(stdout)) child.kill("SIGTERM");
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr, stdout })));
}

it("in production, a worker without Stripe credentials does not start and says which variables are missing", async () => {
  const { code, stderr } = await startWorker({ NODE_ENV: "production", PAYPAL_CLIENT_ID: "id", PAYPAL_CLIENT_SECRET: "secret", ADYEN_API_KEY: "k", ADYEN_MERCHANT_ACCOUNT: "m", ADYEN_HMAC_KEY: "h" });
  expect(code).toBe(1);
  expect(stderr).toContain("Worker not started. Invalid configuration: Payment configuration: NODE_ENV=production and no credentials for Stripe (STRIPE_SECRET_KEY).");
  expect(stderr).toContain("PROVIDER_FAKE=on");
});

it("in production with PROVIDER_FAKE=on, the worker starts against the fake", async () => {
  const { stdout, stderr } = await startWorker({ NODE_ENV: "production", PROVIDER_FAKE: "on" });
  expect(stdout).toMatch(/Worker \d+ running/);
  expect(stderr).not.toContain("Worker not started");
});
