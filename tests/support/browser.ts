// What every browser test needs: Debian's Chromium started the way this machine allows (no downloads, no
// outside network, software WebGL for MapLibre), the platform served on a free port, and where screenshots go.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { TestPlatform } from './platform.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/**
 * Where screenshots go: a scratch folder, so a test run leaves the tree clean. `npm run screenshots` sets
 * GRIDWORK_SCREENSHOTS=docs/screenshots to refresh the README's images on purpose.
 */
export const SCREENSHOTS = process.env.GRIDWORK_SCREENSHOTS
  ? path.resolve(ROOT, process.env.GRIDWORK_SCREENSHOTS)
  : path.join(os.tmpdir(), 'gridwork-screenshots');
export const hasChromium = existsSync(CHROMIUM);

/** Serves the platform (API and the built web app) on a free local port; returns its base URL. */
export async function serve(platform: TestPlatform): Promise<string> {
  if (!existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist is not built: run `npm run build` (npm test does it first)');
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const address = platform.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
}
