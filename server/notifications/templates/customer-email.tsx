import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { render, toPlainText } from "@react-email/render";
import { formatMoney } from "../format";
import { copyFor } from "./copy";
import type { CustomerMessage } from "./model";

const styles = {
  body: { backgroundColor: "#f1f5f9", fontFamily: "Helvetica, Arial, sans-serif", color: "#0f172a", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", maxWidth: "560px", padding: "32px" },
  heading: { fontSize: "22px", lineHeight: "28px", margin: "0 0 16px" },
  text: { fontSize: "15px", lineHeight: "22px", margin: "0 0 12px" },
  item: { fontSize: "15px", lineHeight: "22px", margin: "0 0 4px", paddingLeft: "12px", borderLeft: "3px solid #cbd5e1" },
  refundHeading: { fontSize: "17px", lineHeight: "24px", fontWeight: 700, margin: "20px 0 8px" },
  refund: { fontSize: "15px", lineHeight: "22px", margin: "0 0 6px" },
  muted: { fontSize: "13px", lineHeight: "20px", color: "#475569", margin: "0 0 8px" },
} as const;

/** A completed cancellation with a part of its refund still to be made by a person reads as such. */
function templateCopy(m: CustomerMessage) {
  const copy = copyFor(m.locale);
  const manualOpen = m.template === "cancellation_completed" && m.refunds.some((r) => r.route === "manual" && r.amount > 0);
  return manualOpen ? copy.manualRefundPending : copy.templates[m.template];
}

export function CustomerEmail({ message: m }: { message: CustomerMessage }) {
  const copy = copyFor(m.locale);
  const t = templateCopy(m);
  const money = (minor: number) => formatMoney(minor, m.currency, m.locale);
  const count = new Intl.NumberFormat(m.locale);
  const completed = m.template === "cancellation_completed";
  const notStopped = m.notStopped ?? [];
  // The warehouse stopped none of them: what we tried to cancel is exactly what could not be stopped.
  const noneStopped = m.template === "cancellation_failed" && notStopped.length > 0 && m.items.length === 0;
  const asked = noneStopped ? notStopped : m.items;
  return (
    <Html lang={m.locale}>
      <Head />
      <Preview>{completed && m.refundTotal > 0 ? copy.refundHeading(money(m.refundTotal)) : t.heading}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {t.heading}
          </Heading>
          <Text style={styles.text}>{copy.greeting(m.customerName)}</Text>
          <Text style={styles.text}>{t.intro(m.orderExternalId)}</Text>
          <Section>
            {asked.map((item, i) => (
              <Text key={i} style={styles.item}>
                {copy.item(count.format(item.quantity), item.description)}
              </Text>
            ))}
          </Section>
          {notStopped.length > 0 ? (
            <Section>
              <Text style={styles.refundHeading}>{copy.notStoppedHeading}</Text>
              {(noneStopped ? [] : notStopped).map((item, i) => (
                <Text key={i} style={styles.item}>
                  {copy.item(count.format(item.quantity), item.description)}
                </Text>
              ))}
              <Text style={styles.text}>{copy.notStoppedBody}</Text>
            </Section>
          ) : null}
          {completed ? (
            <Section>
              {m.refundTotal > 0 ? (
                <>
                  <Text style={styles.refundHeading}>{copy.refundHeading(money(m.refundTotal))}</Text>
                  {m.refunds.map((r, i) => (
                    <Text key={i} style={styles.refund}>
                      {copy.refund[r.route](money(r.amount))}
                    </Text>
                  ))}
                  {m.shippingRefunded ? <Text style={styles.refund}>{copy.shipping}</Text> : null}
                </>
              ) : (
                <Text style={styles.text}>{copy.noRefund}</Text>
              )}
            </Section>
          ) : (
            <Text style={styles.text}>{noneStopped ? copy.warehouseRefused : t.body}</Text>
          )}
          <Hr />
          <Text style={styles.muted}>
            {copy.support(m.supportEmail, m.orderExternalId).split(m.supportEmail)[0]}
            <Link href={`mailto:${m.supportEmail}`}>{m.supportEmail}</Link>
            {copy.support(m.supportEmail, m.orderExternalId).split(m.supportEmail)[1]}
          </Text>
          <Text style={styles.muted}>{copy.signoff}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The email rendered once: the plain text is converted from the HTML, as `render(…, { plainText:
 * true })` converts its own second rendering of the same element (a React render is most of an
 * email's cost to the worker).
 */
export async function renderCustomerEmail(message: CustomerMessage): Promise<RenderedEmail> {
  const html = await render(<CustomerEmail message={message} />);
  return { subject: templateCopy(message).subject(message.orderExternalId), html, text: toPlainText(html) };
}
