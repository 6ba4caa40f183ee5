/**
 * The HTML counterexample view (src/view/html.ts). Render level: the pages
 * of two small models under test/cases/html/ are golden files
 * (`npm run accept` rewrites them), escaped, deterministic and free of
 * external assets. Browser level: the page of the flagship model is opened
 * in headless Chromium (playwright-core driving /usr/bin/chromium, which
 * `bash scripts/install-peers.sh` installs; without it these tests fail,
 * they are not skipped) and read the way a person would: lanes, step rows,
 * a click that reveals a state, the violation. It also takes the
 * screenshot docs/images/trace-view.png, which only `npm run accept` writes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compileModel, parseModel, variantNames } from '../src/pipeline.ts';
import { check, type Engine } from '../src/explore/engine.ts';
import type { CheckResult, PropertyVerdict } from '../src/explore/verdict.ts';
import { formatValue } from '../src/report/values.ts';
import { htmlInputOf, renderHtml } from '../src/view/html.ts';
import { accepting, expectGolden } from './golden.ts';
import { PAGE_CSS } from '../src/view/style.ts';
import { PAGE_SCRIPT } from '../src/view/script.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'docs/images/trace-view.png';

/** Checks the first variant of a model, as `weft check FILE` does. */
async function checkFile(path: string, engine: Engine): Promise<CheckResult> {
  const file = { path, text: readFileSync(path, 'utf8') };
  const parsed = parseModel(file);
  if (!parsed.model) throw new Error(`${path} does not parse`);
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const variant = variantNames(parsed.model)[0]!;
  const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines: {} });
  if (!compiled.ok) throw new Error(`${path} does not check`);
  return check(compiled.program, engine, {});
}

function verdictOf(result: CheckResult, property: string): PropertyVerdict {
  const v = result.verdicts.find((x) => x.property === property);
  if (!v?.trace) throw new Error(`no trace for ${property}`);
  return v;
}

describe('renderHtml', () => {
  for (const name of ['race', 'abba']) {
    it(`test/cases/html/${name}.html is the page of ${name}.weft`, async () => {
      const result = await checkFile(`test/cases/html/${name}.weft`, 'reference');
      const page = renderHtml(htmlInputOf(result, { stats: false }));
      // The page's CSS and script are src/view/style.ts and script.ts verbatim: the golden pins the markup.
      expect(page).toContain(PAGE_CSS.trim());
      expect(page).toContain(PAGE_SCRIPT.trim());
      const markup = page.replace(PAGE_CSS.trim(), '/* src/view/style.ts */').replace(PAGE_SCRIPT.trim(), '/* src/view/script.ts */');
      expectGolden(`test/cases/html/${name}.html`, markup);
    });
  }

  it('is deterministic and the same for both engines', async () => {
    const a = renderHtml(htmlInputOf(await checkFile('test/cases/html/race.weft', 'reference'), { stats: false }));
    const b = renderHtml(htmlInputOf(await checkFile('test/cases/html/race.weft', 'compiled'), { stats: false }));
    expect(b).toBe(a);
  });

  it('escapes the model text and loads nothing from outside the page', async () => {
    const html = renderHtml(htmlInputOf(await checkFile('test/cases/html/race.weft', 'reference'), { stats: false }));
    expect(html).toContain('&lt;script&gt;&amp;&quot;quoted&quot;&lt;/script&gt;');
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(?:src|href)="(?!#)/);
    expect(html).not.toMatch(/<link\b|@import|url\(/);
  });

  it('takes just the verdicts and a program instead of a whole CheckResult', async () => {
    const result = await checkFile('test/cases/html/abba.weft', 'reference');
    const { program } = result;
    const html = renderHtml({ source: program.file, model: program.model, variant: program.variant, result: { program, verdicts: result.verdicts } });
    expect(html).toContain('data-testid="blocked"');
    expect(html).not.toContain('data-testid="stats"');
  });
});

describe('the page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let result: CheckResult;
  let dir: string;
  const errors: string[] = [];
  const requests: string[] = [];

  // Without Chromium every test below fails with this message (a failed hook would only mark them skipped).
  const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: run \`bash scripts/install-peers.sh\` (it installs Debian's chromium) to run the HTML view's browser test`;
  const inBrowser = (name: string, fn: () => Promise<void>): void => {
    it(name, async () => {
      if (missing) throw new Error(missing);
      await fn();
    });
  };

  beforeAll(async () => {
    if (missing) return;
    result = await checkFile('models/gup-writeback.weft', 'compiled');
    dir = mkdtempSync(join(tmpdir(), 'weft-html-'));
    const file = join(dir, 'gup-writeback.html');
    writeFileSync(file, renderHtml(htmlInputOf(result)));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1920, height: 1140 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    // No time limit: the flagship's search and Chromium's start are bounded work (playwright bounds the launch).
  }, 0);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const traceOf = (property: string) => page.locator(`[data-testid="trace"][data-property="${property}"]`);

  inBrowser('shows the model, the variant and every verdict', async () => {
    const header = page.getByTestId('header');
    await expect.poll(() => header.locator('h1').innerText()).toBe('gup_writeback variant m0_unpatched');
    expect(await page.getByTestId('verdict').count()).toBe(result.verdicts.length);
    for (const v of result.verdicts) {
      expect(await page.locator(`[data-testid="verdict"][data-property="${v.property}"]`).getAttribute('data-status')).toBe(v.status);
    }
    expect(requests).toEqual([page.url()]);
  });

  inBrowser('has one lane per actor instance of the trace and one row per step', async () => {
    for (const v of result.verdicts.filter((x) => x.status === 'violated')) {
      const trace = v.trace!;
      const instances = [...new Set(trace.steps.map((s) => s.instance))].sort((a, b) => a - b).map((i) => result.program.instances[i]!.name);
      const lanes = traceOf(v.property).getByTestId('lane');
      expect(await lanes.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-lane')))).toEqual(instances);
      const rows = traceOf(v.property).getByTestId('step');
      expect(await rows.count()).toBe(trace.steps.length);
      // Each step's card stands in its own instance's lane.
      const cardLanes = await rows.evaluateAll((trs) => trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td.lane')];
        return cells.findIndex((td) => td.querySelector('.card') !== null);
      }));
      expect(cardLanes).toEqual(trace.steps.map((s) => instances.indexOf(s.instanceName)));
    }
  });

  inBrowser('reveals the whole state after a step when it is clicked, and its source line', async () => {
    const v = verdictOf(result, 'pin_keeps_fs_data');
    // The pinner's first folio_lock (in its write fault): folio.lock free -> pinner.
    const step = v.trace!.steps.find((s) => s.label === 'folio_lock' && s.instanceName === 'pinner')!;
    const g = result.program.globals.findIndex((x) => x.name === 'ext4_warned');
    const row = traceOf(v.property).locator(`[data-testid="step"][data-step="${step.index}"]`);
    const state = traceOf(v.property).locator(`[data-testid="state"][data-step="${step.index}"]`);
    // ext4_warned is never changed in this trace: only the state panel shows it.
    const warned = state.locator('[data-var="ext4_warned"] dd');
    const lock = state.locator('[data-var="folio.lock"]');
    await expect.poll(() => warned.isVisible()).toBe(false);
    await row.click();
    await expect.poll(() => warned.isVisible()).toBe(true);
    expect(await warned.innerText()).toBe(formatValue(result.program.globals[g]!.type, step.state.globals[g]!, result.program));
    expect(await lock.locator('dd').innerText()).toBe('pinner was free');
    expect(await lock.getAttribute('class')).toContain('changed');
    expect(await row.getAttribute('aria-expanded')).toBe('true');
    const line = await row.getAttribute('data-line');
    expect(await page.locator(`#L${line}`).getAttribute('class')).toContain('hl');
    await row.click();
    await expect.poll(() => warned.isVisible()).toBe(false);
  });

  inBrowser('highlights the violated property on the last step', async () => {
    const v = verdictOf(result, 'pin_keeps_fs_data');
    const violation = traceOf(v.property).getByTestId('violation');
    expect(await violation.isVisible()).toBe(true);
    expect(await violation.innerText()).toContain('invariant pin_keeps_fs_data violated: pinned > 0 -> folio.buffers');
    const background = await violation.locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    const [r, gr, b] = background.match(/\d+/g)!.map(Number);
    expect(r! > gr! + 10 && r! > b! + 10, `the violation row is red-tinted, found ${background}`).toBe(true);
    const last = traceOf(v.property).locator(`[data-testid="step"][data-step="${v.trace!.steps.length}"]`);
    expect(await last.getAttribute('class')).toContain('final');
    const propLine = await violation.getAttribute('data-line');
    expect(await page.locator(`#L${propLine}`).getAttribute('class')).toContain('bad');
  });

  inBrowser('keeps the witnesses collapsed', async () => {
    const witnesses = page.locator('[data-testid="trace"][data-status="reached"]');
    expect(await witnesses.count()).toBe(result.verdicts.filter((v) => v.status === 'reached').length);
    expect(await witnesses.first().getAttribute('open')).toBeNull();
    expect(await witnesses.first().getByTestId('step').first().isVisible()).toBe(false);
  });

  inBrowser('moves between steps with the arrow keys', async () => {
    const trace = traceOf('pin_keeps_fs_data');
    await trace.locator('[data-testid="step"][data-step="3"]').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-step'))).toBe('4');
    expect(await trace.locator('[data-testid="step"][data-step="4"]').getAttribute('class')).toContain('sel');
  });

  // The screenshot in the docs is a tracked file: only the accept command
  // (WEFT_ACCEPT=1) rewrites it; other runs take the same picture in memory
  // (pixels differ between Chromium builds, so it is not compared).
  inBrowser(`takes the screenshot of ${SCREENSHOT} (written under WEFT_ACCEPT=1)`, async () => {
    const before = existsSync(SCREENSHOT) ? statSync(SCREENSHOT).mtimeMs : null;
    const trace = traceOf('pin_keeps_fs_data');
    // Reset what the other tests opened, then show the race: the state after reclaim frees the buffers.
    await page.reload();
    await trace.locator('[data-testid="step"][data-step="17"]').click();
    await page.mouse.move(0, 0);
    // Steps 7..17 (the pin, writeback, reclaim) with the state after 17, the violation and the decisive pair.
    await trace.locator('[data-testid="step"][data-step="7"]').evaluate((tr) => window.scrollTo(0, tr.getBoundingClientRect().top + window.scrollY - 40));
    const png = await page.screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (accepting) {
      mkdirSync('docs/images', { recursive: true });
      writeFileSync(SCREENSHOT, png);
    }
    expect(existsSync(SCREENSHOT), `${SCREENSHOT} is missing: run \`npm run accept\``).toBe(true);
    if (!accepting) expect(statSync(SCREENSHOT).mtimeMs, `${SCREENSHOT} was rewritten outside \`npm run accept\``).toBe(before);
  });

  inBrowser('raised no script error on the way', async () => {
    expect(errors).toEqual([]);
  });
});
