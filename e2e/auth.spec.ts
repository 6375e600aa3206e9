import { expect, test } from "@playwright/test";
import { adminCode, expectSignedInAs, signInThroughForm } from "./helpers";

test.describe("sign-in", () => {
  test("an agent signs in, sees their home, and signs out", async ({ page }) => {
    await signInThroughForm(page, "agent@example.com");
    await expectSignedInAs(page, "Alex Agent", "Customer service agent");
    await expect(page.getByTestId("stores")).toHaveText("All stores");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a store manager sees their stores", async ({ page }) => {
    await signInThroughForm(page, "manager@example.com");
    await expectSignedInAs(page, "Morgan Manager", "Store manager");
    await expect(page.getByTestId("stores")).toHaveText("STORE-001, STORE-002");
  });

  test("the manager of store 3 sees only store 3", async ({ page }) => {
    await signInThroughForm(page, "manager3@example.com");
    await expectSignedInAs(page, "Sam Manager", "Store manager");
    await expect(page.getByTestId("stores")).toHaveText("STORE-003");
  });

  test("an admin signs in with the TOTP code", async ({ page }) => {
    await signInThroughForm(page, "admin@example.com", undefined, adminCode());
    await expectSignedInAs(page, "Ada Admin", "System admin");
  });

  test("an admin without the TOTP code cannot get in", async ({ page }) => {
    await signInThroughForm(page, "admin@example.com");
    await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" })).toHaveText("Sign-in failed: check your email, password and code.");
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a wrong password gets the generic message", async ({ page }) => {
    await signInThroughForm(page, "manager3@example.com", "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" })).toHaveText("Sign-in failed: check your email, password and code.");
  });
});
