// Page objects: the specs read as what a resident does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './server.mjs';

export class HomePage {
  constructor(page) {
    this.page = page;
    this.nationalCount = page.getByTestId('national-count');
    this.codeInput = page.getByLabel('受講コード');
    this.joinButton = page.getByRole('button', { name: '研修に参加する' });
  }
  async goto() {
    await this.page.goto('/');
  }
  async joinWithCode(code) {
    await this.codeInput.fill(code);
    await this.joinButton.click();
    await this.page.waitForURL(/\/join\?code=/);
  }
}

export class JoinPage {
  constructor(page) {
    this.page = page;
    this.name = page.getByLabel('お名前（認定証に印刷されます）');
    this.municipality = page.locator('#municipality');
    this.furigana = page.getByLabel('フリガナ');
    this.email = page.getByLabel('メールアドレス（任意）');
    this.consent = page.getByLabel('個人情報の取り扱いに同意します');
    this.start = page.getByRole('button', { name: '申し込む' });
    this.error = page.getByTestId('form-error');
  }
  // Name, its reading, e-mail (optional) and consent; the municipality is
  // typed or picked separately.
  async fillPerson({ name, furigana, email = '' }) {
    await this.name.fill(name);
    await this.furigana.fill(furigana);
    if (email) await this.email.fill(email);
    await this.consent.check();
  }
  async waitForIslands() {
    // Server-rendered inputs exist before the WASM wakes; wait for it so
    // typing triggers the suggestions.
    await this.page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  }
  async pickMunicipality(typed, fullName) {
    await this.municipality.pressSequentially(typed, { delay: 30 });
    await this.page.getByRole('option').filter({ hasText: fullName }).getByRole('button').tap();
  }
}

export class CoursePage {
  constructor(page) {
    this.page = page;
    this.progress = page.getByTestId('progress-count').first();
    this.next = page.getByTestId('next-step');
    this.completeModule = page.getByTestId('complete-module');
  }
}

// The correct answers come from the course content itself, in order.
export function correctAnswers() {
  const text = readFileSync(join(root, 'content/programmes/kokoro-supporter/programme.toml'), 'utf8');
  return [...text.matchAll(/^answer = (\d+)$/gm)].map((m) => Number(m[1]));
}
