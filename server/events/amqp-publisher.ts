import amqp from "amqplib";
import { EVENT_TOPICS, type EventEnvelope } from "./outbox";

export interface EventPublisher {
  publish(topic: string, key: string, event: EventEnvelope): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672";

/**
 * RabbitMQ through a confirm channel: one durable topic exchange per SPEC §8
 * topic, messages persistent and keyed by orderId; publish resolves only when
 * the broker has taken the message.
 */
export async function createAmqpPublisher(url = process.env.EVENTS_AMQP_URL ?? DEFAULT_AMQP_URL): Promise<EventPublisher> {
  const connection = await amqp.connect(url);
  const channel = await connection.createConfirmChannel();
  for (const topic of new Set(Object.values(EVENT_TOPICS))) {
    await channel.assertExchange(topic, "topic", { durable: true });
  }
  return {
    publish: (topic, key, event) =>
      new Promise<void>((resolve, reject) => {
        channel.publish(
          topic,
          key,
          Buffer.from(JSON.stringify(event)),
          { persistent: true, contentType: "application/json", messageId: event.eventId, type: event.type, correlationId: event.correlationId, timestamp: Math.floor(Date.parse(event.occurredAt) / 1000) },
          (error) => (error ? reject(error) : resolve()),
        );
      }),
    close: async () => {
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
