// A privacy page's own load time, for the first-command breakdown in tools/Benchmark.ps1: a running
// headless browser and a signed-in context (not timed), then each page loaded <runs> times with
// Playwright alone, until it shows what the module waits for (the hub's heading; the settings page's
// human-review switch, which comes with the page's data). Prints RESULT:{"<path>":[ms, ...], ...}.
//
//   node PageLoadTime.js <playwright-core package dir> <base URI> <email> <password> <browser path> <runs> <path>...
'use strict';
const [packageDir, baseUri, email, password, browserPath, runsText, ...paths] = process.argv.slice(2);
const { chromium } = require(require('path').resolve(packageDir));

const shows = {
    'alexa-privacy/apd/home': page => page.getByRole('heading', { name: 'Alexa Privacy', exact: true }),
    'alexa-privacy/apd/myad': page => page.getByRole('switch', { name: /^(Use of Voice Recordings|Help Improve Amazon Services and Develop New Features)$/ }),
};

(async () => {
    const browser = await chromium.launch({ headless: true, executablePath: browserPath || undefined });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('alexa-privacy/apd/home', baseUri).href);
    await page.locator('#ap_email').fill(email);
    await page.locator('#continue').click();
    await page.locator('#ap_password').fill(password);
    await page.locator('#signInSubmit').click();
    await shows['alexa-privacy/apd/home'](page).waitFor();
    const result = {};
    for (const path of paths) {
        result[path] = [];
        for (let i = 0; i < parseInt(runsText, 10); i++) {
            await page.goto('about:blank');
            const started = process.hrtime.bigint();
            await page.goto(new URL(path, baseUri).href);
            await shows[path](page).waitFor();
            result[path].push(Math.round(Number(process.hrtime.bigint() - started) / 1e6));
        }
    }
    await browser.close();
    console.log('RESULT:' + JSON.stringify(result));
})().catch(e => { console.log('ERROR: ' + e.message); process.exit(1); });
