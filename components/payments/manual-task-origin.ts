/** Why a person was handed a refund (SPEC §6 "Provider outcomes"), as the screens say it. */
export const MANUAL_TASK_ORIGIN: Record<string, string> = {
  refund_method: "Refund method “manual”",
  declined: "The provider declined",
  reconciled_unknown: "Provider’s answer unknown; asked, it showed nothing was done",
  unverified_unknown: "Provider’s answer still unknown",
  shipping_unrefundable: "Shipping the payments cannot take",
};

export const VERIFY_AT_PROVIDER = "Verify at the provider first: it may already have refunded this.";
