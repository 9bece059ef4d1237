import { chromium } from '@playwright/test';
const base = 'http://localhost:3917';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
await page.goto(base + '/login');
await page.fill('input[name=email]', 'admin@example.com');
await page.fill('input[type=password]', 'demo-pass-2026');
await page.click('button[type=submit]');
await page.waitForLoadState('networkidle');
for (const [name, path] of [['funnel', '/distribution'], ['outbox', '/distribution/outbox'], ['deliveries', '/distribution/deliveries?status=scheduled'], ['import', '/distribution/import'], ['rules', '/distribution/rules']]) {
  const res = await page.goto(base + path);
  console.log(name, res.status());
  await page.screenshot({ path: `/tmp/rs-dist-demo/shots/${name}.png`, fullPage: true });
}
await page.goto(base + '/distribution/rules');
await page.click('[data-testid=rule-surveys] a >> nth=0');
await page.waitForLoadState('networkidle');
await page.screenshot({ path: `/tmp/rs-dist-demo/shots/rules-edit.png`, fullPage: true });
await page.uncheck('input[name=quietEnabled]');
await page.click('button:has-text("保存规则")');
await page.waitForSelector('.ok');
console.log('saved', await page.textContent('.ok'));
await browser.close();
