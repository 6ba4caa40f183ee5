/**
 * The HTML counterexample view (src/view/html.ts). Render level: the pages
 * of four small models under test/cases/html/ are golden files
 * (`npm run accept` rewrites them), escaped, deterministic and free of
 * external assets. Browser level: the page of the flagship model is opened
 * in headless Chromium (playwright-core driving /usr/bin/chromium, which
 * `bash scripts/install-peers.sh` installs; without it these tests fail,
 * they are not skipped) and read the way a person would: lanes, step rows,
 * a click that reveals a state, the violation. It also takes the
 * screenshot docs/images/trace-view.png, which only `npm run accept` writes.
 * Liveness counterexamples get their own pages in Chromium: the cycle of a
 * lasso marked from its loop start to its loop back, a run that stops
 * marked as such, and neither mark on a safety trace (screenshot
 * docs/images/lasso-view.png, likewise).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compileModel, variantNames } from '../src/pipeline.ts';
import { loadModelFile } from '../src/commands/support.ts';
import { check, type Engine } from '../src/explore/engine.ts';
import type { CheckResult, PropertyVerdict } from '../src/explore/verdict.ts';
import { formatValue } from '../src/report/values.ts';
import { htmlInputOf, renderAllVariantsHtml, renderHtml } from '../src/view/html.ts';
import { evaluateExpectations, type ExpectationOutcome } from '../src/report/expectations.ts';
import { accepting, expectGolden } from './golden.ts';
import { PAGE_CSS } from '../src/view/style.ts';
import { PAGE_SCRIPT } from '../src/view/script.ts';

const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with one page of that size; the page's script errors and console errors go to `errors`. */
async function openPage(width: number, height: number, errors: string[]): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const page = await browser.newPage({ viewport: { width, height } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { browser, page };
}
const SCREENSHOT = 'docs/images/trace-view.png';
const LASSO_SCREENSHOT = 'docs/images/lasso-view.png';
/** What a lasso adds to a trace, by data-testid: none of it may appear on a safety trace. */
const LASSO_MARKS = ['loop-start', 'loop-back', 'run-stops', 'trigger', 'fairness', 'fair', 'starved', 'why'];

/** Checks the first variant of a model, as `weft check FILE` does. */
async function checkFile(path: string, engine: Engine): Promise<CheckResult> {
  return (await checkVariants(path, engine, 1))[0]!.result;
}

/** Checks a model's first `count` variants (all by default), each with what its expect lines say of it. */
async function checkVariants(path: string, engine: Engine, count = Infinity): Promise<{ result: CheckResult; outcomes: ExpectationOutcome[] }[]> {
  const parsed = loadModelFile(path);
  if (!parsed.model) throw new Error(`${path} does not parse`);
  const file = parsed.sources;
  const hasVariants = parsed.model.decls.some((d) => d.kind === 'variant');
  const out: { result: CheckResult; outcomes: ExpectationOutcome[] }[] = [];
  for (const variant of variantNames(parsed.model).slice(0, count)) {
    const compiled = compileModel(file, parsed.model, { variant: hasVariants ? variant : null, defines: {} });
    if (!compiled.ok) throw new Error(`${path} does not check`);
    const result = await check(compiled.program, engine, {});
    out.push({ result, outcomes: evaluateExpectations(parsed.model, result) });
  }
  return out;
}

function verdictOf(result: CheckResult, property: string): PropertyVerdict {
  const v = result.verdicts.find((x) => x.property === property);
  if (!v?.trace) throw new Error(`no trace for ${property}`);
  return v;
}

describe('renderHtml', () => {
  for (const name of ['race', 'abba', 'lasso', 'stops']) {
    it(`test/cases/html/${name}.html is the page of ${name}.weft`, async () => {
      // With the expect lines: race and abba have none (their violations are not expected), lasso and stops do.
      const [{ result, outcomes }] = await checkVariants(`test/cases/html/${name}.weft`, 'reference', 1) as [{ result: CheckResult; outcomes: ExpectationOutcome[] }];
      const page = renderHtml(htmlInputOf(result, { stats: false }, outcomes));
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

  it('escapes a liveness property\'s text in the lasso\'s rows', async () => {
    const html = renderHtml(htmlInputOf(await checkFile('test/cases/html/lasso.weft', 'reference'), { stats: false }));
    expect(html).toContain('<code>req &amp;&amp; !done</code> holds here');
    expect(html).not.toContain('req && !done');
  });

  it('adds no lasso mark to a safety trace', async () => {
    for (const name of ['race', 'abba']) {
      const html = renderHtml(htmlInputOf(await checkFile(`test/cases/html/${name}.weft`, 'reference'), { stats: false }));
      for (const mark of LASSO_MARKS) expect(html, `${name}: ${mark}`).not.toContain(`data-testid="${mark}"`);
      expect(html).not.toMatch(/data-lasso=|class="[^"]*\bcycle\b/);
    }
  });

  it('marks what the expect lines predict as expected, and what they do not as not expected', async () => {
    const [lasso] = await checkVariants('test/cases/html/lasso.weft', 'reference', 1);
    const expected = renderHtml(htmlInputOf(lasso!.result, { stats: false }, lasso!.outcomes));
    expect(expected).toMatch(/<details class="trace violated expected" id="trace-answered"[^>]* data-expected="true"/);
    expect(expected).toContain('<p class="headline expected" data-testid="headline">one property violated, each as the model\'s expect lines say</p>');
    const [race] = await checkVariants('test/cases/html/race.weft', 'reference', 1);
    const unexpected = renderHtml(htmlInputOf(race!.result, { stats: false }, race!.outcomes));
    expect(unexpected).toMatch(/<details class="trace violated unexpected" id="trace-freed_once"[^>]* data-expected="false"/);
    expect(unexpected).toContain('data-testid="unexpected"');
    // Without the outcomes a violation is a failure, as before.
    expect(renderHtml(htmlInputOf(lasso!.result, { stats: false }))).not.toMatch(/data-expected|data-testid="expected"/);
  });

  it('puts every variant on one page, each cell linking to a trace on it, every id once', async () => {
    const columns = await checkVariants('models/classic/refcount.weft', 'reference');
    const html = renderAllVariantsHtml({ source: columns[0]!.result.program.file, model: columns[0]!.result.program.model, columns, options: { stats: false } });
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = [...html.matchAll(/<td class="cell [^"]*" data-testid="cell" data-variant="([^"]+)" data-property="([^"]+)" data-status="(\w+)"[^>]*>(<a href="#([^"]+)">)?/g)];
    const traced = columns.flatMap((c) => c.result.verdicts.filter((v) => v.trace && (v.status === 'violated' || v.status === 'reached')).map((v) => `${c.result.program.variant}/${v.property}`));
    expect(cells.filter((m) => m[5]).map((m) => `${m[1]}/${m[2]}`).sort()).toEqual(traced.sort());
    for (const m of cells) if (m[5]) expect(ids, m[5]).toContain(m[5]);
    expect(cells).toHaveLength(columns.length * columns[0]!.result.verdicts.length);
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(?:src|href)="(?!#)/);
  });

  it('escapes model text on the page of every variant', async () => {
    const columns = await checkVariants('test/cases/html/race.weft', 'reference');
    const html = renderAllVariantsHtml({ source: columns[0]!.result.program.file, model: columns[0]!.result.program.model, columns, options: { stats: false } });
    expect(html).toContain('&lt;script&gt;&amp;&quot;quoted&quot;&lt;/script&gt;');
    expect(html.match(/<script\b/g)).toHaveLength(1);
  });

  it('takes just the verdicts and a program instead of a whole CheckResult', async () => {
    const result = await checkFile('test/cases/html/abba.weft', 'reference');
    const { program } = result;
    const html = renderHtml({ source: program.file, model: program.model, variant: program.variant, result: { program, verdicts: result.verdicts } });
    expect(html).toContain('data-testid="blocked"');
    expect(html).not.toContain('data-testid="stats"');
  });
});

// Without Chromium every browser test fails with this message (a failed hook would only mark them skipped).
const missing = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: run \`bash scripts/install-peers.sh\` (it installs Debian's chromium) to run the HTML view's browser test`;
function inBrowser(name: string, fn: () => Promise<void>): void {
  it(name, async () => {
    if (missing) throw new Error(missing);
    await fn();
  });
}

describe('the page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let result: CheckResult;
  let dir: string;
  const errors: string[] = [];
  const requests: string[] = [];


  beforeAll(async () => {
    if (missing) return;
    // As `weft check --html` writes it: with what the expect lines say.
    const [first] = await checkVariants('models/gup-writeback.weft', 'compiled', 1);
    result = first!.result;
    dir = mkdtempSync(join(tmpdir(), 'weft-html-'));
    const file = join(dir, 'gup-writeback.html');
    writeFileSync(file, renderHtml(htmlInputOf(result, {}, first!.outcomes)));
    ({ browser, page } = await openPage(1920, 1140, errors));
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
    const g = result.program.globals.findIndex((x) => x.name === 'user_wrote_under_wb');
    const row = traceOf(v.property).locator(`[data-testid="step"][data-step="${step.index}"]`);
    const state = traceOf(v.property).locator(`[data-testid="state"][data-step="${step.index}"]`);
    // user_wrote_under_wb is never changed in this trace: only the state panel shows it.
    const warned = state.locator('[data-var="user_wrote_under_wb"] dd');
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
    // The model's expect lines predict it: tinted slate blue as expected, not red as a failure.
    expect(b! > r! + 10 && b! > gr!, `the violation row is tinted as expected, found ${background}`).toBe(true);
    expect(await violation.innerText()).toContain('expected: the model\'s expect line says so');
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

describe('lassos in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  const results = new Map<string, CheckResult>();
  const errors: string[] = [];

  beforeAll(async () => {
    if (missing) return;
    dir = mkdtempSync(join(tmpdir(), 'weft-html-lasso-'));
    for (const name of ['lasso', 'stops']) {
      // As `weft check --html` writes it, with what the expect lines say (both models expect their violations).
      const [{ result, outcomes }] = await checkVariants(`test/cases/html/${name}.weft`, 'compiled', 1) as [{ result: CheckResult; outcomes: ExpectationOutcome[] }];
      results.set(name, result);
      writeFileSync(join(dir, `${name}.html`), renderHtml(htmlInputOf(result, { stats: false }, outcomes)));
    }
    ({ browser, page } = await openPage(1500, 900, errors));
  }, 0);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async (name: string): Promise<CheckResult> => {
    await page.goto(pathToFileURL(join(dir, `${name}.html`)).href);
    return results.get(name)!;
  };
  const traceOf = (property: string) => page.locator(`[data-testid="trace"][data-property="${property}"]`);
  /** The visible rows of a trace's table, in order, as `testid:step` (state rows are hidden until clicked). */
  const visibleRows = (property: string): Promise<string[]> => traceOf(property).locator('tbody > tr:not([hidden])')
    .evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-testid')}${tr.hasAttribute('data-step') ? `:${tr.getAttribute('data-step')}` : ''}`));
  const style = (el: ReturnType<Page['locator']>, prop: string): Promise<string> => el.evaluate((e, p) => getComputedStyle(e).getPropertyValue(p), prop);

  inBrowser('marks the cycle of a lasso from its loop start to its loop back, and the stem not', async () => {
    const result = await open('lasso');
    const v = verdictOf(result, 'answered');
    const lasso = v.lasso!;
    const n = v.trace!.steps.length;
    expect([lasso.end, lasso.loopStart, n]).toEqual(['cycle', 1, 3]);
    const trace = traceOf('answered');
    expect(await trace.getAttribute('data-lasso')).toBe('cycle');
    expect(await trace.getAttribute('data-loop-start')).toBe(String(lasso.loopStart));
    expect(await trace.locator('summary').innerText()).toContain('by 1 step, then a cycle of 2 steps');
    // The trigger under the state where P holds, the loop start above step #2, the loop back below the last step.
    expect(await visibleRows('answered')).toEqual(['initial:0', 'step:1', 'trigger:1', 'loop-start:2', 'step:2', 'step:3', 'loop-back:2', 'violation', 'fairness']);
    const loopStart = trace.getByTestId('loop-start');
    expect(await loopStart.isVisible()).toBe(true);
    expect(await loopStart.innerText()).toContain('from here steps #2..#3 repeat for ever');
    expect(await trace.getByTestId('loop-back').innerText()).toContain('back to #2: the state after #3 is the state after #1, so the cycle repeats for ever');
    // The cycle's rows are tinted and carry the bracket; the stem's are not.
    const row = (i: number) => trace.locator(`[data-testid="step"][data-step="${i}"]`);
    const tint = await style(row(2).locator('td.lane').first(), 'background-color');
    expect(tint).not.toBe(await style(row(1).locator('td.lane').first(), 'background-color'));
    for (const i of [2, 3]) {
      expect(await row(i).getAttribute('class')).toContain('cycle');
      expect(await style(row(i).locator('td.n'), 'background-image')).toContain('linear-gradient');
    }
    expect(await row(1).getAttribute('class')).not.toContain('cycle');
    expect(await style(row(1).locator('td.n'), 'background-image')).toBe('none');
    for (const mark of ['loop-start', 'loop-back']) expect(await style(trace.getByTestId(mark).locator('td.n'), 'background-image')).toContain('linear-gradient');
    // The bracket joins the loop start to the loop back: no gap between the rows' number cells.
    const boxes = await trace.locator('tbody > tr:not([hidden]) > td.n').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
    const from = 3;    // initial, step 1, trigger, then the loop start
    for (let i = from; i < from + 3; i++) expect(Math.abs(boxes[i]![1]! - boxes[i + 1]![0]!)).toBeLessThan(1);
    // A lasso's last step is not the culprit: no red card.
    expect(await row(n).getAttribute('class')).not.toContain('final');
  });

  inBrowser('links the loop back to the cycle\'s first step', async () => {
    await open('lasso');
    const trace = traceOf('answered');
    await trace.getByTestId('loop-back').locator('a.goto').click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-step'))).toBe('2');
    expect(await trace.locator('[data-testid="step"][data-step="2"]').getAttribute('class')).toContain('sel');
  });

  inBrowser('says where P holds, what each instance is owed, and whom the cycle starves', async () => {
    const result = await open('lasso');
    const v = verdictOf(result, 'answered');
    const trace = traceOf('answered');
    expect(await trace.getByTestId('trigger').innerText()).toContain('req && !done holds here, and done never holds from here on');
    expect(await trace.getByTestId('why').innerText()).toBe(v.message);
    const fair = trace.getByTestId('fair');
    expect(await fair.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-instance'), li.getAttribute('data-respected')])))
      .toEqual(v.lasso!.instances.map((i) => [i.instanceName, i.respected]));
    expect(await fair.nth(1).textContent()).toContain('server none starved can move at 2 of 2 cycle states and never does');
    expect(await trace.getByTestId('starved').innerText()).toBe('starved: server');
    // The starved server never moves, and still has a lane, tagged.
    const lanes = trace.getByTestId('lane');
    expect(await lanes.evaluateAll((ths) => ths.map((th) => th.getAttribute('data-lane')))).toEqual(['client', 'server', 'ticker']);
    expect(await lanes.nth(1).innerText()).toContain('starved');
  });

  inBrowser('marks where a run that stops ends, and no cycle', async () => {
    const result = await open('stops');
    const v = verdictOf(result, 'flushed');
    expect(v.lasso!.end).toBe('terminal');
    const trace = traceOf('flushed');
    expect(await trace.getAttribute('data-lasso')).toBe('terminal');
    expect(await trace.locator('summary').innerText()).toContain('by a run that stops after 1 step');
    expect(await visibleRows('flushed')).toEqual(['initial:0', 'trigger:0', 'step:1', 'run-stops', 'violation', 'fairness']);
    expect(await trace.getByTestId('run-stops').innerText()).toContain('the run stops here: no instance can move');
    expect(await trace.getByTestId('fairness').innerText()).toContain('a run that stops where no instance can move is fair');
    expect(await trace.locator('tr.cycle').count()).toBe(0);
  });

  inBrowser('puts no lasso mark on a safety trace beside a lasso', async () => {
    await open('stops');
    const trace = traceOf('no_request');
    expect(await trace.getAttribute('data-lasso')).toBeNull();
    expect(await visibleRows('no_request')).toEqual(['initial:0', 'step:1', 'violation']);
    for (const mark of LASSO_MARKS) expect(await trace.getByTestId(mark).count(), mark).toBe(0);
    expect(await trace.locator('tr.cycle').count()).toBe(0);
    expect(await trace.locator('[data-testid="step"][data-step="1"]').getAttribute('class')).toContain('final');
  });

  // As docs/images/trace-view.png: written only under WEFT_ACCEPT=1, never compared.
  inBrowser(`takes the screenshot of ${LASSO_SCREENSHOT} (written under WEFT_ACCEPT=1)`, async () => {
    const before = existsSync(LASSO_SCREENSHOT) ? statSync(LASSO_SCREENSHOT).mtimeMs : null;
    await open('lasso');
    const png = await traceOf('answered').screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    if (accepting) {
      mkdirSync('docs/images', { recursive: true });
      writeFileSync(LASSO_SCREENSHOT, png);
    }
    expect(existsSync(LASSO_SCREENSHOT), `${LASSO_SCREENSHOT} is missing: run \`npm run accept\``).toBe(true);
    if (!accepting) expect(statSync(LASSO_SCREENSHOT).mtimeMs, `${LASSO_SCREENSHOT} was rewritten outside \`npm run accept\``).toBe(before);
  });

  inBrowser('raised no script error on the way', async () => {
    expect(errors).toEqual([]);
  });
});

/**
 * What fits and what is expected, at 1400 and 800 pixels wide: the
 * flagship's page (its first variant, with its expect lines), a page whose
 * violation no expect line predicts (race.weft), and the page of every
 * variant of the flagship (`--all-variants --html`). Screenshots of the
 * last at both widths go to docs/images/ under WEFT_ACCEPT=1.
 */
const WIDTHS = [1400, 800] as const;
const ALL_SCREENSHOT = (width: number): string => `docs/images/all-variants-${width}.png`;
/** The elements that hold one kernel name each: a step's label, a name of a call path, a lane, a property, a changed variable, a variant. */
const NAMES = ['.card .label code', '.callpath span', 'th.lane', 'code.name', '.changes .path', 'dl.vars dt', 'th.vh .name', 'span.name'].join(', ');

describe('names, expectations and the page of every variant in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir: string;
  let first: { result: CheckResult; outcomes: ExpectationOutcome[] };
  let columns: { result: CheckResult; outcomes: ExpectationOutcome[] }[];
  const errors: string[] = [];

  beforeAll(async () => {
    if (missing) return;
    dir = mkdtempSync(join(tmpdir(), 'weft-html-fit-'));
    columns = await checkVariants('models/gup-writeback.weft', 'compiled');
    first = columns[0]!;
    writeFileSync(join(dir, 'first.html'), renderHtml(htmlInputOf(first.result, { stats: false }, first.outcomes)));
    const [race] = await checkVariants('test/cases/html/race.weft', 'compiled', 1);
    writeFileSync(join(dir, 'race.html'), renderHtml(htmlInputOf(race!.result, { stats: false }, race!.outcomes)));
    writeFileSync(join(dir, 'all.html'), renderAllVariantsHtml({ source: first.result.program.file, model: first.result.program.model, columns, options: { stats: false } }));
    ({ browser, page } = await openPage(1400, 1000, errors));
  }, 0);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = async (name: string, width: number): Promise<void> => {
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(pathToFileURL(join(dir, `${name}.html`)).href);
    await page.getByTestId('header').waitFor();
  };

  /**
   * The shown name elements whose text takes more than one line (each of
   * its text nodes, tags and badges aside, must lie on one line box), or
   * that stick out of their card.
   */
  const splitNames = (root = page.locator('body')): Promise<string[]> => root.locator(NAMES).evaluateAll((els) => els.flatMap((el) => {
    if (!el.checkVisibility()) return [];    // not shown: a collapsed trace, a hidden state
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let split = false;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent!.trim() || n.parentElement!.closest('.tag, .badge')) continue;
      range.selectNodeContents(n);
      if (new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size > 1) split = true;
    }
    const card = el.closest('.card');
    const out = card !== null && card.scrollWidth > card.clientWidth + 1;
    return split || out ? [`${el.textContent} (${split ? 'split' : 'out of its card'})`] : [];
  }));

  for (const width of WIDTHS) {
    inBrowser(`splits no kernel name across lines at ${width} px, and breaks call paths only at ›`, async () => {
      await open('first', width);
      // Open every state panel of the first trace too: their variable names are names as well.
      const steps = page.locator('[data-testid="trace"]').first().getByTestId('step');
      await steps.evaluateAll((trs) => trs.forEach((tr) => (tr as HTMLElement).click()));
      expect(await page.locator('[data-testid="trace"]').first().locator('[data-testid="state"]:not([hidden]) .state-view').count()).toBe(await steps.count());
      const shown = await page.locator(NAMES).evaluateAll((els) => els.filter((el) => el.checkVisibility()).length);
      expect(shown).toBeGreaterThan(200);
      expect(await splitNames()).toEqual([]);
      // Call paths do wrap (so the check above means something), and every line of one ends at a ›.
      const wrapped = await page.locator('.callpath').evaluateAll((els) => els.map((el) => {
        const tops = [...el.querySelectorAll('span')].map((s) => Math.round(s.getBoundingClientRect().top));
        return new Set(tops).size;
      }).filter((lines) => lines > 1).length);
      expect(wrapped).toBeGreaterThan(0);
      // The page of every variant: the names of its table (its traces are collapsed; the next test opens one).
      await open('all', width);
      expect(await splitNames(page.getByTestId('matrix'))).toEqual([]);
    });

    inBrowser(`shows the violations the expect lines predict as expected, not as failures, at ${width} px`, async () => {
      await open('first', width);
      const violated = first.result.verdicts.filter((v) => v.status === 'violated' && v.trace);
      expect(violated.length).toBeGreaterThan(3);
      const headline = page.getByTestId('headline');
      expect(await headline.textContent()).toBe(`${violated.length} properties violated, each as the model's expect lines say`);
      expect(await headline.getAttribute('class')).toContain('expected');
      for (const v of violated) {
        const trace = page.locator(`[data-testid="trace"][data-property="${v.property}"]`);
        expect(await trace.getAttribute('data-expected'), v.property).toBe('true');
        expect(await trace.locator('summary').getByTestId('expected').textContent()).toBe('expected');
        const row = trace.getByTestId('violation');
        expect(await row.getByTestId('expect-note').textContent()).toContain('expected');
        // Slate blue, not the red of a failure.
        const [r, g, b] = (await row.locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor)).match(/\d+/g)!.map(Number);
        expect(b! > r! + 10 && !(r! > g! + 10), `${v.property}: rgb(${r}, ${g}, ${b})`).toBe(true);
        expect(await page.locator(`[data-testid="verdict"][data-property="${v.property}"]`).getAttribute('data-expected')).toBe('true');
      }
      // A violation no expect line predicts stays a red failure, and says so.
      await open('race', width);
      const trace = page.locator('[data-testid="trace"][data-property="freed_once"]');
      expect(await trace.getAttribute('data-expected')).toBe('false');
      expect(await trace.locator('summary').getByTestId('unexpected').textContent()).toBe('not expected');
      const [r, g, b] = (await trace.getByTestId('violation').locator('td').first().evaluate((td) => getComputedStyle(td).backgroundColor)).match(/\d+/g)!.map(Number);
      expect(r! > g! + 10 && r! > b! + 10, `rgb(${r}, ${g}, ${b})`).toBe(true);
      expect(await page.getByTestId('headline').textContent()).toMatch(/^✗ /);
    });

    // The screenshot of the page as it opens, as docs/images/trace-view.png: written only under WEFT_ACCEPT=1, never compared.
    inBrowser(`puts every variant on one page, each cell of its table a link to the trace, at ${width} px (screenshot ${ALL_SCREENSHOT(width)} under WEFT_ACCEPT=1)`, async () => {
      const path = ALL_SCREENSHOT(width);
      const before = existsSync(path) ? statSync(path).mtimeMs : null;
      await open('all', width);
      const png = await page.screenshot();
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      if (accepting) {
        mkdirSync('docs/images', { recursive: true });
        writeFileSync(path, png);
      }
      expect(existsSync(path), `${path} is missing: run \`npm run accept\``).toBe(true);
      if (!accepting) expect(statSync(path).mtimeMs, `${path} was rewritten outside \`npm run accept\``).toBe(before);
      const heads = await page.getByTestId('matrix-head').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-variant')));
      expect(heads).toEqual(columns.map((c) => c.result.program.variant));
      expect(await page.getByTestId('variant').count()).toBe(columns.length);
      // Every link of the table has its target on the page, the trace of that variant and property.
      const links = await page.locator('[data-testid="cell"] a').evaluateAll((as) => as.map((a) => {
        const target = document.getElementById(a.getAttribute('href')!.slice(1));
        const cell = a.closest('td')!;
        return [cell.dataset.variant, cell.dataset.property, target?.closest('[data-testid="variant"]')?.getAttribute('data-variant'), target?.getAttribute('data-property')];
      }));
      const traced = columns.flatMap((c) => c.result.verdicts.filter((v) => v.trace && (v.status === 'violated' || v.status === 'reached')).map((v) => [c.result.program.variant, v.property]));
      expect(links.map((l) => l.join(' ')).sort()).toEqual(traced.map(([a, b]) => `${a} ${b} ${a} ${b}`).sort());
      // Click one: the second variant's pin_keeps_fs_data (a violation in it), deep in the page.
      const variant = columns[1]!.result.program.variant;
      const cell = page.locator(`[data-testid="cell"][data-variant="${variant}"][data-property="pin_keeps_fs_data"]`);
      expect(await cell.getAttribute('data-status')).toBe('violated');
      expect(await cell.getAttribute('data-expected')).toBe('true');
      const target = page.locator(`[data-testid="variant"][data-variant="${variant}"] [data-testid="trace"][data-property="pin_keeps_fs_data"]`);
      expect(await target.getAttribute('open')).toBeNull();
      await cell.locator('a').click();
      await expect.poll(() => target.getAttribute('open')).toBe('');
      await expect.poll(() => target.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight; })).toBe(true);
      await expect.poll(() => target.getByTestId('step').first().isVisible()).toBe(true);
      expect(page.url()).toMatch(new RegExp(`#v-${variant}-trace-pin_keeps_fs_data$`));
      // The names of the opened trace fit, too.
      expect(await splitNames(target)).toEqual([]);
    });
  }

  inBrowser('raised no script error on the way', async () => {
    expect(errors).toEqual([]);
  });
});
