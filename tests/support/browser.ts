// What every browser test needs: Debian's Chromium started the way this machine allows (no downloads, no
// outside network, software WebGL for MapLibre), the platform served on a free port, and where screenshots go.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/seed/demo-street.js';
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

export interface LoginOptions {
  password?: string;
  viewport?: { width: number; height: number };
  /** a phone: 390×844 at 2×, touch (the viewport option is ignored) */
  phone?: boolean;
  geo?: { longitude: number; latitude: number };
  /** contexts to close in afterAll: the new one is added */
  contexts?: BrowserContext[];
}

/** A fresh browser context (own cookies, zh-CN, Asia/Shanghai) logged in as `username` through the login page. */
export async function loginAs(browser: Browser, base: string, username: string, o: LoginOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: o.phone ? { width: 390, height: 844 } : (o.viewport ?? { width: 1366, height: 900 }),
    ...(o.phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(o.geo ? { geolocation: { ...o.geo, accuracy: 10 }, permissions: ['geolocation'] } : {}),
  });
  o.contexts?.push(context);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${username}] page error:`, err.message));
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(o.password ?? DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  return page;
}
