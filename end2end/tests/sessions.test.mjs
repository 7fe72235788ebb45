// A session from planning to certificates, as the issue asks to see it: an
// officer creates and publishes a session; residents on phones find it in
// the finder and register; a fourth waits and is offered the seat by mail
// (through the real SMTP server) when one cancels; the instructor shows the
// rotating check-in code, which the phones scan (decoded with zbarimg);
// one arrives 20 minutes late (the server's test clock) and is not
// certified; the instructor closes the session; the others' certificates
// verify, and the national count rises by exactly their number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, root } from './support/server.mjs';
import { launch, phone } from './support/browser.mjs';
import { JoinPage, correctAnswers } from './support/pages.mjs';
import { mailTo, linkIn } from './support/mail.mjs';
import { acceptInvitation, invite } from './support/staff.mjs';

let server;
let browser;
const shots = join(root, 'end2end', 'test-results');
const office = { viewport: { width: 1280, height: 900 }, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' };

function decodeQr(file) {
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ NIMO_TEST_CLOCK: '1', UPKEEP_EVERY_SECS: '2' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// The current minute in Japan, and a time up to two hours later that day.
function todayInJapan() {
  const now = new Date(Date.now() + 9 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  const date = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}`;
  const startMinutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const endMinutes = Math.min(startMinutes + 120, 23 * 60 + 59);
  const hm = (m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
  return { date, starts: hm(startMinutes), ends: hm(endMinutes) };
}

// A resident finds the session in the finder on their phone and registers.
async function findAndRegister(title, person) {
  const context = await browser.newContext({ ...phone, baseURL: server.baseURL });
  const page = await context.newPage();
  await page.goto('/sessions');
  await page.getByLabel('都道府県').selectOption({ label: '東京都' });
  await page.getByRole('button', { name: 'さがす' }).tap();
  await page.getByRole('link', { name: title }).tap();
  await page.getByRole('link', { name: /申し込む/ }).tap();
  const join_ = new JoinPage(page);
  await join_.fillPerson(person);
  await join_.municipality.fill('新宿区');
  await join_.start.tap();
  await page.waitForURL(/\/(learn|my\/registration)/);
  return { context, page };
}

// Works through the material and passes the self-check.
async function study(page) {
  await page.goto('/learn');
  await page.getByTestId('next-step').tap();
  await page.waitForURL('**/learn/m/**');
  for (let steps = 0; !page.url().endsWith('/learn/check') && steps < 20; steps += 1) {
    const before = page.url();
    await page.getByTestId('complete-module').tap();
    await page.waitForURL((url) => url.toString() !== before);
  }
  const questions = page.locator('fieldset.question');
  for (const [i, answer] of correctAnswers().entries()) {
    await questions.nth(i).locator('input[type=radio]').nth(answer).check();
  }
  await page.getByTestId('submit-self-check').tap();
  await page.waitForURL('**/learn');
}

// The instructor's screen now: its QR code, decoded as a phone camera would.
async function scanScreen(screen, name) {
  await screen.reload();
  const file = join(mkdtempSync(join(tmpdir(), 'nimo-qr-')), `${name}.png`);
  await screen.getByTestId('checkin-qr').screenshot({ path: file });
  return decodeQr(file);
}

async function checkIn(page, url) {
  await page.goto(url);
  await page.getByTestId('check-in').tap();
  await page.waitForURL('**/my/attendance');
}

test('an officer plans a session; residents register, wait, are promoted by mail, check in by QR, and only the punctual are certified', async () => {
  const before = await (await fetch(`${server.baseURL}/api/v1/stats/national`)).json();

  // The secretariat (first account, from the command line) invites the
  // 東京都 officer, who invites an instructor.
  server.cli('invite-secretariat', 'jimu@sessions.example.jp', '事務局 三郎');
  const desk = await browser.newContext({ ...office, baseURL: server.baseURL });
  const secretariat = await desk.newPage();
  await acceptInvitation(server, secretariat, 'jimu@sessions.example.jp', 'jimukyoku sessions 2026');
  await invite(secretariat, { name: '東京 研修係', email: 'officer@sessions.example.jp', role: 'prefecture_staff', jurisdiction: '東京都' });
  const officerDesk = await browser.newContext({ ...office, baseURL: server.baseURL });
  const officer = await officerDesk.newPage();
  await acceptInvitation(server, officer, 'officer@sessions.example.jp', 'tokyo kenshu gakari 2026');
  await invite(officer, { name: '講師 花子', email: 'instructor@sessions.example.jp', role: 'instructor', jurisdiction: '東京都' });
  const projector = await browser.newContext({ ...office, baseURL: server.baseURL });
  const screen = await projector.newPage();
  await acceptInvitation(server, screen, 'instructor@sessions.example.jp', 'koushi hanako 2026');

  // The officer creates a session for three, starting now, and publishes it.
  const title = '心のサポーター養成研修（都庁・夜間）';
  const when = todayInJapan();
  await officer.goto('/staff/sessions/new');
  await officer.getByLabel('研修の名前').fill(title);
  await officer.getByLabel('研修の種類').selectOption('kokoro-supporter');
  await officer.getByLabel('選択内容（ある研修のみ）').selectOption('elective-self-care');
  await officer.getByLabel('定員（空欄：定員なし）').fill('3');
  await officer.locator('#part0-date').fill(when.date);
  await officer.locator('#part0-starts').fill(when.starts);
  await officer.locator('#part0-ends').fill(when.ends);
  await officer.locator('#part0-place').fill('東京都庁 第二本庁舎 10階 会議室');
  await officer.getByTestId('create-session').click();
  await officer.waitForURL('**/staff/sessions?created=*');
  const code = new URL(officer.url()).searchParams.get('created');
  await officer.getByTestId('publish').click();
  await officer.waitForURL('**/staff/sessions*');
  await officer.locator(`#instructor-${code}`).fill('instructor@sessions.example.jp');
  await officer.locator(`form:has(#instructor-${code}) button`).click();
  await officer.waitForURL('**/staff/sessions?assigned=1');
  await officer.screenshot({ path: join(shots, '20-officer-sessions.png'), fullPage: true });

  // Three residents find it and take the three seats; a fourth waits.
  const aoki = await findAndRegister(title, { name: '青木 一', furigana: 'あおき はじめ', email: 'aoki@sessions.example.jp' });
  const ito = await findAndRegister(title, { name: '伊藤 二葉', furigana: 'いとう ふたば', email: 'ito@sessions.example.jp' });
  const ueda = await findAndRegister(title, { name: '上田 三郎', furigana: 'うえだ さぶろう', email: 'ueda@sessions.example.jp' });
  const endo = await findAndRegister(title, { name: '遠藤 四季', furigana: 'えんどう しき', email: 'endo@sessions.example.jp' });
  assert.match(await endo.page.getByTestId('registration-status').textContent(), /空席待ち（1番目）/);
  await endo.page.screenshot({ path: join(shots, '21-waitlisted.png'), fullPage: true });

  // 青木 cannot come and cancels from the link in the confirmation mail;
  // 遠藤 is offered the seat by mail, and takes it.
  const confirmation = await mailTo(server, 'aoki@sessions.example.jp', 'お申し込みを受け付けました');
  await aoki.page.goto(linkIn(confirmation, `${server.baseURL}/my/registration`));
  await aoki.page.getByTestId('cancel-registration').tap();
  await aoki.page.locator('[data-status="cancelled"]').waitFor();
  assert.match(await aoki.page.getByTestId('registration-status').textContent(), /キャンセル済み/);
  const offer = await mailTo(server, 'endo@sessions.example.jp', '席が空きました');
  await endo.page.goto(linkIn(offer, `${server.baseURL}/my/registration`));
  await endo.page.getByTestId('accept-offer').tap();
  await endo.page.waitForURL('**accepted=1');
  assert.match(await endo.page.getByTestId('registration-status').textContent(), /申し込み済み/);

  // Everyone studies; the material alone earns nothing.
  for (const resident of [ito, ueda, endo]) await study(resident.page);

  // The instructor opens the check-in screen; 伊藤 and 上田 scan it on time.
  await screen.goto(`/staff/sessions/${code}/checkin`);
  await screen.screenshot({ path: join(shots, '22-checkin-screen.png'), fullPage: true });
  const onTime = await scanScreen(screen, 'on-time');
  assert.ok(onTime.startsWith(`${server.baseURL}/checkin/`), onTime);
  await checkIn(ito.page, onTime);

  // 上田's phone is flat: the instructor ticks the name on the roster, on a
  // tablet whose network has just dropped. The tick is kept and sent, with
  // its own moment, when the network returns.
  const roster = await projector.newPage();
  await roster.goto(`/staff/sessions/${code}/roster`);
  await projector.setOffline(true);
  await roster.getByRole('button', { name: '上田 三郎 さんを出席にする' }).click();
  await roster.getByText('出席（この端末に保存・未送信）').waitFor();
  assert.match(await roster.getByTestId('offline-status').textContent(), /未送信の記録が 1 件/);
  await roster.screenshot({ path: join(shots, '24-roster-offline.png'), fullPage: true });
  await projector.setOffline(false);
  await roster.waitForFunction(() => document.getElementById('offline-status').textContent === '', null, { timeout: 20_000 });
  await roster.reload();
  assert.match(await roster.getByTestId('roster').textContent(), /上田 三郎[\s\S]*出席 \d\d:\d\d/);
  await roster.close();

  // 遠藤 arrives twenty minutes late: recorded, but it does not count.
  await server.advanceClock(20);
  const late = await scanScreen(screen, 'late');
  await checkIn(endo.page, late);
  assert.match(await endo.page.getByTestId('attendance-status').first().textContent(), /遅刻のため/);
  await endo.page.screenshot({ path: join(shots, '23-late.png'), fullPage: true });
  await screen.reload();
  assert.match(await screen.getByTestId('checked-in-count').textContent(), /受付済み 3 人/);

  // The instructor closes the session: two certificates.
  await screen.getByTestId('close-session').click();
  await screen.waitForURL('**/checkin?issued=2');
  for (const [resident, name] of [[ito, '伊藤 二葉'], [ueda, '上田 三郎']]) {
    await resident.page.goto('/certificate');
    assert.equal(await resident.page.getByTestId('holder-name').textContent(), `${name} 様`);
    const [download] = await Promise.all([resident.page.waitForEvent('download'), resident.page.getByTestId('download-png').tap()]);
    const file = join(mkdtempSync(join(tmpdir(), 'nimo-cert-')), 'certificate.png');
    await download.saveAs(file);
    const verifyUrl = decodeQr(file);
    const check = await browser.newPage();
    await check.goto(verifyUrl);
    assert.match(await check.getByTestId('verify-result').textContent(), /確認できました/);
    await check.close();
  }
  assert.equal((await endo.page.goto('/certificate')).status(), 404, 'late: no certificate');
  await endo.page.goto('/learn');
  assert.match(await endo.page.getByTestId('waiting-note').textContent(), /出席の記録が修了の条件を満たしていない/);

  const after = await (await fetch(`${server.baseURL}/api/v1/stats/national`)).json();
  assert.equal(after.supporters - before.supporters, 2, 'the national count rose by exactly the two certified');
  for (const context of [desk, officerDesk, projector, aoki.context, ito.context, ueda.context, endo.context]) await context.close();
});
