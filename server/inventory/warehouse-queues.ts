import amqp from "amqplib";
import type { Db } from "@/server/db/client";
import { warehouseQueues } from "@/server/config/warehouse";
import { annotateSpan, SpanKind, traceHeaders, type TraceCarrier, withReceivedSpan, withSpan } from "@/server/observability/spans";
import { ZWarehouseAnswerSchema } from "./port";
import { applyWarehouseAnswer } from "./warehouse-cancellation";

/*
 * The warehouse's queues on RabbitMQ (seed 3.3): we publish inventory adjustments on
 * `wm.inventory.adjustments` and read its answers from `wm.fulfillment.updates`. Both are durable
 * queues with persistent messages; a publish resolves only once the broker confirmed it, and an
 * update is acknowledged only after its answer was committed, so a killed worker loses none.
 */

export interface AdjustmentPublisher {
  publish(message: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function createAdjustmentPublisher(url: string, prefix = ""): Promise<AdjustmentPublisher> {
  const queue = warehouseQueues(prefix).adjustments;
  const connection = await amqp.connect(url);
  connection.on("error", () => {});
  const channel = await connection.createConfirmChannel();
  channel.on("error", () => {});
  await channel.assertQueue(queue, { durable: true });
  return {
    // In a PRODUCER span whose context goes with the message (traceparent/tracestate headers).
    publish: (message) =>
      withSpan(
        `${queue} publish`,
        { "messaging.system": "rabbitmq", "messaging.operation": "publish", "messaging.destination.name": queue, "messaging.message.id": String(message.adjustmentId ?? "") },
        () =>
          new Promise<void>((resolve, reject) => {
            const headers = traceHeaders() ?? undefined;
            channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), { persistent: true, contentType: "application/json", messageId: String(message.adjustmentId ?? ""), headers }, (error) =>
              error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
            );
          }),
        { kind: SpanKind.PRODUCER },
      ),
    close: async () => {
      await channel.close().catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}

/** Lazily connected, reconnected after a failure: one per worker process. */
export function lazyAdjustmentPublisher(url: string, prefix = ""): AdjustmentPublisher {
  let current: Promise<AdjustmentPublisher> | null = null;
  return {
    async publish(message) {
      current ??= createAdjustmentPublisher(url, prefix);
      try {
        await (await current).publish(message);
      } catch (error) {
        const stale = current;
        current = null;
        await stale?.then((p) => p.close()).catch(() => {});
        throw error;
      }
    },
    async close() {
      await current?.then((p) => p.close()).catch(() => {});
      current = null;
    },
  };
}

export interface UpdatesConsumer {
  stop(): Promise<void>;
}

/**
 * Reads the warehouse's answers. A message that is not an answer is dropped (logged); one that
 * could not be applied (database down) is given back to the queue after a pause. A broker that is
 * down or goes away is connected to again every few seconds: the answers wait in the queue.
 */
export function startUpdatesConsumer(db: Db, url: string, prefix = "", log: (line: string) => void = console.log): UpdatesConsumer {
  const queue = warehouseQueues(prefix).updates;
  let stopped = false;
  let connection: amqp.ChannelModel | null = null;
  let retry: NodeJS.Timeout | null = null;

  const again = () => {
    connection = null;
    if (!stopped) retry = setTimeout(() => void connect(), 3_000);
  };

  async function connect() {
    try {
      const conn = await amqp.connect(url);
      connection = conn;
      conn.on("error", (error: Error) => log(`wm.fulfillment.updates connection error: ${error.message}`));
      conn.on("close", again);
      const channel = await conn.createChannel();
      channel.on("error", () => {});
      await channel.assertQueue(queue, { durable: true });
      await channel.prefetch(4);
      await channel.consume(queue, (msg) => {
        if (msg) void handle(channel, msg);
      });
      if (stopped) await conn.close().catch(() => {});
    } catch (error) {
      log(`wm.fulfillment.updates: broker unavailable (${(error as Error).message}); trying again`);
      if (connection) await connection.close().catch(() => {});
      else again();
    }
  }

  // Each message in a CONSUMER span, continuing the trace its traceparent header names (the warehouse's, when it sends one).
  function handle(channel: amqp.Channel, msg: amqp.ConsumeMessage) {
    const attributes = { "messaging.system": "rabbitmq", "messaging.operation": "process", "messaging.destination.name": queue, "messaging.message.id": String(msg.properties.messageId ?? "") };
    return withReceivedSpan(`${queue} process`, attributes, msg.properties.headers as TraceCarrier, () => apply(channel, msg));
  }

  async function apply(channel: amqp.Channel, msg: amqp.ConsumeMessage) {
    let answer;
    try {
      answer = ZWarehouseAnswerSchema.parse(JSON.parse(msg.content.toString("utf8")));
    } catch (error) {
      log(`wm.fulfillment.updates: dropped a message that is not an answer (${(error as Error).message.slice(0, 200)})`);
      channel.ack(msg);
      return;
    }
    try {
      const outcome = await applyWarehouseAnswer(db, answer, "queue");
      annotateSpan({ "pc.warehouse.outcome": outcome });
      log(`wm.fulfillment.updates ${answer.messageId}: ${outcome}`);
      channel.ack(msg);
    } catch (error) {
      log(`wm.fulfillment.updates ${answer.messageId} not applied, retrying: ${(error as Error).message}`);
      setTimeout(() => {
        try {
          channel.nack(msg, false, true);
        } catch {
          // The channel is gone; the broker gives the message to the next consumer.
        }
      }, 1_000);
    }
  }

  void connect();
  return {
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const conn = connection;
      connection = null;
      if (conn) {
        conn.removeAllListeners("close");
        await conn.close().catch(() => {});
      }
    },
  };
}
