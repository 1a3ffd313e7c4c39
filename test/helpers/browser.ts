import { join } from 'node:path';
import { type Browser, launch } from 'puppeteer-core';
import { ensureTool } from '../../tools/find';

/** What the page showed: console errors and failed or outside requests, and each chart figure's marks. */
export interface PageCheck {
  readonly errors: string[];
  /** Requests to anything but the report file itself: a self-contained report makes none. */
  readonly outside: string[];
  readonly figures: { readonly title: string; readonly svgs: number; readonly marks: number }[];
}

/** Headless Debian Chromium (provisioned by tools/, no browser download), driven by puppeteer-core. */
export async function launchChromium(): Promise<Browser> {
  const chromium = await ensureTool('chromium');
  // As root (CI), Chromium's sandbox cannot start; the pages it opens are our own reports.
  return launch({ executablePath: chromium.path, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/**
 * Run in the page (as source: the project compiles without the DOM's types): each chart figure's
 * title, SVGs, and drawn items (vega puts each mark's items in a group of class role-mark).
 */
const FIGURES = `[...document.querySelectorAll('figure.chart')].map((figure) => ({
  title: figure.querySelector('figcaption')?.textContent ?? '',
  svgs: figure.querySelectorAll('svg').length,
  marks: figure.querySelectorAll('svg .role-mark > *').length,
}))`;

/** Opens `url`, saves a full-page screenshot as `<folder>/<name>.png`, and reports what the page's charts hold. */
export async function openReport(browser: Browser, url: string, folder: string, name: string): Promise<PageCheck> {
  const page = await browser.newPage();
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  page.on('request', (request) => {
    if (request.url() !== url) outside.push(request.url());
  });
  try {
    await page.setViewport({ width: 1100, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    const figures = (await page.evaluate(FIGURES)) as PageCheck['figures'];
    await page.screenshot({ path: `${join(folder, name)}.png`, fullPage: true });
    return { errors, outside, figures };
  } finally {
    await page.close();
  }
}
