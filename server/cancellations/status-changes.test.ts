import { describe, expect, it } from "vitest";
import { createDb, getDb, listenerFor } from "@/server/db/client";
import { actorFor, importForTest, simpleOrder } from "@/test/saga-harness";
import { unique } from "@/test/factories";
import { subscribeToStatus } from "./status-changes";
import { submitCancellation } from "./submit-cancellation";

const db = getDb();

async function processingCancellation(): Promise<string> {
  const { orderId } = await importForTest(simpleOrder(3));
  const request = { orderLineIds: ["1"], quantities: [1], reason: "CUSTOMER_REQUEST", refundMethod: "original" };
  // No worker runs in this file: the cancellation stays processing until the test moves it.
  const answer = await submitCancellation({ db, actor: await actorFor() }, orderId, request, { idempotencyKey: unique("k"), waitMs: 0 });
  expect(answer.body.status).toBe("processing");
  return answer.body.cancellationId;
}

// Another connection moves the status, as the worker process would.
async function moveStatus(id: string, status: string) {
  const worker = createDb(process.env.DATABASE_URL!, 1);
  try {
    await worker.$executeRawUnsafe(`UPDATE cancellations SET status = $1::"CancellationStatus" WHERE id = $2::uuid`, status, id);
  } finally {
    await worker.$disconnect();
  }
}

describe("waiting for a cancellation's status", () => {
  it("is woken by the status trigger's NOTIFY, not by the timeout", async () => {
    const id = await processingCancellation();
    const changes = subscribeToStatus(db, id);
    await listenerFor(db)!.ready();
    try {
      const woken = changes.changed(25_000);
      await moveStatus(id, "failed");
      expect(await woken).toBe("changed");
    } finally {
      changes.stop();
    }
  });

  it("does not miss a change made between subscribing and waiting, and ignores other cancellations", async () => {
    const [mine, theirs] = [await processingCancellation(), await processingCancellation()];
    const changes = subscribeToStatus(db, mine);
    await listenerFor(db)!.ready();
    try {
      await moveStatus(theirs, "failed");
      expect(await changes.changed(300)).toBe("timeout");
      await moveStatus(mine, "failed");
      // The notification may arrive before the wait starts; either way the wait ends as changed.
      expect(await changes.changed(25_000)).toBe("changed");
    } finally {
      changes.stop();
    }
  });

  it("a status written again with the same value wakes nobody", async () => {
    const id = await processingCancellation();
    const changes = subscribeToStatus(db, id);
    await listenerFor(db)!.ready();
    try {
      await moveStatus(id, "processing");
      expect(await changes.changed(300)).toBe("timeout");
    } finally {
      changes.stop();
    }
  });
});
