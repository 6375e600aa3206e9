import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { signInThroughForm } from "./helpers";

export const INTEGRATION_KEY = "dev-integration-key";
const auth = { Authorization: `Bearer ${INTEGRATION_KEY}` };

/** The import body of SPEC §7 (amounts are decimal strings). */
export interface ImportOrderBody {
  channel: string;
  externalId: string;
  storeId: string;
  currency: string;
  customer: { id: string; name: string; email: string; phone?: string };
  lines: { lineId: string; sku: string; description: string; quantity: number; unitPrice: string; discount?: string; tax?: string; shipped?: number; released?: number }[];
  discounts?: { code: string; amount: string }[];
  shipping?: { amount: string; tax: string };
  tenders: { tenderId: string; method: string; provider: string; providerReference: string; authorized: string; captured?: string; brand?: string; last4?: string }[];
}

export interface CreatedOrder {
  orderId: string;
  body: ImportOrderBody;
}

/** SPEC §3 worked example A: 3 × 100.00 (tax 22.28) + 1 × 50.00 (tax 3.71), discount 35.00, shipping 10.00. */
export function exampleA(unique: string): ImportOrderBody {
  return {
    channel: "web",
    externalId: `E2E-A-${unique}`,
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: `CUST-${unique}`, name: `Ada Lovelace ${unique}`, email: `ada.${unique.toLowerCase()}@example.com` },
    lines: [
      { lineId: "A", sku: "APP-SHIRT-RED-M", description: "Oxford shirt, red, M", quantity: 3, unitPrice: "100.00", discount: "0.00", tax: "22.28" },
      { lineId: "B", sku: "ACC-SCARF-WL", description: "Wool scarf, charcoal", quantity: 1, unitPrice: "50.00", discount: "0.00", tax: "3.71" },
    ],
    discounts: [{ code: "SPRING35", amount: "35.00" }],
    shipping: { amount: "10.00", tax: "0.00" },
    tenders: [
      { tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique}`, authorized: "300.99", captured: "0.00", brand: "visa", last4: "4242" },
      { tenderId: "T2", method: "gift_card", provider: "internal", providerReference: `GC-${unique}`, authorized: "50.00", captured: "50.00" },
    ],
  };
}

/** Above the agent's USD 500.00 limit: 2 × 400.00, paid by card. */
export function overLimit(unique: string): ImportOrderBody {
  return {
    channel: "web",
    externalId: `E2E-BIG-${unique}`,
    storeId: "STORE-002",
    currency: "USD",
    customer: { id: `CUST-${unique}`, name: `Grace Hopper ${unique}`, email: `grace.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "TV-55-OLED", description: "OLED television, 55 inch", quantity: 2, unitPrice: "400.00", discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique}`, authorized: "800.00", captured: "0.00", brand: "visa", last4: "4242" }],
  };
}

/** Captured by card: a manual refund method leaves the refund to a person. */
export function manualRefundOrder(unique: string): ImportOrderBody {
  return {
    channel: "web",
    externalId: `E2E-MAN-${unique}`,
    storeId: "STORE-001",
    currency: "USD",
    customer: { id: `CUST-${unique}`, name: `Mary Manual ${unique}`, email: `mary.${unique.toLowerCase()}@example.com` },
    lines: [{ lineId: "1", sku: "MUG-BLUE", description: "Blue mug", quantity: 3, unitPrice: "20.00", discount: "0.00", tax: "0.00" }],
    shipping: { amount: "0.00", tax: "0.00" },
    tenders: [{ tenderId: "T1", method: "card", provider: "stripe", providerReference: `pi_${unique}`, authorized: "60.00", captured: "60.00", brand: "visa", last4: "4242" }],
  };
}

export async function importOrder(request: APIRequestContext, body: ImportOrderBody): Promise<CreatedOrder> {
  const response = await request.post("/api/v1/orders", { headers: auth, data: body });
  expect(response.status(), await response.text()).toBe(201);
  const { orderId } = (await response.json()) as { orderId: string };
  return { orderId, body };
}

/** The REST preview of SPEC §7 for the same selection, to compare with what the UI shows. */
export async function restPreview(request: APIRequestContext, orderId: string, selection: { orderLineIds: string[]; quantities: number[]; refundMethod?: string }) {
  const response = await request.post(`/api/v1/orders/${orderId}/cancel-partial/preview`, {
    headers: auth,
    data: { reason: "CUSTOMER_REQUEST", refundMethod: "original", ...selection },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as {
    currency: string;
    totals: Record<"subtotal" | "discount" | "tax" | "shipping" | "shippingTax" | "total", string>;
    allocation: { tenderId: string; operation: string; amount: string }[];
    approvalRequired: boolean;
  };
}

let counter = 0;

export const test = base.extend<{ unique: string; createOrder: (make: (unique: string) => ImportOrderBody) => Promise<CreatedOrder>; agentPage: Page }>({
  // Unique per test (and per worker), so tests never share orders or customers (velocity counts per customer).
  unique: async ({}, provide, testInfo) => {
    await provide(`${Date.now().toString(36)}${testInfo.workerIndex}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase());
  },
  createOrder: async ({ request, unique }, provide) => {
    let n = 0;
    await provide((make) => importOrder(request, make(n++ === 0 ? unique : `${unique}-${n}`)));
  },
  agentPage: async ({ page }, provide) => {
    await signInThroughForm(page, "agent@example.com");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    await provide(page);
  },
});

export { expect };
