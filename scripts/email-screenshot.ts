import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { renderCustomerEmail } from "@/server/notifications/templates/customer-email";

// `npm run screenshots:email`: the completed-cancellation email as a customer sees it (USD, en-US),
// rendered by the same React Email template the worker sends, saved for the README.
const outDir = process.env.SCREENSHOTS_DIR ?? "docs/screenshots";
mkdirSync(outDir, { recursive: true });
const email = await renderCustomerEmail({
  template: "cancellation_completed",
  locale: "en-US",
  currency: "USD",
  customerName: "Ada Lovelace",
  orderExternalId: "WEB-EXAMPLE-A",
  items: [{ description: "Oxford shirt, red, M", quantity: 2 }],
  refunds: [
    { route: "card_release", amount: 19485 },
    { route: "gift_card", amount: 5000 },
  ],
  refundTotal: 24485,
  shippingRefunded: false,
  supportEmail: "support@example.com",
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 720, height: 600 } });
  await page.setContent(email.html);
  await page.screenshot({ path: path.join(outDir, "email-cancellation-completed.png"), fullPage: true });
  console.log(`Saved ${outDir}/email-cancellation-completed.png (subject: ${email.subject})`);
} finally {
  await browser.close();
}
