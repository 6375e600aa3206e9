import { EVENT_TOPICS } from "./outbox";

export type Topic = (typeof EVENT_TOPICS)[keyof typeof EVENT_TOPICS];

/** The seed's retention (section 3.2): order and inventory events a week, payments and cancellations a month. */
export const TOPIC_RETENTION: Record<Topic, string> = {
  "order-events": "7D",
  "inventory-events": "7D",
  "payment-events": "30D",
  "cancellation-events": "30D",
};

export interface TopicBinding {
  topic: Topic;
  /** The topic exchange the relay publishes to, routing key = orderId. */
  exchange: string;
  /** The durable stream bound to it ("#"): events are kept for `maxAge` and read from any offset. */
  stream: string;
  maxAge: string;
}

/**
 * Where each SPEC §8 topic lives on the broker. The exchange and its stream carry the
 * topic's name; a prefix gives a test run names of its own.
 */
export function eventTopology(prefix = ""): TopicBinding[] {
  const topics = [...new Set(Object.values(EVENT_TOPICS))] as Topic[];
  return topics.map((topic) => ({ topic, exchange: `${prefix}${topic}`, stream: `${prefix}${topic}`, maxAge: TOPIC_RETENTION[topic] }));
}
