import { exitCode, run, startStack } from "./lib/services";

// `npm run dev` (next dev) and `npm start` (--production: next build + next start).
const production = process.argv.includes("--production");
const port = process.env.PORT ?? "3000";

const stack = await startStack({ dbName: "partial_cancellation" });
const env = { ...stack.env, PORT: port, NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}` };

if (production) {
  const code = await exitCode(run("next", ["build"], env));
  if (code !== 0) {
    await stack.stop();
    process.exit(code);
  }
}
const next = run("next", [production ? "start" : "dev", "-p", port], env);
console.log(`Serving on http://localhost:${port} — sign in as agent@example.com / demo-password (see README).`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  next.kill("SIGTERM");
  await exitCode(next);
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
const code = await exitCode(next);
if (!stopping) {
  await stack.stop();
  process.exit(code);
}
