import { LocalTime } from "../local-time";
import type { CancellationView } from "../orders/types";
import { MANUAL_TASK_ORIGIN, VERIFY_AT_PROVIDER } from "../payments/manual-task-origin";

type Allocation = CancellationView["refundDetails"]["allocation"][number];

/** Where a provider operation stands when it is not simply done: retried, waiting for a confirmation, or with a person. */
export function PaymentProgress({ allocation: a }: { allocation: Allocation }) {
  if (a.manualRefund) {
    return (
      <p className="w-full text-xs text-slate-700">
        Manual refund ({a.manualRefund.status === "open" ? "open" : "done"}): {MANUAL_TASK_ORIGIN[a.manualRefund.origin] ?? a.manualRefund.origin}.
        {a.manualRefund.verifyAtProvider && a.manualRefund.status === "open" && <strong className="ml-1 font-semibold text-amber-900">{VERIFY_AT_PROVIDER}</strong>}
      </p>
    );
  }
  if (a.status !== "pending" || !a.providerOutcome) return null;
  if (a.providerOutcome.status === "accepted") return <p className="w-full text-xs text-slate-700">Accepted by the provider; waiting for its confirmation.</p>;
  if (a.providerOutcome.status === "unknown") {
    return (
      <p className="w-full text-xs text-slate-700">
        The provider’s answer is not known yet (attempt {a.providerOutcome.attempts}); retrying with the same request
        {a.providerOutcome.retryAt ? (
          <>
            {" "}
            at <LocalTime iso={a.providerOutcome.retryAt} />
          </>
        ) : (
          ""
        )}. Nothing is done twice.
      </p>
    );
  }
  return null;
}
