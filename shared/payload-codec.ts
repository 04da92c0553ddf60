// Optional encryption of Temporal payloads (AES-256-GCM). Workflow inputs, signals, query results
// and memos carry shoppers' names, e-mails and addresses; with PAYLOAD_ENCRYPTION_KEY set they are
// stored in Temporal (and Temporal Cloud) only encrypted. Search attributes are never encrypted,
// which is why they hold no personal data. Failure messages and stack traces are encrypted too
// (they quote NetSuite's text). The Web UI and the CLI decrypt through the codec server
// (`npm run codec-server`), which needs the same keys.
//
// With encryption on, a worker refuses a payload that is not encrypted: it was written by a
// client without the key (a misconfigured gateway putting personal data in clear, or someone
// signalling a workflow by hand) and must not be taken as ours silently. A deployment that turns
// encryption on while workflows written in clear are still open sets
// PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT=true until they have closed.
//
// Each ciphertext is bound to where it belongs: the key id, the namespace and, where the SDK says
// which workflow a payload is for (its serialization context: workflow inputs, signals, updates,
// queries, activity inputs and results, child workflows), the workflow id are the AES-GCM
// associated data, and are named in the payload's metadata (`encryption-context`). A worker that
// finds a payload of another workflow or namespace refuses it, so someone with write access to
// Temporal cannot replay one workflow's encrypted data into another; changing the metadata breaks
// the authentication tag. Readers without a context (the codec server, history reads) check the
// envelope against what it names. Envelopes written before this (v1: no associated data, no
// `encryption-context`) are still read; workers refuse them once
// PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND=false (after the workflows started before the upgrade closed).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  METADATA_ENCODING_KEY,
  type DataConverter,
  type Payload,
  type PayloadCodec,
  type SerializationContext,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { z } from 'zod';
import { ConfigError } from './config.js';

const { temporal } = proto;
const ENCODING = 'binary/encrypted';
const KEY_ID_FIELD = 'encryption-key-id';
/** The v2 envelope's binding, as JSON: `{"v":2,"ns":"default","wf":"order/1"}` (wf absent when unknown). */
const CONTEXT_FIELD = 'encryption-context';
const utf8 = (s: string) => new TextEncoder().encode(s);
const fromUtf8 = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** True for a payload this codec encrypted (only these are decrypted; see the codec server). */
export const isEncryptedPayload = (p: Payload): boolean => fromUtf8(p.metadata?.[METADATA_ENCODING_KEY]) === ENCODING;

/** What a ciphertext is bound to (v2 envelopes). */
export interface PayloadBinding {
  namespace: string;
  workflowId?: string;
}

/** Where a payload is being read: from the SDK's serialization context, or just a namespace (the codec server). */
export interface ReadingContext {
  namespace?: string;
  workflowId?: string;
}

const EnvelopeContext = z.strictObject({ v: z.literal(2), ns: z.string().min(1), wf: z.string().min(1).optional() });

/** The associated data: every field of the binding, unambiguous (JSON), behind a version tag. */
const associatedData = (keyId: string, b: PayloadBinding) =>
  Buffer.from(JSON.stringify(['2checkout-netsuite-sync/payload/v2', keyId, b.namespace, b.workflowId ?? null]), 'utf8');

function readingContextOf(context: SerializationContext | ReadingContext | undefined): ReadingContext {
  if (!context) return {};
  return {
    ...(context.namespace ? { namespace: context.namespace } : {}),
    ...(context.workflowId ? { workflowId: context.workflowId } : {}),
  };
}

export interface AesGcmPayloadCodecOptions {
  /** Pass payloads that are not encrypted through on decode instead of refusing them (default false). */
  acceptPlaintext?: boolean;
  /** Read v1 envelopes (encrypted before the binding existed; default true). */
  acceptUnbound?: boolean;
  /** The namespace payloads are bound to when the SDK gives no context (default `default`). */
  namespace?: string;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  /** `keys`: every key that may have encrypted stored payloads (rotation); `activeKeyId` encrypts. */
  constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    private readonly activeKeyId: string,
    private readonly options: AesGcmPayloadCodecOptions = {},
  ) {
    if (!keys.has(activeKeyId)) throw new Error(`active key ${activeKeyId} is not among the keys`);
  }

  private get namespace(): string {
    return this.options.namespace ?? 'default';
  }

  /**
   * Decrypts only encrypted payloads and returns the others unchanged (the codec server's
   * contract). `reading`: the namespace the caller reads (e.g. the Web UI's X-Namespace).
   */
  async decodeEncrypted(payloads: Payload[], reading: ReadingContext = {}): Promise<Payload[]> {
    return payloads.map((p) => (isEncryptedPayload(p) ? this.decrypt(p, reading) : p));
  }

  /** `context`: the SDK's serialization context (which workflow the payloads are for), or a namespace. */
  async encode(payloads: Payload[], context?: SerializationContext | ReadingContext): Promise<Payload[]> {
    const keyId = this.activeKeyId;
    const key = this.keys.get(keyId)!;
    const reading = readingContextOf(context);
    const binding: PayloadBinding = {
      namespace: reading.namespace ?? this.namespace,
      ...(reading.workflowId ? { workflowId: reading.workflowId } : {}),
    };
    const envelope = JSON.stringify({
      v: 2,
      ns: binding.namespace,
      ...(binding.workflowId ? { wf: binding.workflowId } : {}),
    });
    return payloads.map((p) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(keyId, binding));
      const body = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(p).finish()), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8(ENCODING),
          [KEY_ID_FIELD]: utf8(keyId),
          [CONTEXT_FIELD]: utf8(envelope),
        },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const reading = readingContextOf(context);
    return payloads.map((p) => {
      if (isEncryptedPayload(p)) return this.decrypt(p, reading, true);
      if (this.options.acceptPlaintext) return p; // e.g. written before encryption was turned on
      throw new Error(
        `a payload in Temporal is not encrypted (encoding ${fromUtf8(p.metadata?.[METADATA_ENCODING_KEY]) ?? 'none'}) although payload encryption is on: ` +
          'a client without PAYLOAD_ENCRYPTION_KEY wrote it. Give every process the key; while workflows written before encryption are still open, set PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT=true',
      );
    });
  }

  private decrypt(p: Payload, reading: ReadingContext, byWorker = false): Payload {
    const keyId = fromUtf8(p.metadata?.[KEY_ID_FIELD]) ?? '';
    const key = this.keys.get(keyId);
    if (!key)
      throw new Error(
        `payload encrypted with key "${keyId}", which is not configured (PAYLOAD_ENCRYPTION_KEY / PAYLOAD_DECRYPTION_KEYS)`,
      );
    if (!p.data || p.data.length < 28) throw new Error('encrypted payload is truncated');
    const binding = this.bindingOf(p, reading, byWorker);
    const buf = Buffer.from(p.data);
    const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
    if (binding) decipher.setAAD(associatedData(keyId, binding));
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]);
    } catch {
      throw new Error(
        `an encrypted payload does not authenticate with key "${keyId}"${binding ? ` for ${describe(binding)}` : ''}: it was altered, or its metadata was`,
      );
    }
    return temporal.api.common.v1.Payload.decode(plain);
  }

  /** The binding the envelope names, checked against where it is read; undefined for a v1 envelope. */
  private bindingOf(p: Payload, reading: ReadingContext, byWorker: boolean): PayloadBinding | undefined {
    const raw = fromUtf8(p.metadata?.[CONTEXT_FIELD]);
    if (raw === undefined) {
      if (byWorker && this.options.acceptUnbound === false) {
        throw new Error(
          'a payload is encrypted without its namespace and workflow bound to it (written before the binding existed) and PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND=false: refused',
        );
      }
      return undefined;
    }
    let parsed;
    try {
      parsed = EnvelopeContext.safeParse(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) throw new Error(`an encrypted payload has an unreadable ${CONTEXT_FIELD}: it was altered`);
    const binding: PayloadBinding = {
      namespace: parsed.data.ns,
      ...(parsed.data.wf ? { workflowId: parsed.data.wf } : {}),
    };
    if (reading.namespace && reading.namespace !== binding.namespace) {
      throw new Error(
        `a payload encrypted for namespace "${binding.namespace}" was found in namespace "${reading.namespace}": refused (encrypted data is not moved between namespaces)`,
      );
    }
    if (reading.workflowId && binding.workflowId && reading.workflowId !== binding.workflowId) {
      throw new Error(
        `a payload encrypted for workflow "${binding.workflowId}" was found in workflow "${reading.workflowId}": refused (encrypted data is not moved between workflows)`,
      );
    }
    return binding;
  }
}

const describe = (b: PayloadBinding) =>
  `namespace "${b.namespace}"${b.workflowId ? `, workflow "${b.workflowId}"` : ''}`;

const key32 = z
  .string()
  .transform((s) => Buffer.from(s, 'base64'))
  .refine((b) => b.length === 32, 'must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)');
const keyId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -');

const encryptionEnv = z.object({
  PAYLOAD_ENCRYPTION_KEY: key32.optional(),
  PAYLOAD_ENCRYPTION_KEY_ID: keyId.default('k1'),
  /** Older keys still needed to read history after a rotation: `id:base64,id:base64`. */
  PAYLOAD_DECRYPTION_KEYS: z.string().optional(),
  /** true: pass payloads written in clear through on decode (migration to encryption); default false. */
  PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  /** false: workers refuse envelopes written before ciphertexts were bound to their workflow (after those workflows closed); default true. */
  PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
});

/** The environment variables of payload encryption (documented in the README, used in compose). */
export const PAYLOAD_ENCRYPTION_ENV_VARS: readonly string[] = Object.keys(encryptionEnv.shape);

export interface CodecUse {
  /**
   * true for workers, which act on what they decode: a payload in clear is refused there (unless
   * PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT=true). Readers (ops scripts, replay) show what is stored.
   */
  consumer?: boolean;
}

/** The codec configured by the environment, or undefined when encryption is off. */
export function payloadCodecFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  use: CodecUse = {},
): AesGcmPayloadCodec | undefined {
  // An empty variable (e.g. `${PAYLOAD_ENCRYPTION_KEY:-}` in docker-compose) means unset.
  const parsed = encryptionEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid payload encryption configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (!c.PAYLOAD_ENCRYPTION_KEY) {
    if (c.PAYLOAD_DECRYPTION_KEYS)
      throw new ConfigError('PAYLOAD_DECRYPTION_KEYS is set but PAYLOAD_ENCRYPTION_KEY is not: set the active key too');
    return undefined;
  }
  const keys = new Map<string, Buffer>([[c.PAYLOAD_ENCRYPTION_KEY_ID, c.PAYLOAD_ENCRYPTION_KEY]]);
  for (const [i, entry] of (c.PAYLOAD_DECRYPTION_KEYS ?? '')
    .split(',')
    .filter((x) => x.trim())
    .entries()) {
    const [id, value] = entry.trim().split(':', 2);
    const idOk = keyId.safeParse(id);
    const keyOk = key32.safeParse(value ?? '');
    if (!idOk.success || !keyOk.success) {
      throw new ConfigError(
        `Invalid PAYLOAD_DECRYPTION_KEYS entry ${i + 1}: expected id:base64 with a 32-byte key (e.g. k0:$(openssl rand -base64 32))`,
      );
    }
    if (!keys.has(idOk.data)) keys.set(idOk.data, keyOk.data);
  }
  return new AesGcmPayloadCodec(keys, c.PAYLOAD_ENCRYPTION_KEY_ID, {
    acceptPlaintext: !use.consumer || c.PAYLOAD_ENCRYPTION_ACCEPT_PLAINTEXT === 'true',
    acceptUnbound: !use.consumer || c.PAYLOAD_ENCRYPTION_ACCEPT_UNBOUND === 'true',
    // The namespace of this deployment (operations/temporal-client.ts reads the same variable).
    namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
  });
}

/** Module exporting the failure converter that encodes failure messages and stacks (so the codec encrypts them). */
export const ENCRYPTED_FAILURES_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/** The data converter every client, worker and replayer of this deployment must share. */
export function dataConverterFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  use: CodecUse = {},
): DataConverter | undefined {
  const codec = payloadCodecFromEnv(env, use);
  // Workers built from workflowsPath bundle the failure converter too; a prebundled workflow
  // bundle reads encoded failures either way (the default converter decodes them).
  return codec ? { payloadCodecs: [codec], failureConverterPath: ENCRYPTED_FAILURES_CONVERTER_PATH } : undefined;
}
