import { expect, test } from "@playwright/test";
import { expectSignedInAs, signInThroughForm } from "./helpers";

// The CSP of issue 13 holds in a real browser: pages work under it, and nothing is refused.
test("pages run under a nonce CSP without violations; no X-Powered-By", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const signIn = await page.goto("/sign-in");
  const headers = signIn!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-powered-by"]).toBeUndefined();
  expect(headers["permissions-policy"]).toContain("camera=()");
  const nonce = /'nonce-([^']+)'/.exec(headers["content-security-policy"]!)![1]!;
  // Every script Next rendered carries this response's nonce.
  const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((n) => n === nonce)).toBe(true);

  await signInThroughForm(page, "agent@example.com");
  await expectSignedInAs(page, "Alex Agent", "Customer service agent");
  await page.goto("/orders");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect((await page.request.get("/favicon.ico")).status()).toBe(200);
  expect(violations).toEqual([]);
});
