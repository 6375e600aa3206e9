export { startProviderFake, type ProviderFake, type ProviderFakeOptions } from "./server";
export type { FakePayment, FakeOperation, FaultKind, WebhookDelivery } from "./store";
export { FAKE_DEFAULTS } from "../../server/config/payment-fake-defaults";
