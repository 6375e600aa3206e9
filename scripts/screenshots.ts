import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, expect } from "@playwright/test";

// `npm run screenshots`: signs in as the agent against a running app (`npm run dev`) and saves
// the orders list and an order with a live refund preview (2 units of line A of WEB-EXAMPLE-A).
// SCREENSHOTS_DIR and SCREENSHOTS_WIDTH change where and how wide (e.g. 360 for a phone).
const BASE_URL = process.env.BASE_URL ?? "http://localhost:3000";
const outDir = process.env.SCREENSHOTS_DIR ?? "docs/screenshots";
const width = Number(process.env.SCREENSHOTS_WIDTH ?? 1280);

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: width < 600 ? 2 : 1, baseURL: BASE_URL });
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("agent@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

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
} finally {
  await browser.close();
}
