// `npm run codec-server`: decrypts payloads for the Temporal Web UI and CLI when
// PAYLOAD_ENCRYPTION_KEY is set. In the Web UI: settings (top right) → Codec Server →
// http://127.0.0.1:8888 ; CLI: `temporal workflow show -w order/123 --codec-endpoint http://127.0.0.1:8888`.
import { ConfigError } from '../shared/config.js';
import { createCodecServer } from '../shared/codec-server.js';
import { payloadCodecFromEnv } from '../shared/payload-codec.js';

try {
  const codec = payloadCodecFromEnv();
  if (!codec)
    throw new ConfigError(
      'PAYLOAD_ENCRYPTION_KEY is not set: payloads are not encrypted, so there is nothing to decode.',
    );
  const port = Number(process.env.CODEC_SERVER_PORT ?? 8888);
  const host = process.env.CODEC_SERVER_HOST ?? '127.0.0.1';
  const ui = process.env.TEMPORAL_UI_URL ?? 'http://localhost:8233';
  const origins = [ui, ui.replace('localhost', '127.0.0.1')];
  const token = process.env.CODEC_SERVER_TOKEN || undefined;
  const allowedHosts = (process.env.CODEC_SERVER_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // It decrypts on demand: beyond loopback, only with a token.
  if (!['127.0.0.1', 'localhost', '::1'].includes(host) && !token) {
    throw new ConfigError(
      `CODEC_SERVER_HOST=${host} reaches beyond this machine: set CODEC_SERVER_TOKEN too (callers send it as the Authorization bearer)`,
    );
  }
  const server = createCodecServer({ codec, allowedOrigins: origins, allowedHosts, ...(token ? { token } : {}) });
  server.listen(port, host, () =>
    console.log(`codec server on http://${host}:${port} (allowed origins: ${origins.join(', ')})`),
  );
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
