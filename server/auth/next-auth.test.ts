import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { ADMIN_IDLE_TIMEOUT_MS, authOptions } from "./next-auth";

const jwt = authOptions.callbacks!.jwt!;
const session = authOptions.callbacks!.session!;
const call = (token: JWT) => jwt({ token, user: undefined as never, account: null, trigger: "update" } as never) as Promise<JWT>;

describe("session idle timeout", () => {
  it("ends an admin session after 30 idle minutes and keeps an active one alive", async () => {
    const base = { userId: "u1", role: "system_admin", storeIds: [] };
    const idle = await call({ ...base, lastSeen: Date.now() - ADMIN_IDLE_TIMEOUT_MS - 1_000 });
    expect(idle).toEqual({ expired: true });
    const s = await session({ session: { expires: "x", user: {} }, token: idle } as never);
    expect((s as { user?: unknown }).user).toBeUndefined();

    const active = await call({ ...base, lastSeen: Date.now() - ADMIN_IDLE_TIMEOUT_MS + 60_000 });
    expect(active.userId).toBe("u1");
    expect(active.lastSeen as number).toBeGreaterThan(Date.now() - 5_000);
  });

  it("does not apply the admin timeout to agents", async () => {
    const token = await call({ userId: "u2", role: "customer_service_agent", storeIds: [], lastSeen: Date.now() - 2 * ADMIN_IDLE_TIMEOUT_MS });
    expect(token.userId).toBe("u2");
  });
});
