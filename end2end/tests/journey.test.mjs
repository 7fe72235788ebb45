// The whole resident journey on a phone, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, root } from './support/server.mjs';
import { launch, phone } from './support/browser.mjs';
import { HomePage, JoinPage, CoursePage, correctAnswers } from './support/pages.mjs';

// Decodes the QR code in an image with zbar, as a phone camera would.
function decodeQr(file) {
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

let server;
let browser;
const shots = join(root, 'end2end', 'test-results');

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a resident joins on a phone, learns, gets a certificate whose QR verifies, and a forged one is refused', async () => {
  const context = await browser.newContext({ ...phone, baseURL: server.baseURL, acceptDownloads: true });
  const page = await context.newPage();
  const cspViolations = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  const home = new HomePage(page);
  await home.goto();
  assert.equal(await home.nationalCount.textContent(), '0');
  await page.screenshot({ path: join(shots, '01-home.png'), fullPage: true });

  // The instructor projects the session's poster; the resident scans its QR.
  const projector = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await projector.goto(`${server.baseURL}/s/TOKYO1`);
  const posterQr = join(mkdtempSync(join(tmpdir(), 'nimo-qr-')), 'poster.png');
  await projector.getByTestId('join-qr').screenshot({ path: posterQr });
  await projector.close();
  const joinUrl = decodeQr(posterQr);
  assert.equal(joinUrl, `${server.baseURL}/join?code=TOKYO1`);
  await page.goto(joinUrl);

  const join_ = new JoinPage(page);
  await join_.waitForIslands();
  await join_.fillPerson({ name: '山田 花子', furigana: 'やまだ はなこ' });
  await join_.pickMunicipality('しんじゅ', '東京都新宿区');
  assert.equal(await join_.municipality.inputValue(), '東京都新宿区');
  await page.screenshot({ path: join(shots, '02-join.png'), fullPage: true });
  await join_.start.tap();
  await page.waitForURL('**/learn');

  const course = new CoursePage(page);
  assert.equal(await course.progress.textContent(), '0 / 8');
  await course.next.tap();
  await page.waitForURL('**/learn/m/**');
  let steps = 0;
  while (!page.url().endsWith('/learn/check') && steps < 20) {
    steps += 1;
    if (steps === 3) {
      // Progress lives on the server: a reload keeps it.
      await page.reload();
      assert.equal(await course.progress.textContent(), '2 / 8');
      await page.screenshot({ path: join(shots, '03-module.png'), fullPage: true });
    }
    const before = page.url();
    await course.completeModule.tap();
    await page.waitForURL((url) => url.toString() !== before);
    assert.equal(await course.progress.textContent(), `${steps} / 8`, 'the bar moves with each module');
  }
  assert.equal(steps, 7, 'seven modules: six common and one elective');
  assert.equal(await course.progress.textContent(), '7 / 8');

  const answers = correctAnswers();
  const questions = page.locator('fieldset.question');
  assert.equal(await questions.count(), answers.length);
  for (const [i, answer] of answers.entries()) {
    await questions.nth(i).locator('input[type=radio]').nth(answer).check();
  }
  await page.getByTestId('submit-self-check').tap();
  // Clicking through earns nothing: the certificate waits for attendance.
  await page.waitForURL('**/learn');
  assert.match(await page.getByTestId('waiting-note').textContent(), /出席の記録が確かめられると認定証が発行されます/);
  assert.equal((await page.goto('/certificate')).status(), 404);

  // The instructor (here the secretariat, from the command line) shows the
  // rotating check-in code; the resident scans it with the phone's camera.
  const printed = server.cli('invite-secretariat', 'koushi@example.jp', '講師 一郎');
  const invitation = printed.match(/https?:\/\/\S+\/staff\/accept\?token=\S+/)[0];
  const desk = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const screen = await desk.newPage();
  await screen.goto(invitation);
  await screen.getByLabel('パスワード', { exact: true }).fill('kokoro koushi gamen');
  await screen.getByLabel('パスワード（確認）').fill('kokoro koushi gamen');
  await screen.getByRole('button', { name: '登録する' }).click();
  await screen.waitForURL('**/staff');
  await screen.goto('/staff/sessions/TOKYO1/checkin');
  assert.match(await screen.getByTestId('checked-in-count').textContent(), /受付済み 0 人/);
  const checkinShot = join(mkdtempSync(join(tmpdir(), 'nimo-qr-')), 'checkin.png');
  await screen.getByTestId('checkin-qr').screenshot({ path: checkinShot });
  await screen.screenshot({ path: join(shots, '07-checkin-screen.png'), fullPage: true });
  const checkinUrl = decodeQr(checkinShot);
  assert.ok(checkinUrl.startsWith(`${server.baseURL}/checkin/`), checkinUrl);
  await page.goto(checkinUrl);
  await page.getByTestId('check-in').tap();
  await page.waitForURL('**/my/attendance');
  assert.match(await page.getByTestId('attendance-status').first().textContent(), /受付/);
  await screen.reload();
  assert.match(await screen.getByTestId('checked-in-count').textContent(), /受付済み 1 人/);

  // The session ends: closing it issues the certificate of whoever completed.
  await screen.getByTestId('close-session').click();
  await screen.waitForURL('**/checkin?issued=1');
  assert.match(await screen.getByTestId('closed').textContent(), /1 人に認定証を発行しました/);
  await desk.close();
  await page.goto('/certificate');
  assert.equal(await page.getByTestId('holder-name').textContent(), '山田 花子 様');
  assert.match(await page.getByTestId('completed-on').textContent(), /^令和\d+年\d+月\d+日 \(\d{4}-\d{2}-\d{2}\)$/);
  assert.equal(await page.getByTestId('issuer').textContent(), '東京都');
  await page.screenshot({ path: join(shots, '04-certificate.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-png').tap()]);
  const file = join(mkdtempSync(join(tmpdir(), 'nimo-cert-')), 'certificate.png');
  await download.saveAs(file);
  const decoded = decodeQr(file);
  assert.ok(decoded.startsWith(`${server.baseURL}/v/`), `QR holds the verify URL: ${decoded}`);

  // Anyone can verify: a fresh context without the learner's cookie.
  const stranger = await browser.newContext({ ...phone, javaScriptEnabled: false });
  const check = await stranger.newPage();
  await check.goto(decoded);
  assert.match(await check.getByTestId('verify-result').textContent(), /確認できました/);
  assert.match(await check.locator('body').textContent(), /山田 花子/);
  await check.screenshot({ path: join(shots, '05-verified.png'), fullPage: true });

  const tokenStart = decoded.indexOf('/v/') + 3;
  const position = tokenStart + 20;
  const swapped = decoded[position] === 'x' ? 'y' : 'x';
  const forged = decoded.slice(0, position) + swapped + decoded.slice(position + 1);
  const response = await check.goto(forged);
  assert.equal(response.status(), 404);
  assert.match(await check.getByTestId('verify-result').textContent(), /確認できません/);
  await check.screenshot({ path: join(shots, '06-refused.png'), fullPage: true });

  const stats = await (await fetch(`${server.baseURL}/api/v1/stats/national`)).json();
  assert.equal(stats.supporters, 1, 'the national count rose by one');
  await home.goto();
  assert.equal(await home.nationalCount.textContent(), '1');
  assert.deepEqual(cspViolations, [], 'the islands run under the strict CSP');
  await context.close();
  await stranger.close();
});

test('a learner with JavaScript off can join and work through a module', async () => {
  const context = await browser.newContext({ ...phone, baseURL: server.baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  const home = new HomePage(page);
  await home.goto();
  await home.joinWithCode('osaka2');
  const join_ = new JoinPage(page);
  await join_.fillPerson({ name: '佐藤 一郎', furigana: 'サトウ イチロウ' });
  await join_.municipality.fill('府中市');
  await join_.start.click();
  await page.waitForURL('**/join?code=OSAKA2');
  assert.match(await join_.error.textContent(), /東京都府中市/);
  assert.equal(await join_.name.inputValue(), '佐藤 一郎', 'what was typed is kept');
  assert.equal(await join_.consent.isChecked(), true, 'consent given is kept');
  await join_.municipality.fill('広島県府中市');
  await join_.start.click();
  await page.waitForURL('**/learn');
  const course = new CoursePage(page);
  await course.next.click();
  await course.completeModule.click();
  await page.waitForURL(/\/learn\/m\//);
  assert.equal(await course.progress.textContent(), '1 / 8');
  await context.close();
});
