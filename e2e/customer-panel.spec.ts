import type { Page } from "@playwright/test";
import { exampleA, expect, importOrder, test } from "./fixtures";
import { signInThroughForm } from "./helpers";
import { cancelThroughRest, expectNoSeriousAxeViolations, expectNoSideways, tabTo } from "./workspace-helpers";

/*
 * Issue 15, point 6: the customer beside the order. One customer, four orders: the one on screen,
 * two more in STORE-001 and one in STORE-003 (outside the dev manager's stores), and a cancellation
 * on each of the three others, so velocity's "3 other orders in 24 h" holds.
 */
// Issue 15 point 4: the panel's dates are in the viewer's zone (Berlin in December is GMT+1).
test.use({ timezoneId: "Europe/Berlin" });

async function customerWithHistory(request: Parameters<typeof importOrder>[0], unique: string) {
  const customer = { id: `CUST-PANEL-${unique}`, name: `Ada Panel ${unique}`, email: `ada.panel.${unique.toLowerCase()}@example.com` };
  const make = async (suffix: string, storeId = "STORE-001") => importOrder(request, { ...exampleA(`${unique}-${suffix}`), storeId, customer });
  const viewed = await make("V");
  const others = [await make("O1"), await make("O2"), await make("O3", "STORE-003")];
  // A system admin's cancellation needs no approval: each goes straight to the saga.
  for (const [i, o] of others.entries()) await cancelThroughRest(request, "dev-admin-key", o.orderId, ["B"], [1], `panel-${unique}-${i}`);
  return { customer, viewed, others };
}

async function openPanel(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
  await page.getByRole("button", { name: "Customer history" }).click();
  const panel = page.getByRole("dialog", { name: "Customer" });
  await expect(panel).toBeVisible();
  return panel;
}

test.describe("the customer beside the order", () => {
  test("the panel shows the other orders, the cancellations and the velocity counters the policy uses; the agent's preview agrees", async ({ agentPage: page, request, unique }) => {
    const { customer, viewed, others } = await customerWithHistory(request, unique);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/orders/${viewed.orderId}`);
    // At a glance, before opening it.
    await expect(page.getByText("3 other orders · cancellations on 3 other orders in 24 h")).toBeVisible();
    await expect(page.getByText("Velocity: approval needed")).toBeVisible();

    const panel = await openPanel(page, viewed.orderId, viewed.body.externalId);
    await expect(panel.getByText(customer.name, { exact: true })).toBeVisible();
    await expect(panel.getByText(customer.email, { exact: true })).toBeVisible();
    const velocity = panel.getByRole("region", { name: "Velocity (as the approval policy counts it)" });
    await expect(velocity.getByRole("definition").first()).toHaveText("3 of 3");
    await expect(velocity).toContainText("Too many other orders with cancellations: an agent's cancellation needs approval");
    const orders = panel.getByRole("list", { name: "Other orders" });
    await expect(orders.getByRole("listitem")).toHaveCount(3);
    for (const o of others) await expect(orders.getByRole("link", { name: o.body.externalId })).toBeVisible();
    await expect(orders.getByRole("listitem").first().locator("time")).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+1$/);
    await expect(orders.getByRole("listitem").first().locator("time")).toHaveAttribute("title", /Central European Standard Time/);
    await expect(velocity).toContainText("Counted across every store, like the policy.");
    await expect(panel.getByRole("list", { name: "Cancellations and refunds" }).getByRole("listitem")).toHaveCount(3);
    await expectNoSeriousAxeViolations(page);

    // The same numbers the REST preview's approval gate reports for this order.
    const preview = await request.post(`/api/v1/orders/${viewed.orderId}/cancel-partial/preview`, {
      headers: { Authorization: "Bearer dev-agent-key" },
      data: { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    const body = (await preview.json()) as { approvalReasons: string[]; approval: { velocity: { otherOrdersWithCancellations24h: number; otherOrdersThreshold: number } } };
    expect(body.approvalReasons).toContain("velocity");
    expect(body.approval.velocity).toMatchObject({ otherOrdersWithCancellations24h: 3, otherOrdersThreshold: 3 });

    // A link in the panel opens the other order.
    await orders.getByRole("link", { name: others[0]!.body.externalId }).click();
    await expect(page.getByRole("heading", { name: `Order ${others[0]!.body.externalId}` })).toBeVisible();
  });

  test("keyboard only: Tab to the button, Enter opens, focus is in the panel, Escape closes and focus returns; fits 360 px", async ({ agentPage: page, request, unique }) => {
    const { viewed } = await customerWithHistory(request, unique);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.goto(`/orders/${viewed.orderId}`);
    const button = page.getByRole("button", { name: "Customer history" });
    await expect(button).toBeVisible();
    await page.locator("body").focus();
    await tabTo(page, button);
    await page.keyboard.press("Enter");
    const panel = page.getByRole("dialog", { name: "Customer" });
    await expect(panel).toBeVisible();
    await expect(panel.getByRole("button", { name: "Close" })).toBeFocused();
    await expect(panel.getByRole("list", { name: "Other orders" }).getByRole("listitem")).toHaveCount(3);
    const box = (await panel.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(360);
    await expectNoSideways(page);
    await expectNoSeriousAxeViolations(page);
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
    await expect(button).toBeFocused();
  });

  test("a store manager's panel lists only their stores' orders, and its velocity counters count only their stores, said so (SPEC §1)", async ({ page, request, unique }) => {
    const { viewed, others } = await customerWithHistory(request, unique);
    await signInThroughForm(page, "manager@example.com");
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    const panel = await openPanel(page, viewed.orderId, viewed.body.externalId);
    const orders = panel.getByRole("list", { name: "Other orders" });
    await expect(orders.getByRole("listitem")).toHaveCount(2);
    await expect(panel).not.toContainText(others[2]!.body.externalId);
    await expect(panel).not.toContainText("STORE-003");
    // STORE-003's cancelled order is not counted: 2 other orders of the manager's stores, not 3.
    const velocity = panel.getByRole("region", { name: "Velocity in your stores" });
    await expect(velocity.getByRole("definition").first()).toHaveText("2 of 3");
    await expect(velocity).toContainText("Below both thresholds in your stores.");
    await expect(velocity).not.toContainText("approval needed");
    await expect(panel.getByRole("list", { name: "Cancellations and refunds" }).getByRole("listitem").first().locator("time")).toHaveText(/GMT\+1$/);
    await expectNoSeriousAxeViolations(page);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(page.getByText("cancellations on 2 other orders in 24 h in your stores")).toBeVisible();
    await expect(page.getByText("Velocity: approval needed")).toHaveCount(0);
  });
});
