import amqp from "amqplib";
import { DEFAULT_AMQP_URL, getConfig } from "@/server/config";
import type { EventEnvelope } from "./outbox";
import { eventTopology, type TopicBinding } from "./topology";

export interface EventPublisher {
  /**
   * Resolves once the broker has taken the event; rejects with BrokerUnavailableError when it cannot be reached.
   * `headers` go into the message's headers (the W3C `traceparent` and `tracestate`).
   */
  publish(topic: string, key: string, event: EventEnvelope, headers?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export { DEFAULT_AMQP_URL } from "@/server/config";

/**
 * The broker as a whole is gone (connection lost, not connected): no event is to
 * blame, so the relay counts no attempt against it and reconnects.
 */
export class BrokerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BrokerUnavailableError";
  }
}

/** Declares each topic's exchange, its durable stream (SPEC §8 retention) and the binding between them. Idempotent. */
export async function declareEventTopology(channel: amqp.Channel, topology: TopicBinding[]) {
  for (const t of topology) {
    await channel.assertExchange(t.exchange, "topic", { durable: true });
    await channel.assertQueue(t.stream, { durable: true, arguments: { "x-queue-type": "stream", "x-max-age": t.maxAge } });
    await channel.bindQueue(t.stream, t.exchange, "#");
  }
}

/**
 * RabbitMQ through a confirm channel: one durable topic exchange per SPEC §8 topic,
 * each bound to a stream so that events are kept and a consumer can read them from
 * any offset. Messages are persistent and keyed by orderId; publish resolves only
 * when the broker has taken the message. A message the broker refuses closes only
 * the channel, which is opened again for the next one; a lost connection makes every
 * publish fail with BrokerUnavailableError.
 */
export async function createAmqpPublisher(opts: { url?: string; prefix?: string } = {}): Promise<EventPublisher> {
  const events = getConfig().events;
  const topology = eventTopology(opts.prefix ?? events.prefix);
  const exchangeOf = new Map(topology.map((t) => [t.topic as string, t.exchange]));
  const connection = await amqp.connect(opts.url ?? events.amqpUrl ?? DEFAULT_AMQP_URL);
  let connectionLost: Error | null = null;
  connection.on("error", (error: Error) => (connectionLost = error));
  connection.on("close", (error?: Error) => (connectionLost ??= error ?? new Error("connection closed")));

  const setup = await connection.createChannel();
  await declareEventTopology(setup, topology);
  await setup.close();

  let channel: Promise<amqp.ConfirmChannel> | null = null;
  const openChannel = () => {
    const opening = connection.createConfirmChannel().then((ch) => {
      ch.on("error", () => {});
      ch.on("close", () => {
        if (channel === opening) channel = null;
      });
      return ch;
    });
    return opening;
  };

  return {
    publish: async (topic, key, event, headers) => {
      if (connectionLost) throw new BrokerUnavailableError(`broker connection lost: ${connectionLost.message}`);
      const exchange = exchangeOf.get(topic);
      if (!exchange) throw new Error(`no exchange for topic ${topic}`);
      channel ??= openChannel();
      const ch = await channel.catch((error: Error) => {
        channel = null;
        throw connectionLost ? new BrokerUnavailableError(error.message) : error;
      });
      await new Promise<void>((resolve, reject) => {
        ch.publish(
          exchange,
          key,
          Buffer.from(JSON.stringify(event)),
          { persistent: true, contentType: "application/json", messageId: event.eventId, type: event.type, correlationId: event.correlationId, timestamp: Math.floor(Date.parse(event.occurredAt) / 1000), headers },
          (error) => (error ? reject(connectionLost ? new BrokerUnavailableError(String(error)) : error instanceof Error ? error : new Error(String(error))) : resolve()),
        );
      });
    },
    close: async () => {
      const ch = await channel?.catch(() => null);
      await ch?.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}
