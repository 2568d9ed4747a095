// A contract-faithful walk through a running replica in headless Chromium, for any variant seed:
// sign in (passkey prompt and interstitials declined), turn off the human-review switch, change
// retention (2025), then on voice history: All history, load every record ("Show more" or
// scroll), delete one, filter by a device and delete all, Custom dates. It locates controls only
// by the contract (roles, whole names, sign-in ids, visibility). A manual check of the variant
// mode, not part of CI (the module's own tests run across seeds):
//   node tests/Replica/variant-check.js http://127.0.0.1:PORT <seed|default> [outDir] [2025|2019]
// PLAYWRIGHT_PACKAGE: the playwright-core package (default: the one in the NuGet cache);
// CHROMIUM: the browser (default /usr/bin/chromium). Exit code 1 and a screenshot on failure.
const fs = require('fs'), os = require('os'), path = require('path');
function playwrightPackage() {
  if (process.env.PLAYWRIGHT_PACKAGE) return process.env.PLAYWRIGHT_PACKAGE;
  const root = path.join(os.homedir(), '.nuget/packages/microsoft.playwright');
  const versions = fs.readdirSync(root).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return path.join(root, versions[versions.length - 1], '.playwright/package');
}
const { chromium } = require(playwrightPackage());
const base = process.argv[2], seed = process.argv[3], outDir = process.argv[4] || os.tmpdir(), gen = process.argv[5] || '2025';
async function admin(method, path, body) {
  const r = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const t = await r.text(); return t ? JSON.parse(t) : null;
}
function log(...a) { console.log(`[seed ${seed}]`, ...a); }
(async () => {
  await admin('POST', '/__replica/reset');
  await admin('PUT', '/__replica/variant', { seed: seed === 'default' ? null : +seed });
  if (gen === '2019') await admin('PUT', '/__replica/faults', { generation: '2019' });
  const v = await admin('GET', '/__replica/variant');
  log(JSON.stringify(v.freedoms));
  const email = 'ann@example.com';
  const now = Date.now();
  await admin('POST', '/__replica/accounts', { email, password: 'pw', devices: ['Kitchen Echo', 'Bedroom Dot'],
    records: Array.from({ length: 7 }, (_, i) => ({ timestamp: now - i * 3600000 * 5, device: i % 2 ? 'Bedroom Dot' : 'Kitchen Echo', transcript: 'what time is it ' + i, response: 'It is noon.' })) });
  await admin('POST', `/__replica/accounts/${email}/records`, { generate: { count: 120, days: 20, seed: 3 } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  try {
    await page.goto(base + '/alexa-privacy/apd/myad');
    await page.locator('#ap_email:visible').fill(email);
    await page.locator('#continue:visible').click();
    // passkey prompt?
    for (let i = 0; i < 8; i++) {
      await page.waitForLoadState();
      if (await page.locator('#ap_password:visible').count()) break;
      const pw = page.getByRole('link', { name: /^(Sign in with your password|Other ways to sign in)$/ });
      if (await pw.count()) { log('passkey prompt'); await pw.click(); continue; }
      await page.waitForTimeout(200);
    }
    await page.locator('#ap_password:visible').fill('pw');
    await page.locator('#signInSubmit:visible').click();
    for (let i = 0; i < 10; i++) {
      await page.waitForLoadState();
      if (page.url().includes('/alexa-privacy/')) break;
      const h = await page.locator('h1').first().textContent().catch(() => '');
      const notNow = page.getByRole('link', { name: 'Not now', exact: true }).or(page.getByRole('button', { name: 'Not now', exact: true }));
      if (await notNow.count()) { log('interstitial:', h.trim()); const cookies = await page.context().cookies(); if (cookies.some(c => c.name === 'at-main')) throw new Error('session cookie before decline'); await notNow.click(); continue; }
      await page.waitForTimeout(200);
    }
    await page.getByRole('heading', { name: 'Manage Your Alexa Data', level: 1 }).waitFor();
    if (gen === '2019') {
      const box = page.getByRole('button', { name: 'Manage How Your Data Improves Alexa', exact: true });
      await box.click();
      await page.waitForFunction(() => true);
    }
    const name = gen === '2019' ? 'Help Improve Amazon Services and Develop New Features' : 'Use of Voice Recordings';
    let sw = page.getByRole('switch', { name, exact: true }).or(page.getByRole('checkbox', { name, exact: true }));
    await sw.waitFor();
    fs.writeFileSync(`${outDir}/myad-${seed}-${gen}.yml`, await page.locator('main').ariaSnapshot());
    await page.screenshot({ path: `${outDir}/myad-${seed}-${gen}.png`, fullPage: true });
    const before = await sw.isChecked();
    await sw.click();
    const dlg = page.getByRole('dialog');
    await dlg.getByRole('button', { name: 'Turn Off', exact: true }).click();
    await page.waitForFunction(async () => true);
    for (let i = 0; i < 50; i++) {
      sw = page.getByRole('switch', { name, exact: true }).or(page.getByRole('checkbox', { name, exact: true }));
      if (gen === '2019' && !(await sw.count())) { await page.getByRole('button', { name: 'Manage How Your Data Improves Alexa', exact: true }).click(); continue; }
      if (!(await sw.isChecked())) break;
      await page.waitForTimeout(100);
    }
    const stored = (await admin('GET', `/__replica/accounts/${email}`)).settings.VoiceRecordingReview;
    log('review switch', before, '->', stored);
    if (stored !== false) throw new Error('not turned off');
    // retention: radios
    if (gen === '2025') {
      await page.getByRole('radio', { name: 'Save recordings for 18 months', exact: true }).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm', exact: true }).click();
      for (let i = 0; i < 50 && (await admin('GET', `/__replica/accounts/${email}`)).settings.VoiceRecordingRetention !== 'EighteenMonths'; i++) await page.waitForTimeout(100);
      log('retention', (await admin('GET', `/__replica/accounts/${email}`)).settings.VoiceRecordingRetention);
    }
    // rvh
    await page.goto(base + '/alexa-privacy/apd/rvh');
    await page.getByRole('heading', { name: 'Review Voice History', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete all of my recordings', exact: true }).waitFor();
    const done = () => page.getByText(/^(End of list|No records found)$/).or(page.getByRole('button', { name: 'Show more', exact: true })).or(page.locator('.x-none'));
    async function settle() {
      // wait until the list shows an end, a Show more button, or records (scroll mode)
      for (let i = 0; i < 100; i++) {
        if (await page.getByText(/^(End of list|No records found)$/).count()) return;
        if (await page.getByRole('button', { name: 'Show more', exact: true }).count()) return;
        if (await page.getByRole('button', { name: 'Delete recording', exact: true }).count() && !(await page.getByText(/^Loading/).count())) return;
        await page.waitForTimeout(100);
      }
      throw new Error('list never settled');
    }
    async function choose(group, option) {
      const sel = page.getByRole('combobox', { name: group, exact: true });
      if (await sel.count() && await sel.evaluate(e => e.tagName === 'SELECT')) { await sel.selectOption({ label: option }); return; }
      let trigger = page.getByRole('button', { name: group, exact: true }).or(sel);
      if (!(await trigger.count())) trigger = page.getByRole('button', { name: 'Filter', exact: true }).or(page.getByRole('combobox', { name: 'Filter', exact: true }));
      await trigger.click();
      await page.getByRole('option', { name: option, exact: true }).or(page.getByRole('menuitemradio', { name: option, exact: true })).click();
    }
    async function loadAll() {
      for (let i = 0; i < 200; i++) {
        await settle();
        if (await page.getByText(/^(End of list|No records found)$/).count()) return;
        const more = page.getByRole('button', { name: 'Show more', exact: true });
        if (await more.count()) { if (await more.isEnabled().catch(() => false)) await more.click({ timeout: 2000 }).catch(() => {}); else await page.waitForTimeout(100); continue; }
        await page.getByRole('button', { name: 'Delete recording', exact: true }).last().scrollIntoViewIfNeeded();
        await page.mouse.wheel(0, 4000);
        await page.waitForTimeout(150);
      }
      throw new Error('never reached the end of the list');
    }
    await settle();
    fs.writeFileSync(`${outDir}/rvh-${seed}.yml`, await page.locator('main').ariaSnapshot());
    log('records today', await page.getByRole('button', { name: 'Delete recording', exact: true }).count());
    await choose('Filter by date', 'All history');
    await page.waitForTimeout(300);
    await loadAll();
    const all = await page.getByRole('button', { name: 'Delete recording', exact: true }).count();
    const storedN = (await admin('GET', `/__replica/accounts/${email}/records`)).length;
    log("all history shown", all, "stored", storedN);
    if (all !== storedN) throw new Error('not every record shown');
    await page.screenshot({ path: `${outDir}/rvh-${seed}.png`, fullPage: false });
    await page.getByRole('button', { name: 'Delete recording', exact: true }).first().click();
    for (let i = 0; i < 50 && (await admin('GET', `/__replica/accounts/${email}/records`)).length !== storedN - 1; i++) await page.waitForTimeout(100);
    log('after delete one', (await admin('GET', `/__replica/accounts/${email}/records`)).length);
    await page.waitForTimeout(200);
    await choose('Filter by device', 'Kitchen Echo');
    await page.waitForTimeout(300);
    await settle();
    await page.getByRole('button', { name: 'Delete all of my recordings', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    for (let i = 0; i < 50 && (await admin('GET', `/__replica/accounts/${email}/records`)).some(r => r.device === 'Kitchen Echo'); i++) await page.waitForTimeout(100);
    const left = await admin('GET', `/__replica/accounts/${email}/records`);
    log('after delete all Kitchen Echo', left.length, 'kitchen left', left.filter(r => r.device === 'Kitchen Echo').length);
    if (left.some(r => r.device === 'Kitchen Echo')) throw new Error('device delete failed');
    await choose('Filter by date', 'Custom');
    const d = new Date(Date.now() - 86400000 * 3), iso = d.toISOString().slice(0, 10);
    await page.getByRole('textbox', { name: 'Start date', exact: true }).or(page.getByLabel('Start date', { exact: true })).first().fill(iso);
    const endField = page.getByRole('textbox', { name: 'End date', exact: true }).or(page.getByLabel('End date', { exact: true })).first();
    await endField.fill(iso);
    // The range may take effect only once confirmed (customRange): "Apply" where the page has it, else Enter.
    const apply = page.getByRole('button', { name: 'Apply', exact: true });
    if (await apply.count()) await apply.first().click(); else { await endField.press('Enter'); await endField.blur().catch(() => {}); }
    await page.waitForTimeout(500);
    await loadAll();
    log('custom day', iso, 'shown', await page.getByRole('button', { name: 'Delete recording', exact: true }).count());
    await browser.close();
  } catch (e) {
    log('FAIL', e.message.split('\n').slice(0,8).join(' | '));
    await page.screenshot({ path: `${outDir}/fail-${seed}.png`, fullPage: true }).catch(() => {});
    fs.writeFileSync(`${outDir}/fail-${seed}.html`, await page.content().catch(() => ''));
    await browser.close();
    process.exit(1);
  }
})();
