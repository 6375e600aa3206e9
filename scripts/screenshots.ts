import { mkdirSync } from "node:fs";
import path from "node:path";
import { type APIRequestContext, chromium, expect as baseExpect, type Page } from "@playwright/test";

// `npm run screenshots`: signs in as the agent against a running app (`npm run dev`) and saves
// the orders list and an order with a live refund preview (2 units of line A of WEB-EXAMPLE-A);
// then, as the store manager, the approval queue on a phone (360 px) and Insights. It first adds
// a few cancellations of its own (orders SHOT-…, some above the agent limit) so both have data.
// SCREENSHOTS_DIR and SCREENSHOTS_WIDTH change where and how wide (e.g. 360 for a phone).
// A dev server compiles each page on its first visit: give it time.
const expect = baseExpect.configure({ timeout: 60_000 });
const BASE_URL = process.env.BASE_URL ?? "http://localhost:3000";
const outDir = process.env.SCREENSHOTS_DIR ?? "docs/screenshots";
const width = Number(process.env.SCREENSHOTS_WIDTH ?? 1280);

mkdirSync(outDir, { recursive: true });

async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

const REASONS = ["CUSTOMER_REQUEST", "CUSTOMER_REQUEST", "ITEM_UNAVAILABLE", "DELIVERY_DELAY", "PRICE_ERROR", "DUPLICATE_ORDER"];

/** Eight orders in STORE-001/002, each partly cancelled by the agent; the dearer ones wait for approval. */
async function addCancellations(request: APIRequestContext) {
  const stamp = Date.now().toString(36).toUpperCase();
  for (let i = 0; i < 8; i++) {
    const unitPrice = i % 3 === 0 ? "349.00" : "39.00";
    const body = {
      channel: ["web", "mobile", "pos"][i % 3],
      externalId: `SHOT-${stamp}-${i}`,
      storeId: i % 2 ? "STORE-002" : "STORE-001",
      currency: "USD",
      customer: { id: `SHOT-CUST-${stamp}-${i}`, name: ["Grace Hopper", "Alan Turing", "Katherine Johnson", "Edsger Dijkstra"][i % 4], email: `shot.${stamp.toLowerCase()}.${i}@example.com` },
      lines: [{ lineId: "1", sku: ["HOME-LAMP-DESK", "KIT-KETTLE-1L", "ELEC-SPKR-BT"][i % 3], description: ["Desk lamp", "Electric kettle", "Bluetooth speaker"][i % 3], quantity: 3, unitPrice, discount: "0.00", tax: "0.00" }],
      shipping: { amount: "0.00", tax: "0.00" },
      tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_shot_${stamp.toLowerCase()}_${i}`, authorized: (Number(unitPrice) * 3).toFixed(2), captured: "0.00", brand: "visa", last4: "4242" }],
    };
    const imported = await request.post("/api/v1/orders", { headers: { Authorization: "Bearer dev-integration-key" }, data: body });
    if (imported.status() !== 201) throw new Error(`import ${body.externalId}: ${imported.status()} ${await imported.text()}`);
    const { orderId } = (await imported.json()) as { orderId: string };
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": `shot-${stamp}-${i}` },
      data: { orderLineIds: ["1"], quantities: [i % 3 === 0 ? 2 : 1], reason: REASONS[i % REASONS.length], refundMethod: "original" },
    });
    if (submitted.status() !== 201) throw new Error(`cancel ${body.externalId}: ${submitted.status()} ${await submitted.text()}`);
  }
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: width < 600 ? 2 : 1, baseURL: BASE_URL });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("agent@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();

  // The dev server's floating Next.js badge is not part of the product.
  await page.addInitScript(() => {
    document.addEventListener("DOMContentLoaded", () => {
      const style = document.createElement("style");
      style.textContent = "nextjs-portal { display: none !important; }";
      document.head.append(style);
    });
  });
  await page.goto("/orders");
  await expect(page.getByRole("region", { name: "Orders found" })).toBeVisible();
  await page.screenshot({ path: path.join(outDir, "orders.png"), fullPage: true });

  await page.goto("/orders?q=WEB-EXAMPLE-A");
  await page.getByRole("link", { name: "WEB-EXAMPLE-A", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Order WEB-EXAMPLE-A" })).toBeVisible();
  const stepper = page.getByRole("spinbutton", { name: /Quantity to cancel, Oxford shirt/ });
  await stepper.fill("2");
  await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
  await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
  await expect(page.getByText("Updating…")).toHaveCount(0);
  await stepper.blur();
  await page.screenshot({ path: path.join(outDir, "order-detail-preview.png"), fullPage: true });
  console.log(`Saved ${outDir}/orders.png and ${outDir}/order-detail-preview.png`);

  await addCancellations(page.request);
  const manager = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 360, height: 800 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const phone = await manager.newPage();
  await signIn(phone, "manager@example.com");
  await phone.goto("/approvals");
  await expect(phone.getByRole("list", { name: "Pending approvals" })).toBeVisible({ timeout: 60_000 });
  await phone.screenshot({ path: path.join(outDir, "approvals-phone.png"), fullPage: false });
  const desk = await browser.newPage({ viewport: { width: 1280, height: 900 }, baseURL: BASE_URL });
  await signIn(desk, "manager@example.com");
  await desk.goto("/insights");
  await expect(desk.locator("svg.recharts-surface").first()).toBeVisible({ timeout: 60_000 });
  await expect(desk.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await desk.screenshot({ path: path.join(outDir, "insights.png"), fullPage: true });
  console.log(`Saved ${outDir}/approvals-phone.png and ${outDir}/insights.png`);
} finally {
  await browser.close();
}
