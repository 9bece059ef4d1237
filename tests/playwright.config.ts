import { defineConfig, devices } from '@playwright/test';
import { resolveChromium } from './e2e/support/chromium.ts';

// CHROMIUM_PATH, else the system Chromium, else the one in the npm package @sparticuz/chromium
// (e2e/support/chromium.ts): Playwright's own browser download is not used.
const chromium = await resolveChromium();

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  globalSetup: './e2e/support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium.executablePath,
      args: chromium.args,
      ...(chromium.env ? { env: { ...process.env, ...chromium.env } } : {}),
    },
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], channel: undefined }, testIgnore: /\.phone\.spec\.ts$/ },
    { name: 'phone', use: { ...devices['Pixel 7'], channel: undefined }, testMatch: /\.phone\.spec\.ts$/ },
  ],
});
