import type { CustomerTemplate, RefundRoute } from "./model";

/*
 * The words of the customer emails, in English and German. Other locales get the
 * English words with their own number and currency format.
 */

export interface TemplateCopy {
  subject(order: string): string;
  heading: string;
  intro(order: string): string;
  /** After the list of items. */
  body?: string;
}

export interface Copy {
  greeting(name: string): string;
  item(quantity: string, description: string): string;
  refundHeading(total: string): string;
  refund: Record<RefundRoute, (amount: string) => string>;
  noRefund: string;
  shipping: string;
  /** SPEC §11: what the warehouse could not stop. */
  notStoppedHeading: string;
  notStoppedBody: string;
  /** A cancellation of which the warehouse could stop nothing. */
  warehouseRefused: string;
  support(email: string, order: string): string;
  signoff: string;
  templates: Record<CustomerTemplate, TemplateCopy>;
  /**
   * A completed cancellation of which a part of the refund waits for a person (a manual refund):
   * the items are cancelled, but the money has not moved, so the email must not say it is all done.
   */
  manualRefundPending: TemplateCopy;
}

const en: Copy = {
  greeting: (name) => `Hello ${name},`,
  item: (quantity, description) => `${quantity} × ${description}`,
  refundHeading: (total) => `Your refund: ${total}`,
  refund: {
    card_release: (a) => `${a}: the hold on your card is released, so you will not be charged for it`,
    paypal_release: (a) => `${a}: the hold on your PayPal account is released, so you will not be charged for it`,
    card_refund: (a) => `${a} back to your card within 5–10 business days`,
    paypal_refund: (a) => `${a} back to your PayPal account within 3–5 days`,
    gift_card: (a) => `${a} back on your gift card, ready to use now`,
    store_credit: (a) => `${a} as store credit, ready to use now`,
    manual: (a) => `${a} will be refunded to you by our customer service team, who will contact you about it`,
  },
  noRefund: "There is nothing to refund for these items.",
  shipping: "Your shipping costs are refunded as well.",
  notStoppedHeading: "These items could not be stopped",
  notStoppedBody: "They had already been picked for shipping, so they are on their way to you and you are not refunded for them. If you do not want them, you can return them once they arrive.",
  warehouseRefused: "Nothing was cancelled and no money has moved: your order continues as it was.",
  support: (email, order) => `Questions? Write to ${email} and mention order ${order}.`,
  signoff: "Thank you for shopping with us.",
  manualRefundPending: {
    subject: (o) => `Your cancellation for order ${o}: your refund is being arranged`,
    heading: "Your items are cancelled; your refund is being arranged",
    intro: (o) => `we have cancelled these items from your order ${o}:`,
  },
  templates: {
    cancellation_completed: {
      subject: (o) => `Your cancellation for order ${o} is complete`,
      heading: "Your cancellation is complete",
      intro: (o) => `we have cancelled these items from your order ${o}:`,
    },
    cancellation_failed: {
      subject: (o) => `We could not cancel items from order ${o}`,
      heading: "Your cancellation did not go through",
      intro: (o) => `we tried to cancel these items from your order ${o}:`,
      body: "Something went wrong on our side, so nothing was cancelled and no money has moved. Your order continues as it was. If you still want to cancel, please contact us.",
    },
    cancellation_rejected: {
      subject: (o) => `Your cancellation request for order ${o} was declined`,
      heading: "Your cancellation request was declined",
      intro: (o) => `you asked us to cancel these items from your order ${o}:`,
      body: "After review we could not accept this cancellation, so your order continues as planned and nothing changes on your payment. If you have questions about this decision, please contact us.",
    },
    cancellation_expired: {
      subject: (o) => `Your cancellation request for order ${o} has expired`,
      heading: "Your cancellation request has expired",
      intro: (o) => `you asked us to cancel these items from your order ${o}:`,
      body: "We could not review the request in time, so nothing was cancelled and your order continues as planned. If you still want to cancel, please contact us.",
    },
    cancellation_withdrawn: {
      subject: (o) => `Your cancellation request for order ${o} was withdrawn`,
      heading: "Your cancellation request was withdrawn",
      intro: (o) => `the request to cancel these items from your order ${o} was withdrawn:`,
      body: "Nothing was cancelled and your order continues as planned.",
    },
  },
};

const de: Copy = {
  greeting: (name) => `Hallo ${name},`,
  item: (quantity, description) => `${quantity} × ${description}`,
  refundHeading: (total) => `Ihre Erstattung: ${total}`,
  refund: {
    card_release: (a) => `${a}: Die Reservierung auf Ihrer Karte wird aufgehoben, der Betrag wird Ihnen nicht belastet`,
    paypal_release: (a) => `${a}: Die Reservierung auf Ihrem PayPal-Konto wird aufgehoben, der Betrag wird Ihnen nicht belastet`,
    card_refund: (a) => `${a} zurück auf Ihre Karte innerhalb von 5–10 Werktagen`,
    paypal_refund: (a) => `${a} zurück auf Ihr PayPal-Konto innerhalb von 3–5 Tagen`,
    gift_card: (a) => `${a} zurück auf Ihre Geschenkkarte, sofort verfügbar`,
    store_credit: (a) => `${a} als Guthaben, sofort verfügbar`,
    manual: (a) => `${a} erstattet Ihnen unser Kundenservice, der sich dazu bei Ihnen meldet`,
  },
  noRefund: "Für diese Artikel ist nichts zu erstatten.",
  shipping: "Die Versandkosten erstatten wir ebenfalls.",
  notStoppedHeading: "Diese Artikel konnten nicht mehr angehalten werden",
  notStoppedBody: "Sie waren bereits für den Versand kommissioniert, sind also auf dem Weg zu Ihnen und werden nicht erstattet. Wenn Sie sie nicht möchten, können Sie sie nach Erhalt zurücksenden.",
  warehouseRefused: "Es wurde nichts storniert und kein Geld bewegt: Ihre Bestellung bleibt unverändert.",
  support: (email, order) => `Fragen? Schreiben Sie an ${email} und nennen Sie die Bestellung ${order}.`,
  signoff: "Vielen Dank für Ihren Einkauf.",
  manualRefundPending: {
    subject: (o) => `Ihre Stornierung für Bestellung ${o}: Ihre Erstattung wird veranlasst`,
    heading: "Ihre Artikel sind storniert, Ihre Erstattung wird veranlasst",
    intro: (o) => `wir haben diese Artikel aus Ihrer Bestellung ${o} storniert:`,
  },
  templates: {
    cancellation_completed: {
      subject: (o) => `Ihre Stornierung für Bestellung ${o} ist abgeschlossen`,
      heading: "Ihre Stornierung ist abgeschlossen",
      intro: (o) => `wir haben diese Artikel aus Ihrer Bestellung ${o} storniert:`,
    },
    cancellation_failed: {
      subject: (o) => `Wir konnten Artikel aus Bestellung ${o} nicht stornieren`,
      heading: "Ihre Stornierung ist nicht durchgegangen",
      intro: (o) => `wir wollten diese Artikel aus Ihrer Bestellung ${o} stornieren:`,
      body: "Bei uns ist ein Fehler aufgetreten: Es wurde nichts storniert und kein Geld bewegt. Ihre Bestellung bleibt unverändert. Wenn Sie weiterhin stornieren möchten, melden Sie sich bitte bei uns.",
    },
    cancellation_rejected: {
      subject: (o) => `Ihre Stornierungsanfrage für Bestellung ${o} wurde abgelehnt`,
      heading: "Ihre Stornierungsanfrage wurde abgelehnt",
      intro: (o) => `Sie haben gebeten, diese Artikel aus Ihrer Bestellung ${o} zu stornieren:`,
      body: "Nach Prüfung konnten wir diese Stornierung nicht annehmen. Ihre Bestellung wird wie geplant ausgeführt, an Ihrer Zahlung ändert sich nichts. Bei Fragen zu dieser Entscheidung melden Sie sich bitte bei uns.",
    },
    cancellation_expired: {
      subject: (o) => `Ihre Stornierungsanfrage für Bestellung ${o} ist abgelaufen`,
      heading: "Ihre Stornierungsanfrage ist abgelaufen",
      intro: (o) => `Sie haben gebeten, diese Artikel aus Ihrer Bestellung ${o} zu stornieren:`,
      body: "Wir konnten die Anfrage nicht rechtzeitig prüfen: Es wurde nichts storniert, Ihre Bestellung wird wie geplant ausgeführt. Wenn Sie weiterhin stornieren möchten, melden Sie sich bitte bei uns.",
    },
    cancellation_withdrawn: {
      subject: (o) => `Ihre Stornierungsanfrage für Bestellung ${o} wurde zurückgezogen`,
      heading: "Ihre Stornierungsanfrage wurde zurückgezogen",
      intro: (o) => `die Anfrage, diese Artikel aus Ihrer Bestellung ${o} zu stornieren, wurde zurückgezogen:`,
      body: "Es wurde nichts storniert, Ihre Bestellung wird wie geplant ausgeführt.",
    },
  },
};

export function copyFor(locale: string): Copy {
  return locale.toLowerCase().startsWith("de") ? de : en;
}
