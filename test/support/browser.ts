// Debian's Chromium for the browser checks (test/browser). Outside CI a missing browser skips them,
// saying so; in CI (CI=true) it fails them instead, so CI cannot go green without them.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags this machine needs: no sandbox as root, no GPU, no background traffic to Google. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserCheck {
  /** Skip the checks (no browser, not in CI). */
  skip: boolean;
  /** The describe title, with the reason when skipped. */
  title: string;
  /** Starts headless Chromium; in CI without it, fails with how to install it. */
  launch(): Promise<Browser>;
}

export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean =>
  ['true', '1'].includes((env.CI ?? '').toLowerCase());

export function browserCheck(
  title: string,
  opts: { env?: NodeJS.ProcessEnv; executablePath?: string } = {},
): BrowserCheck {
  const executablePath = opts.executablePath ?? CHROMIUM;
  const missing = existsSync(executablePath)
    ? undefined
    : `${executablePath} is not installed (apt-get install -y chromium)`;
  const ci = inCi(opts.env);
  const skip = missing !== undefined && !ci;
  if (skip) console.warn(`${title}: browser check SKIPPED: ${missing}`);
  return {
    skip,
    title: skip ? `${title} (SKIPPED: ${missing})` : title,
    async launch() {
      if (missing) throw new Error(`${title}: ${missing}; in CI (CI=true) the browser checks must run`);
      return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    },
  };
}
