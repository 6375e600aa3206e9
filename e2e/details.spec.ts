import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expectNoSeriousAxeViolations, expectUnclippedFocusRing, tabTo } from "./a11y";
import { exampleA, expect, test } from "./fixtures";
import { signInThroughForm } from "./helpers";

// Issue 15, point 9: the details of the agent's workspace.

const stepperFor = (page: Page, line: string) => page.getByRole("spinbutton", { name: `Quantity to cancel, ${line}` });
const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

test.describe("sign-in", () => {
  test("a deep link survives the sign-in; without one the user lands on order search, and a foreign return address is ignored", async ({ page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await page.goto(`/orders/${orderId}`);
    await expect(page).toHaveURL(new RegExp(`/sign-in\\?callbackUrl=${encodeURIComponent(`/orders/${orderId}`)}$`));
    await page.getByLabel("Email").fill("agent@example.com");
    await page.getByLabel("Password").fill("demo-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
    await expect(page.getByRole("heading", { name: `Order ${body.externalId}` })).toBeVisible();
    await expect(page).toHaveTitle(`Order ${body.externalId} · Partial Cancellation`);

    // Signed in, the home page is order search (no "Welcome" card that leads nowhere).
    await page.goto("/");
    await expect(page).toHaveURL(/\/orders$/);
    await expect(page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();
    await expect(page.getByText(/^Welcome/)).toHaveCount(0);

    const other = await (await page.context().browser()!.newContext()).newPage();
    await other.goto("/sign-in?callbackUrl=https%3A%2F%2Fevil.example%2Fx");
    await other.getByLabel("Email").fill("agent@example.com");
    await other.getByLabel("Password").fill("demo-password");
    await other.getByRole("button", { name: "Sign in" }).click();
    await expect(other).toHaveURL(/\/orders$/);
    await other.goto("/sign-in?callbackUrl=%2F%2Fevil.example%2Fx");
    await expect(other).toHaveURL(/\/orders$/);
    await other.context().close();
  });
});

test.describe("navigation", () => {
  test("an agent sees only the pages an agent may open, the current one marked", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await expect(mainNav(page).getByRole("link")).toHaveText(["Orders", "My requests"]);
    await expect(mainNav(page).getByRole("link", { name: "Approvals" })).toHaveCount(0);
    await expect(mainNav(page).getByRole("link", { name: "Orders" })).toHaveAttribute("aria-current", "page");
    await openOrder(page, orderId, body.externalId);
    // The order belongs to order search: Orders stays the current section.
    await expect(mainNav(page).getByRole("link", { name: "Orders" })).toHaveAttribute("aria-current", "page");
    await expectNoSeriousAxeViolations(page);
  });

  test("a store manager gets Approvals and Insights, and the page open is the one marked", async ({ page }) => {
    await signInThroughForm(page, "manager@example.com");
    await expect(page).toHaveURL(/\/orders$/);
    await expect(mainNav(page).getByRole("link")).toHaveText(["Orders", "My requests", /^Approvals/, "Insights"]);
    await mainNav(page).getByRole("link", { name: /^Approvals/ }).click();
    await expect(page.getByRole("heading", { name: "Approval queue" })).toBeVisible();
    await expect(mainNav(page).getByRole("link", { name: /^Approvals/ })).toHaveAttribute("aria-current", "page");
    await expect(mainNav(page).locator('[aria-current="page"]')).toHaveCount(1);
  });
});

test.describe("titles and icon", () => {
  test("the order and its cancellation carry the order's external id in the tab's title; the app has a favicon", async ({ agentPage: page, createOrder, request }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await expect(page).toHaveTitle(`Order ${body.externalId} · Partial Cancellation`);
    const submitted = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
      data: { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    expect(submitted.status()).toBe(201);
    const { cancellationId } = (await submitted.json()) as { cancellationId: string };
    await page.goto(`/orders/${orderId}/cancellations/${cancellationId}`);
    await expect(page).toHaveTitle(`Cancellation · Order ${body.externalId} · Partial Cancellation`);

    // An order the reader may not see is titled plainly (the title must not tell that it exists).
    const manager3 = await (await page.context().browser()!.newContext()).newPage();
    await signInThroughForm(manager3, "manager3@example.com");
    await expect(manager3).toHaveURL(/\/orders$/);
    await manager3.goto(`/orders/${orderId}`);
    await expect(manager3.getByRole("heading", { name: "Order not found" })).toBeVisible();
    await expect(manager3).toHaveTitle("Order · Partial Cancellation");
    await manager3.context().close();

    const href = await page.locator('head link[rel="icon"][type="image/svg+xml"]').getAttribute("href");
    expect(href).toBeTruthy();
    const icon = await request.get(href!);
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
    expect(await icon.text()).toContain("<svg");
  });
});

test.describe("the quantity stepper", () => {
  test("keys step, jump and type; a number above the maximum becomes the maximum with a note; a refusal clears once the value is valid", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    const stepper = stepperFor(page, "Oxford shirt, red, M");
    const message = page.getByTestId("cancel-qty-A-message");
    await tabTo(page, stepper);
    await expectUnclippedFocusRing(stepper);

    await page.keyboard.press("+");
    await expect(stepper).toHaveValue("1");
    await page.keyboard.press("ArrowUp");
    await expect(stepper).toHaveValue("2");
    await page.keyboard.press("-");
    await expect(stepper).toHaveValue("1");
    await page.keyboard.press("End");
    await expect(stepper).toHaveValue("3");
    await page.keyboard.press("ArrowDown");
    await expect(stepper).toHaveValue("2");
    await page.keyboard.press("Home");
    await expect(stepper).toHaveValue("0");

    // Typing: 9 is more than the 3 that can be cancelled.
    await page.keyboard.type("9");
    await expect(stepper).toHaveValue("3");
    await expect(stepper).toHaveAttribute("aria-valuenow", "3");
    await expect(message).toHaveText("Only 3 can be cancelled: set to 3.");
    await expect(page.getByTestId("preview-total")).toHaveText("$292.28");
    await page.keyboard.press("ArrowDown");
    await expect(stepper).toHaveValue("2");
    await expect(message).toHaveText("From 0 to 3."); // only the visually hidden range hint

    // Not a number: refused, said, and the last valid value still counts.
    await stepper.fill("abc");
    await expect(stepper).toHaveAttribute("aria-invalid", "true");
    await expect(message).toHaveText("Enter a whole number from 0 to 3.");
    await expect(stepper).toHaveAttribute("aria-valuenow", "2");
    await stepper.fill("1");
    await expect(stepper).toHaveValue("1");
    await expect(stepper).not.toHaveAttribute("aria-invalid", "true");
    await expect(message).toHaveText("From 0 to 3."); // only the visually hidden range hint
    await expect(page.getByTestId("preview-total")).toHaveText(/\$\d/);

    // Leaving the field with a refused text shows the valid value again, and no stale message.
    await stepper.fill("1.5");
    await expect(message).toBeVisible();
    await page.keyboard.press("Tab");
    await expect(stepper).toHaveValue("1");
    await expect(message).toHaveText("From 0 to 3."); // only the visually hidden range hint
  });
});

test.describe("when the order changes under the agent", () => {
  test("a stale preview with the same amounts says so and names what changed, blaming nobody", async ({ agentPage: page, createOrder, request }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("1");
    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await expect(page.getByTestId("preview-total")).toHaveText("$97.43");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$97.43");

    // Meanwhile the scarf is cancelled (another tab, a colleague or a channel: the screen cannot tell).
    const other = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
      data: { orderLineIds: ["B"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    expect(other.status()).toBe(201);

    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    const notice = dialog.getByTestId("stale-preview");
    await expect(notice).toContainText("The order changed since your preview");
    await expect(notice).toContainText("The refund is still $97.43 (it was $97.43 too): the amounts did not change.");
    await expect(notice.getByRole("list", { name: "What changed" })).toContainText(/Wool scarf, charcoal: (cancelled|held by a pending cancellation) 0 → 1\./);
    await expect(notice).not.toContainText(/someone else/i);
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(page).toHaveURL(/\/cancellations\/[0-9a-f-]{36}$/);
  });

  test("units taken meanwhile are named by product, not by line id", async ({ agentPage: page, createOrder, request }) => {
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await stepperFor(page, "Oxford shirt, red, M").fill("3");
    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await expect(page.getByTestId("preview-total")).toHaveText("$292.28");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByTestId("confirm-total")).toHaveText("$292.28");
    const other = await request.post(`/api/v1/orders/${orderId}/cancel-partial`, {
      headers: { Authorization: "Bearer dev-agent-key", "Idempotency-Key": randomUUID() },
      data: { orderLineIds: ["A"], quantities: [2], reason: "CUSTOMER_REQUEST", refundMethod: "original" },
    });
    expect(other.status()).toBe(201);
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();
    const error = dialog.getByRole("alert");
    await expect(error).toContainText("Oxford shirt, red, M: 3 chosen, but only 1 can be cancelled now.");
    await expect(error).not.toContainText('Line "A"');
    await expect(dialog.getByRole("button", { name: "Confirm cancellation" })).toBeDisabled();
  });
});

test.describe("at 360 px", () => {
  test("the header and navigation fit, and the stepper's keys work", async ({ agentPage: page, createOrder }) => {
    const { orderId, body } = await createOrder(exampleA);
    await page.setViewportSize({ width: 360, height: 780 });
    await openOrder(page, orderId, body.externalId);
    await expect(mainNav(page).getByRole("link", { name: "Orders" })).toBeVisible();
    const stepper = stepperFor(page, "Wool scarf, charcoal");
    await stepper.focus();
    await page.keyboard.press("+");
    await expect(stepper).toHaveValue("1");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
  });
});
