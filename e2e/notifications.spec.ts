import type { Page } from "@playwright/test";
import { signInThroughForm } from "./helpers";
import { exampleA, expect, overLimit, test } from "./fixtures";

// `npm test` starts MailDev and gives the app's worker its SMTP_URL; MAILDEV_URL is its REST API.
const MAILDEV_URL = process.env.MAILDEV_URL ?? "";

async function inboxOf(address: string): Promise<{ subject: string; text: string }[]> {
  const res = await fetch(`${MAILDEV_URL}/api/email`);
  expect(res.ok).toBe(true);
  const all = (await res.json()) as { subject: string; text: string; to: { address: string }[] }[];
  return all.filter((m) => m.to.some((t) => t.address === address));
}

async function openOrder(page: Page, orderId: string, externalId: string) {
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByRole("heading", { name: `Order ${externalId}` })).toBeVisible();
}

test.describe("notifications", () => {
  test("the agent previews the customer's email, confirms, and exactly that email leaves once the cancellation completes", async ({ agentPage: page, createOrder }) => {
    expect(MAILDEV_URL, "MAILDEV_URL: run through npm test, which starts MailDev").not.toBe("");
    const { orderId, body } = await createOrder(exampleA);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("spinbutton", { name: "Quantity to cancel, Oxford shirt, red, M" }).fill("2");
    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await expect(page.getByTestId("preview-total")).toHaveText("$194.85");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm cancellation" });
    await expect(dialog.getByRole("checkbox", { name: /Email the customer/ })).toBeChecked();
    await dialog.getByText("Preview the email").click();
    const preview = dialog.getByTestId("email-preview");
    await expect(preview).toContainText(`Your cancellation for order ${body.externalId} is complete`);
    await expect(preview).toContainText("$194.85: the hold on your card is released");
    await dialog.getByRole("button", { name: "Confirm cancellation" }).click();

    await expect(page).toHaveURL(new RegExp(`/orders/${orderId}/cancellations/[0-9a-f-]{36}$`));
    await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Completed");
    const emails = page.getByRole("list", { name: "Emails to the customer" }).getByRole("listitem");
    await expect(emails).toHaveCount(1);
    await expect(emails.first()).toContainText("Sent");
    await expect(page.getByRole("list", { name: "Timeline" })).toContainText("Email sent to a•••@example.com");

    await expect.poll(async () => (await inboxOf(body.customer.email)).length).toBe(1);
    const [mail] = await inboxOf(body.customer.email);
    expect(mail!.subject).toBe(`Your cancellation for order ${body.externalId} is complete`);
    expect(mail!.text).toContain("Your refund: $194.85");
    expect(mail!.text).toContain("2 × Oxford shirt, red, M");

    await emails.first().getByRole("link").click();
    await expect(page.getByRole("heading", { name: `Your cancellation for order ${body.externalId} is complete` })).toBeVisible();
    await expect(page.getByTestId("message-text")).toHaveText(mail!.text);
  });

  test("a manager sees the new request in Notices, unread, and opens it in the approval queue", async ({ agentPage: page, createOrder, browser }) => {
    const { orderId, body } = await createOrder(overLimit);
    await openOrder(page, orderId, body.externalId);
    await page.getByRole("button", { name: "All remaining on the order" }).click();
    await page.getByLabel("Reason").selectOption("CUSTOMER_REQUEST");
    await page.getByRole("button", { name: "Review cancellation" }).click();
    await page.getByRole("dialog", { name: "Confirm cancellation" }).getByRole("button", { name: "Confirm cancellation" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Status:" })).toContainText("Pending approval");

    // Issue 15 point 4: the notice's time is in the viewer's zone (Berlin in December: GMT+1), the exact time on hover.
    const manager = await (await browser.newContext({ timezoneId: "Europe/Berlin" })).newPage();
    await signInThroughForm(manager, "manager@example.com");
    await expect(manager.getByRole("button", { name: "Sign out" })).toBeVisible();
    // Notices poll every 15 s; a reload asks at once.
    await expect(async () => {
      await manager.reload();
      await manager.getByRole("button", { name: /^Notices/ }).click();
      await expect(manager.getByRole("region", { name: "Notices" }).getByRole("link").filter({ hasText: body.externalId })).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await expect(manager.getByTestId("notices-unread")).toBeVisible();
    const notice = manager.getByRole("region", { name: "Notices" }).getByRole("link").filter({ hasText: body.externalId });
    await expect(notice).toContainText("Unread: A cancellation awaits your approval");
    await expect(notice.locator("time")).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+1$/);
    await expect(notice.locator("time")).toHaveAttribute("title", /Central European Standard Time/);
    await notice.click();
    await expect(manager).toHaveURL(/\/approvals\/[0-9a-f-]{36}$/);
    await manager.getByRole("button", { name: /^Notices/ }).click();
    await expect(manager.getByRole("region", { name: "Notices" }).getByRole("link").filter({ hasText: body.externalId })).not.toContainText("Unread:");
    await manager.context().close();
  });
});
