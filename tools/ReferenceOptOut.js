// The reference for the bulk opt-out: the shortest correct Playwright script for the job that
// Import-Csv accounts.csv | Set-AlexaDataSetting -Enabled $false -ThrottleLimit N does. One headless
// browser, N contexts at a time; each account signs in (email, password, and the one-time code when
// it has an authenticator key), opens "Manage Your Alexa Data", turns the human-review switch off,
// confirms "Turn Off", reloads and checks that the switch stayed off. It relies only on what the site
// contract promises: sign-in ids, ARIA roles and whole accessible names.
//
//   node ReferenceOptOut.js <playwright-core package dir> <accounts.csv> <base URI> <N> [browser path]
//
// The package is the one the module ships (dependencies/.playwright/package), so nothing is fetched.
// It prints one line per failed account and a last line RESULT:{"Seconds":..,"Changed":..,"Failed":..}.
'use strict';
// The clock starts before the Playwright package loads: the module's starts before its first command
// starts Playwright's driver, which loads the same package (and boots a node for it first).
const started = process.hrtime.bigint();
const [packageDir, csvPath, baseUri, limitText, browserPath] = process.argv.slice(2);
const { chromium } = require(require('path').resolve(packageDir));
const crypto = require('crypto');
const fs = require('fs');

// RFC 6238: SHA-1, 6 digits, 30 s steps, from a base32 key (spaces allowed).
function totp(key) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const bits = key.replace(/\s/g, '').toUpperCase().split('').map(c => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
    const bytes = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
    const hash = crypto.createHmac('sha1', bytes).update(counter).digest();
    const o = hash[19] & 0xf;
    return String((hash.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// Export-Csv's quoting: every field in double quotes, a quote inside doubled.
function readCsv(file) {
    const rows = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter(l => l.length)
        .map(l => [...l.matchAll(/"((?:[^"]|"")*)"/g)].map(m => m[1].replace(/""/g, '"')));
    return rows.slice(1).map(r => Object.fromEntries(rows[0].map((h, i) => [h, r[i] ?? ''])));
}

// The human-review switch under either page generation's label, matched as a whole name.
const reviewSwitch = /^(Use of Voice Recordings|Help Improve Amazon Services and Develop New Features)$/;

async function optOut(browser, account) {
    const context = await browser.newContext();
    try {
        const page = await context.newPage();
        await page.goto(new URL('alexa-privacy/apd/myad', baseUri).href);
        // Each fill waits for its field, i.e. for the page the click before it led to.
        await page.locator('#ap_email').fill(account.Email);
        await page.locator('#continue').click();
        await page.locator('#ap_password').fill(account.Password);
        await page.locator('#signInSubmit').click();
        if (account.TotpSecret) {
            await page.locator('#auth-mfa-otpcode').fill(totp(account.TotpSecret));
            await page.locator('#auth-signin-button').click();
        }
        const toggle = page.getByRole('switch', { name: reviewSwitch });
        if (!(await toggle.isChecked())) return false;
        await toggle.click();
        await page.getByRole('dialog').getByRole('button', { name: 'Turn Off', exact: true }).click();
        await page.getByRole('switch', { name: reviewSwitch, checked: false }).waitFor();
        await page.reload();
        if (await toggle.isChecked()) throw new Error('the switch was on again after a reload');
        return true;
    } finally {
        await context.close();
    }
}

(async () => {
    const accounts = readCsv(csvPath);
    const browser = await chromium.launch({ headless: true, executablePath: browserPath || undefined });
    let next = 0, changed = 0, failed = 0;
    const worker = async () => {
        while (next < accounts.length) {
            const account = accounts[next++];
            try { if (await optOut(browser, account)) changed++; }
            catch (e) { failed++; console.log(`FAILED ${account.Email}: ${e.message.split('\n')[0]}`); }
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, parseInt(limitText, 10)) }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await browser.close();
    console.log('RESULT:' + JSON.stringify({ Seconds: seconds, Changed: changed, Failed: failed }));
})().catch(e => { console.log('ERROR: ' + e.message); process.exit(1); });
