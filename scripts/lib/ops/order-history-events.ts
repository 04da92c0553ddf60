// The 2Checkout events an order workflow received, read back from its Temporal history (open or
// closed runs alike): the signal-with-start's event and every later `orderEvent` signal, decoded
// with the deployment's payload codec when payload encryption is on.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload } from '@temporalio/common';
import { OrderEvent } from '../../../mappings/canonical.js';
import { orderWorkflowId } from '../../../workflows/messages.js';
import { orderEventSignal } from '../../../workflows/messages.js';

export async function orderEventsFromHistory(
  client: Client,
  refNo: string,
  dataConverter?: DataConverter,
): Promise<OrderEvent[]> {
  const history = await client.workflow.getHandle(orderWorkflowId(refNo)).fetchHistory();
  const events: OrderEvent[] = [];
  for (const e of history.events ?? []) {
    const signaled = e.workflowExecutionSignaledEventAttributes;
    if (signaled?.signalName !== orderEventSignal.name || !signaled.input?.payloads?.length) continue;
    let payloads = signaled.input.payloads as Payload[];
    for (const codec of [...(dataConverter?.payloadCodecs ?? [])].reverse()) payloads = await codec.decode(payloads);
    const [first] = payloads;
    if (first) events.push(OrderEvent.parse(defaultPayloadConverter.fromPayload(first)));
  }
  return events;
}
