// The browser checks may only skip outside CI: in CI (CI=true) a missing Chromium fails them.
import { describe, expect, it, vi } from 'vitest';
import { browserCheck, inCi } from '../support/browser.js';

const absent = '/nonexistent/chromium';

describe('browser checks without Chromium', () => {
  it('skip, saying so, on a developer machine', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const check = browserCheck('Web UI', { env: {}, executablePath: absent });
    expect(check.skip).toBe(true);
    expect(check.title).toBe(`Web UI (SKIPPED: ${absent} is not installed (apt-get install -y chromium))`);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPED'));
    warn.mockRestore();
  });

  it('run and fail in CI, saying how to install it', async () => {
    const check = browserCheck('Web UI', { env: { CI: 'true' }, executablePath: absent });
    expect(check.skip).toBe(false);
    expect(check.title).toBe('Web UI');
    await expect(check.launch()).rejects.toThrow(
      `Web UI: ${absent} is not installed (apt-get install -y chromium); in CI (CI=true) the browser checks must run`,
    );
  });

  it('read CI the way CI services set it', () => {
    expect(inCi({ CI: 'true' })).toBe(true);
    expect(inCi({ CI: '1' })).toBe(true);
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({})).toBe(false);
  });
});
