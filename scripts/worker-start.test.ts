import { expect, it } from "vitest";
import { startWorkerProcess } from "./lib/services";

/** The worker as `npm run dev` and `npm test` start it; once it runs it is sent SIGTERM. */
function startWorker(env: Record<string, string>): Promise<{ pid: number | undefined; code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  // Node leaves variables set to undefined out of the child's environment.
  const unset = Object.fromEntries(Object.keys(process.env).filter((name) => /^(STRIPE_|PAYPAL_|ADYEN_|PROVIDER_FAKE|WAREHOUSE_)/.test(name)).map((name) => [name, undefined]));
  const child = startWorkerProcess({ ...unset, EVENTS_AMQP_URL: "off", ...env }, ["ignore", "pipe", "pipe"]);
  let stderr = "";
  let stdout = "";
  let terminated = false;
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on("data", (c: Buffer) => {
    stdout += c.toString();
    // Started: stop it (the test asserts whether it was expected to start).
    if (!terminated && /Worker \d+ running/.test(stdout)) {
      terminated = true;
      child.kill("SIGTERM");
    }
  });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve({ pid: child.pid, code, signal, stderr, stdout })));
}

it("in production, a worker without Stripe credentials does not start and says which variables are missing", async () => {
  const { code, stderr } = await startWorker({ NODE_ENV: "production", PAYPAL_CLIENT_ID: "id", PAYPAL_CLIENT_SECRET: "secret", ADYEN_API_KEY: "k", ADYEN_MERCHANT_ACCOUNT: "m", ADYEN_HMAC_KEY: "h" });
  expect(code).toBe(1);
  expect(stderr).toContain("Worker not started. Invalid configuration: Payment configuration: NODE_ENV=production and no credentials for Stripe (STRIPE_SECRET_KEY).");
  expect(stderr).toContain("PROVIDER_FAKE=on");
});

it("in production with payment fakes but no warehouse, the worker does not start and names the warehouse's variables", async () => {
  const { code, stderr } = await startWorker({ NODE_ENV: "production", PROVIDER_FAKE: "on" });
  expect(code).toBe(1);
  expect(stderr).toContain("Warehouse configuration: NODE_ENV=production and no WAREHOUSE_URL, WAREHOUSE_API_KEY, WAREHOUSE_WEBHOOK_SECRET.");
  expect(stderr).toContain("WAREHOUSE_FAKE=on");
});

it("in production with PROVIDER_FAKE=on and WAREHOUSE_FAKE=on, the worker starts against the fakes, and SIGTERM to the process started runs its shutdown", async () => {
  const { pid, code, signal, stdout, stderr } = await startWorker({ NODE_ENV: "production", PROVIDER_FAKE: "on", WAREHOUSE_FAKE: "on" });
  expect(stderr).not.toContain("Worker not started");
  // The process spawned is the worker itself, no wrapper between (tsx's relays a signal and, when the
  // worker does not answer within 30 ms, SIGKILLs it), and the worker's own handler ended it.
  expect(stdout).toContain(`Worker ${pid} running`);
  expect(stdout).toContain(`Worker ${pid} stopped`);
  expect({ code, signal }).toEqual({ code: 0, signal: null });
});
