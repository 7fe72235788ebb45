// The staff journey: the secretariat invites a prefecture officer, who
// accepts by the e-mailed link, signs in, invites a municipality, and is
// refused another prefecture's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, root } from './support/server.mjs';
import { launch, phone } from './support/browser.mjs';
import { acceptInvitation, invite } from './support/staff.mjs';

let server;
let browser;
const shots = join(root, 'end2end', 'test-results');
const password = 'kokoro sapooto jimukyoku';

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the secretariat invites a prefecture, which invites a municipality and cannot see another prefecture', async () => {
  // A fresh install's first account comes from the command line, not a default password.
  const printed = server.cli('invite-secretariat', 'jimukyoku@example.jp', '事務局 一郎');
  assert.match(printed, /\/staff\/accept\?token=/);

  const office = await browser.newContext({ baseURL: server.baseURL, viewport: { width: 1280, height: 900 }, locale: 'ja-JP' });
  const secretariat = await office.newPage();
  await acceptInvitation(server, secretariat, 'jimukyoku@example.jp', password);
  assert.match(await secretariat.locator('h1').textContent(), /事務局 一郎/);
  await invite(secretariat, { name: '東京 花子', email: 'tokyo@example.jp', role: 'prefecture_staff', jurisdiction: '東京都' });
  await secretariat.screenshot({ path: join(shots, '10-secretariat.png'), fullPage: true });

  // The officer accepts on her phone, signs out and signs in again.
  const mobile = await browser.newContext({ ...phone, baseURL: server.baseURL });
  const officer = await mobile.newPage();
  await acceptInvitation(server, officer, 'tokyo@example.jp', 'tokyo no tantousha 2026');
  assert.match(await officer.locator('body').textContent(), /東京都　都道府県担当者/);
  await officer.getByRole('button', { name: 'ログアウト' }).click();
  await officer.waitForURL('**/staff/sign-in?signed_out=1');
  await officer.getByLabel('メールアドレス').fill('tokyo@example.jp');
  await officer.getByLabel('パスワード').fill('tokyo no tantousha 2026');
  await officer.getByRole('button', { name: 'ログイン' }).click();
  await officer.waitForURL('**/staff');

  await invite(officer, { name: '新宿 次郎', email: 'shinjuku@example.jp', role: 'municipality_staff', jurisdiction: '新宿区' });
  const ward = await browser.newContext({ ...phone, baseURL: server.baseURL });
  await acceptInvitation(server, await ward.newPage(), 'shinjuku@example.jp', 'shinjuku kuyakusho 2026');
  await ward.close();

  const own = await officer.goto('/staff/j/130001');
  assert.equal(own.status(), 200);
  assert.match(await officer.locator('table').textContent(), /新宿 次郎/);

  const osaka = await officer.goto('/staff/j/270008');
  assert.equal(osaka.status(), 403);
  assert.match(await officer.getByRole('alert').textContent(), /この操作の権限がありません/);
  await officer.screenshot({ path: join(shots, '11-refused.png'), fullPage: true });
  await office.close();
  await mobile.close();
});
