import { configOrExit } from "@/server/config";
import { exitCode, run, startStack, startWorkerProcess } from "./lib/services";

// `npm run dev` (next dev) and `npm start` (--production: next build, then WEB_CONCURRENCY app
// processes through scripts/serve.ts):
// PostgreSQL, the provider fake, MailDev (unless SMTP_URL is set), the saga worker and the app.
const production = process.argv.includes("--production");
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const port = process.env.PORT ?? "3000";
const appUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
// The app's settings are checked before anything starts, as the worker and the app will get them
// (the provider fake is started below unless PROVIDER_FAKE=off): a bad value stops here, naming the variable.
configOrExit("npm run dev", { ...process.env, PROVIDER_FAKE: process.env.PROVIDER_FAKE === "off" ? "off" : "on" });

const stack = await startStack({ dbName: "partial_cancellation", appUrl });
const env = { ...stack.env, PORT: port, NEXTAUTH_URL: appUrl };

if (production) {
  const code = await exitCode(run("next", ["build"], env));
  if (code !== 0) {
    await stack.stop();
    process.exit(code);
  }
}
const worker = startWorkerProcess(env);
const next = production ? run("tsx", ["scripts/serve.ts"], env) : run("next", ["dev", "-p", port], env);
console.log(`Serving on ${appUrl} — sign in as agent@example.com / demo-password (see README).`);
if (stack.mail) console.log(`Customer emails land in the dev inbox: ${stack.mail.webUrl}`);

let stopping = false;
async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of [next, worker]) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all([exitCode(next), exitCode(worker)]);
  await stack.stop();
  process.exit(code);
}
process.on("SIGINT", () => shutdown());
process.on("SIGTERM", () => shutdown());
const code = await Promise.race([exitCode(next), exitCode(worker)]);
await shutdown(code);
