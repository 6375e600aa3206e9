import { expect, type Page } from "@playwright/test";
import { TOTP, Secret } from "otpauth";

export const DEV_PASSWORD = "demo-password";
export const DEV_ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export function adminCode(): string {
  return new TOTP({ secret: Secret.fromBase32(DEV_ADMIN_TOTP_SECRET), digits: 6, period: 30 }).generate();
}

export async function signInThroughForm(page: Page, email: string, password = DEV_PASSWORD, totp?: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  if (totp) await page.getByLabel(/Authenticator code/).fill(totp);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signed in, with no deep link to return to, a user lands on order search (issue 15); the header says who they are. */
export async function expectSignedInAs(page: Page, name: string, role: string) {
  await expect(page).toHaveURL(/\/orders$/);
  await expect(page.getByRole("heading", { name: "Orders", level: 1 })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(name);
  await expect(page.getByTestId("role")).toHaveText(role);
}
