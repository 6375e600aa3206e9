import { expect, test } from "@playwright/test";

// /api/docs in Chromium on the production build: Scalar's local bundle renders the OpenAPI
// document's operations under the page's own nonce CSP, with no violation and no request elsewhere.
test("the REST reference at /api/docs renders the operations without a CSP violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== new URL(page.url() === "about:blank" ? request.url() : page.url()).origin && !request.url().startsWith("data:")) elsewhere.push(request.url());
  });
  const response = await page.goto("/api/docs");
  expect(response!.status()).toBe(200);
  const csp = response!.headers()["content-security-policy"]!;
  // One policy, the page's own (next.config.js's deny-all for /api does not reach it).
  expect(csp).toMatch(/^default-src 'none'; script-src 'nonce-[^']+'; /);
  expect(csp).not.toContain(",");

  await expect(page.getByRole("heading", { level: 1, name: "Partial quantity cancellation — REST API" })).toBeVisible();
  const sidebar = page.getByRole("complementary");
  // Scalar opens the first tag's group; the others open from the sidebar.
  for (const tag of ["cancellations", "approvals", "contract"]) await sidebar.getByRole("button", { name: `Open Group - ${tag}` }).click();
  const summaries = [
    "Import an order from a channel",
    "The order with each line's quantities and cancellable units",
    "What a cancellation would refund, where the money goes, and whether approval is needed",
    "Cancel units of an order's lines (the seed's parallel arrays)",
    "An order's cancellations, newest first",
    "A cancellation's status, refund details and timeline",
    "Approve a pending cancellation (never one you requested)",
    "Reject a pending cancellation, with a note",
    "Withdraw your own pending request (or any, as an admin)",
    "This document",
  ];
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const summary of summaries) await expect(sidebar.getByRole("link", { name: new RegExp(`^${escape(summary)} HTTP Method`) })).toBeVisible();
  await sidebar.getByRole("link", { name: /^Cancel units of an order's lines/ }).click();
  const submit = page.getByRole("region", { name: "Cancel units of an order's lines (the seed's parallel arrays)" });
  await expect(submit.getByRole("heading", { level: 3 })).toBeVisible();
  await expect(submit.getByText("Idempotency-Key").first()).toBeVisible();
  expect(violations).toEqual([]);
  expect(elsewhere).toEqual([]);
});
