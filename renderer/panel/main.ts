import './panel.css';

import type { StudioErrorData } from '../../shared/api/result';
import type { PanelLive, PanelState } from '../../shared/lan/panel';
import { pairAnswerSchema, panelStateSchema } from '../../shared/lan/panel';
import { formatFen, parseYuanToFen } from '../../shared/money';
import { formatClock, liveTiming } from '../../shared/show/live';
import type { CallResult, ConnectionStatus } from './connection';
import { PanelConnection } from './connection';
import { errorText, panelLanguage, setPanelLanguage, t } from './i18n';

// The phone page (场控 / 提词), served only by the LAN listener. Plain DOM, no framework: it must
// load fast over a weak Wi-Fi and run in WeChat's built-in browser. Built once per view; the
// clock and pushed states update text in place, so an input being typed in is never replaced.

const deviceKey = 'harvest-panel-device';
const outboxKey = 'harvest-panel-outbox';
const fontKey = 'harvest-panel-font';

interface StoredDevice {
  token: string;
}

type Attrs = Record<string, string | number | boolean | ((event: Event) => void)>;

/** Makes an element; text children are set as text, never parsed as HTML. */
function h(tag: string, attrs: Attrs = {}, ...children: (Node | string | null)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
    else if (v === false) continue;
    else if (k === 'className') el.className = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

function randomKey(): string {
  // crypto.randomUUID needs a secure context; the LAN page is plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const root = document.getElementById('panel-root')!;
let state: PanelState | null = null;
let serverOffset = 0;
let status: ConnectionStatus = 'connecting';
let connection: PanelConnection | undefined;
let view: { kind: string; update(): void } | undefined;
let toast: { text: string; kind: 'ok' | 'error' | 'info'; at: number } | null = null;

function loadDevice(): StoredDevice | undefined {
  try {
    const parsed = JSON.parse(localStorage.getItem(deviceKey) ?? 'null') as StoredDevice | null;
    return typeof parsed?.token === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function showToast(text: string, kind: 'ok' | 'error' | 'info'): void {
  toast = { text, kind, at: Date.now() };
  view?.update();
}

function showError(error: StudioErrorData): void {
  showToast(errorText(error), 'error');
}

/** Full-page messages: not paired, removed, pairing, a pairing error. */
function renderMessage(title: string, hint: string, kind: string): void {
  document.documentElement.classList.remove('is-prompter');
  root.replaceChildren(
    h(
      'main',
      { className: `panel-message ${kind}`, 'data-view': kind },
      h('div', { className: 'brand' }, t('panel.brand')),
      h('h1', {}, title),
      h('p', {}, hint),
      languageButton(),
    ),
  );
  view = { kind, update: () => undefined };
}

function languageButton(): HTMLElement {
  return h(
    'button',
    {
      className: 'lang',
      type: 'button',
      'data-testid': 'panel-language',
      onclick: () => {
        setPanelLanguage(panelLanguage() === 'en' ? 'zh-CN' : 'en');
        view = undefined;
        render();
      },
    },
    t('panel.language'),
  );
}

function header(): { el: HTMLElement; update(): void } {
  const statusEl = h('span', { className: 'status', 'data-testid': 'panel-status' });
  const nameEl = h('span', { className: 'device' });
  const el = h(
    'header',
    { className: 'panel-header' },
    h('span', { className: 'brand' }, t('panel.brand')),
    nameEl,
    statusEl,
    languageButton(),
  );
  return {
    el,
    update() {
      nameEl.textContent = state === null ? '' : `${t(`settings.roles.${state.role}`)} · ${state.deviceName}`;
      statusEl.textContent = t(
        `panel.${status === 'online' ? 'online' : status === 'connecting' ? 'connecting' : 'reconnecting'}`,
      );
      statusEl.dataset.status = status;
    },
  };
}

function now(): number {
  return Date.now() + serverOffset;
}

function toastLine(): { el: HTMLElement; update(): void } {
  const el = h('div', { className: 'toast', role: 'status', 'aria-live': 'polite', 'data-testid': 'panel-toast' });
  return {
    el,
    update() {
      const isFresh = toast !== null && Date.now() - toast.at < 6000;
      el.textContent = isFresh ? toast!.text : '';
      el.dataset.kind = isFresh ? toast!.kind : '';
    },
  };
}

function waitingBlock(): HTMLElement {
  return h(
    'section',
    { className: 'card waiting', 'data-testid': 'panel-waiting' },
    h('h2', {}, t('panel.waiting')),
    h('p', {}, t('panel.waitingHint')),
  );
}

// ---------------------------------------------------------------------------------------------
// Producer (场控)

interface OutboxSale {
  entryKey: string;
  quantity: number;
  amountFen?: number;
}

function loadOutbox(): OutboxSale[] {
  try {
    const list = JSON.parse(localStorage.getItem(outboxKey) ?? '[]') as OutboxSale[];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
function saveOutbox(list: OutboxSale[]): void {
  localStorage.setItem(outboxKey, JSON.stringify(list));
}

/** Sends a sale (again, after a reload): the entry key makes every resend count once. */
function sendSale(sale: OutboxSale): void {
  void connection!.call('panel:sale', sale).then((r: CallResult) => {
    saveOutbox(loadOutbox().filter((s) => s.entryKey !== sale.entryKey));
    if (!r.ok) {
      showError(r.error);
      return;
    }
    const value = r.value as { state: PanelState };
    applyState(value.state);
    showToast(t('panel.recorded', { n: sale.quantity }), 'ok');
  });
}

function producerView(): { kind: string; update(): void } {
  const head = header();
  const line = toastLine();
  const segmentOf = h('div', { className: 'segment-of' });
  const productName = h('div', { className: 'product-name', 'data-testid': 'panel-product' });
  const people = h('div', { className: 'people' });
  const elapsed = h('b', { 'data-testid': 'panel-elapsed' });
  const remaining = h('b', { 'data-testid': 'panel-remaining' });
  const behind = h('div', { className: 'behind' });
  const obsWarn = h('div', { className: 'obs-warn' }, t('panel.obsBehind'));
  const nextBtn = h('button', { className: 'big next', type: 'button', 'data-testid': 'panel-next' }, t('panel.next'));
  const backBtn = h('button', { className: 'back', type: 'button', 'data-testid': 'panel-back' }, t('panel.back'));
  const confirmText = h('p', { 'data-testid': 'panel-confirm-text' });
  let confirming: { step: 1 | -1; fromIndex: number } | null = null;
  let isMoving = false;
  const confirmBtn = h(
    'button',
    { className: 'big confirm', type: 'button', 'data-testid': 'panel-confirm' },
    t('panel.confirm'),
  );
  const cancelBtn = h(
    'button',
    { className: 'cancel', type: 'button', 'data-testid': 'panel-cancel' },
    t('panel.cancel'),
  );
  const sheet = h(
    'div',
    { className: 'sheet', hidden: true, 'data-testid': 'panel-sheet' },
    confirmText,
    confirmBtn,
    cancelBtn,
  );

  const ask = (step: 1 | -1) => {
    const live = state?.live;
    if (live == null || isMoving) return;
    const target = live.segments[live.index + step];
    if (target === undefined) {
      showToast(t(step === 1 ? 'panel.lastSegment' : 'panel.firstSegment'), 'info');
      return;
    }
    confirming = { step, fromIndex: live.index };
    confirmText.textContent = t(step === 1 ? 'panel.confirmNext' : 'panel.confirmBack', { name: target.productName });
    update();
  };
  nextBtn.addEventListener('click', () => ask(1));
  backBtn.addEventListener('click', () => ask(-1));
  cancelBtn.addEventListener('click', () => {
    confirming = null;
    update();
  });
  confirmBtn.addEventListener('click', () => {
    if (confirming === null) return;
    const { step, fromIndex } = confirming;
    confirming = null;
    isMoving = true;
    update();
    // Names the segment it leaves: if the reply is lost and this is sent again, it moves once.
    void connection!.call(step === 1 ? 'panel:next' : 'panel:back', { fromIndex }).then((r) => {
      isMoving = false;
      if (!r.ok) showError(r.error);
      else applyState((r.value as { state: PanelState }).state);
      update();
    });
  });

  const onAirName = h('div', { className: 'on-air-name', 'data-testid': 'panel-on-air' });
  const amount = h('input', {
    className: 'amount',
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    placeholder: t('panel.amount'),
    'aria-label': t('panel.amount'),
    'data-testid': 'panel-amount',
  }) as HTMLInputElement;
  const saleButtons = [1, 2, 5, 10].map((n) =>
    h(
      'button',
      {
        className: 'sale-btn',
        type: 'button',
        'data-testid': `panel-sale-${n}`,
        onclick: () => {
          const text = amount.value.trim();
          const amountFen = text === '' ? undefined : parseYuanToFen(text);
          if (text !== '' && (amountFen === undefined || amountFen < 0)) {
            showError({ code: 'app/invalid-payload', message: 'Bad amount' });
            return;
          }
          const sale: OutboxSale = {
            entryKey: randomKey(),
            quantity: n,
            ...(amountFen === undefined ? {} : { amountFen }),
          };
          saveOutbox([...loadOutbox(), sale]);
          amount.value = '';
          showToast(connection!.isOnline() ? t('panel.recording') : t('panel.retrying'), 'info');
          sendSale(sale);
        },
      },
      t('panel.addSale', { n }),
    ),
  );
  const segGmv = h('b', { 'data-testid': 'panel-segment-gmv' });
  const segOrders = h('small', {});
  const showGmv = h('b', { 'data-testid': 'panel-show-gmv' });
  const showOrders = h('small', {});
  const rundown = h('ol', { className: 'rundown', 'data-testid': 'panel-rundown' });

  const liveBlock = h(
    'div',
    { className: 'live-block' },
    h(
      'section',
      { className: 'card now' },
      h('div', { className: 'row' }, segmentOf, h('span', { className: 'live-badge' }, t('panel.live'))),
      productName,
      people,
      h(
        'div',
        { className: 'timers' },
        h('div', {}, h('small', {}, t('panel.elapsed')), elapsed),
        h('div', {}, h('small', {}, t('panel.remaining')), remaining),
      ),
      behind,
      obsWarn,
    ),
    h('section', { className: 'moves' }, nextBtn, backBtn),
    h(
      'section',
      { className: 'card sale' },
      h('h2', {}, t('panel.sale')),
      onAirName,
      amount,
      h('div', { className: 'sale-grid' }, ...saleButtons),
    ),
    h(
      'section',
      { className: 'card gmv' },
      h('div', {}, h('small', {}, t('panel.segmentGmv')), segGmv, segOrders),
      h('div', {}, h('small', {}, t('panel.showGmv')), showGmv, showOrders),
    ),
    h('section', { className: 'card' }, h('h2', {}, t('panel.rundown')), rundown),
  );
  const waiting = waitingBlock();
  document.documentElement.classList.remove('is-prompter');
  root.replaceChildren(
    h('main', { className: 'panel-producer', 'data-view': 'producer' }, head.el, line.el, waiting, liveBlock, sheet),
  );

  let rundownKey = '';
  function update(): void {
    head.update();
    line.update();
    const live: PanelLive | null = state?.live ?? null;
    waiting.hidden = live !== null;
    liveBlock.hidden = live === null;
    sheet.hidden = confirming === null || live === null;
    if (live === null) return;
    const seg = live.segments[live.index];
    const timing = liveTiming(live, now());
    segmentOf.textContent = t('panel.segmentOf', { n: live.index + 1, total: live.segments.length });
    productName.textContent = seg?.productName ?? '';
    people.textContent = [
      seg?.host ? t('panel.host', { name: seg.host }) : '',
      seg?.guest ? t('panel.guest', { name: seg.guest }) : '',
    ]
      .filter(Boolean)
      .join('  ');
    elapsed.textContent = formatClock(timing.segmentElapsedMs);
    remaining.textContent = formatClock(timing.segmentRemainingMs);
    remaining.parentElement!.dataset.overrun = String(timing.isOverrun);
    const b = Math.round(timing.showBehindMs / 1000) * 1000;
    behind.textContent =
      Math.abs(b) < 5000
        ? t('panel.onTime')
        : t(b > 0 ? 'panel.showBehind' : 'panel.showAhead', { time: formatClock(Math.abs(b)) });
    obsWarn.hidden = live.isObsInSync !== false;
    nextBtn.toggleAttribute('disabled', isMoving);
    backBtn.toggleAttribute('disabled', isMoving);
    nextBtn.textContent = isMoving ? t('panel.moving') : t('panel.next');
    onAirName.textContent =
      live.onAir == null
        ? t('panel.noProduct')
        : `${live.onAir.name}  ${formatFen(live.onAir.priceFen)}${live.onAir.unit ? ` / ${live.onAir.unit}` : ''}`;
    for (const btn of saleButtons) btn.toggleAttribute('disabled', live.onAir == null);
    segGmv.textContent = formatFen(seg?.gmvFen ?? 0);
    segOrders.textContent = t('panel.orders', { n: seg?.orders ?? 0 });
    showGmv.textContent = formatFen(live.showGmvFen ?? 0);
    showOrders.textContent = t('panel.orders', { n: live.showOrders ?? 0 });
    // The list changes only with a switch or a sale: rebuilt then, not on every clock tick.
    const key = JSON.stringify([live.index, live.segments.map((s) => [s.productName, s.gmvFen, s.orders])]);
    if (key !== rundownKey) {
      rundownKey = key;
      rundown.replaceChildren(
        ...live.segments.map((s, i) =>
          h(
            'li',
            { className: i === live.index ? 'is-live' : i < live.index ? 'is-done' : '' },
            h('span', { className: 'n' }, String(i + 1)),
            h('span', { className: 'name' }, s.productName),
            h('span', { className: 'planned' }, formatClock(s.plannedSec * 1000)),
            h('span', { className: 'gmv' }, formatFen(s.gmvFen ?? 0)),
          ),
        ),
      );
    }
  }
  return { kind: 'producer', update };
}

// ---------------------------------------------------------------------------------------------
// Prompter (提词)

function prompterView(): { kind: string; update(): void } {
  const head = header();
  const line = toastLine();
  const segmentOf = h('span', { className: 'segment-of' });
  const remaining = h('b', { className: 'remaining', 'data-testid': 'panel-remaining' });
  const productName = h('div', { className: 'product-name', 'data-testid': 'panel-product' });
  const guest = h('div', { className: 'people' });
  const script = h('div', { className: 'script', 'data-testid': 'panel-script' });
  const upNext = h('div', { className: 'up-next' });
  let fontPx = Number(localStorage.getItem(fontKey)) || 34;
  const setFont = (px: number) => {
    fontPx = Math.min(72, Math.max(22, px));
    localStorage.setItem(fontKey, String(fontPx));
    script.style.fontSize = `${fontPx}px`;
  };
  setFont(fontPx);
  const smaller = h(
    'button',
    { type: 'button', className: 'font', onclick: () => setFont(fontPx - 4) },
    t('panel.textSmaller'),
  );
  const larger = h(
    'button',
    { type: 'button', className: 'font', onclick: () => setFont(fontPx + 4) },
    t('panel.textLarger'),
  );
  const liveBlock = h(
    'div',
    { className: 'live-block' },
    h('div', { className: 'prompt-bar' }, segmentOf, remaining, smaller, larger),
    productName,
    guest,
    script,
    upNext,
  );
  const waiting = waitingBlock();
  document.documentElement.classList.add('is-prompter');
  root.replaceChildren(
    h('main', { className: 'panel-prompter', 'data-view': 'prompter' }, head.el, line.el, waiting, liveBlock),
  );
  let scriptKey = '';
  function update(): void {
    head.update();
    line.update();
    const live = state?.live ?? null;
    waiting.hidden = live !== null;
    liveBlock.hidden = live === null;
    if (live === null) return;
    const seg = live.segments[live.index];
    const timing = liveTiming(live, now());
    segmentOf.textContent = t('panel.segmentOf', { n: live.index + 1, total: live.segments.length });
    remaining.textContent = formatClock(timing.segmentRemainingMs);
    remaining.dataset.overrun = String(timing.isOverrun);
    productName.textContent = seg?.productName ?? '';
    guest.textContent = seg?.guest
      ? t('panel.guest', { name: seg.guest })
      : seg?.host
        ? t('panel.host', { name: seg.host })
        : '';
    const key = `${live.index}\u0000${seg?.script ?? ''}`;
    if (key !== scriptKey) {
      scriptKey = key;
      const text = seg?.script ?? '';
      script.replaceChildren(
        ...(text === ''
          ? [h('p', { className: 'muted' }, t('panel.noScript'))]
          : text.split(/\n+/).map((p) => h('p', {}, p))),
      );
      script.scrollTop = 0;
      window.scrollTo(0, 0);
    }
    const next = live.segments[live.index + 1];
    upNext.textContent = next === undefined ? '' : t('panel.upNext', { name: next.productName });
  }
  return { kind: 'prompter', update };
}

// ---------------------------------------------------------------------------------------------

function applyState(next: unknown): void {
  const parsed = panelStateSchema.safeParse(next);
  if (!parsed.success) return;
  // Ignore an older state arriving after a newer one (a resent reply after a push).
  if (state !== null && parsed.data.serverNow < state.serverNow) return;
  state = parsed.data;
  serverOffset = state.serverNow - Date.now();
  render();
}

function render(): void {
  document.documentElement.lang = panelLanguage();
  if (status === 'revoked') {
    renderMessage(t('panel.revoked'), t('panel.notPairedHint'), 'revoked');
    return;
  }
  if (status === 'unpaired') {
    renderMessage(t('panel.notPaired'), t('panel.notPairedHint'), 'unpaired');
    return;
  }
  const kind = state?.role ?? 'connecting';
  if (view?.kind !== kind) {
    if (state === null) {
      renderMessage(t('panel.connecting'), '', 'connecting');
      return;
    }
    view = state.role === 'producer' ? producerView() : prompterView();
  }
  view.update();
}

async function pair(code: string): Promise<void> {
  renderMessage(t('panel.pairing'), '', 'pairing');
  let body: unknown;
  try {
    const res = await fetch('/panel/pair', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
    body = await res.json();
  } catch {
    body = { ok: false, error: { code: 'app/not-connected', message: 'Network error' } };
  }
  const answer = body as { ok?: boolean; value?: unknown; error?: StudioErrorData };
  const parsed = pairAnswerSchema.safeParse(answer.value);
  if (answer.ok !== true || !parsed.success) {
    const error = answer.error ?? { code: 'app/internal', message: 'Pairing failed' };
    renderMessage(errorText(error), t('panel.notPairedHint'), 'pair-failed');
    return;
  }
  localStorage.setItem(deviceKey, JSON.stringify({ token: parsed.data.deviceToken } satisfies StoredDevice));
  start();
}

function start(): void {
  const device = loadDevice();
  if (device === undefined) {
    status = 'unpaired';
    render();
    return;
  }
  connection = new PanelConnection(device.token, {
    onStatus: (s) => {
      const wasOnline = status === 'online';
      status = s;
      if (s === 'revoked' || s === 'unpaired') {
        localStorage.removeItem(deviceKey);
        localStorage.removeItem(outboxKey);
        state = null;
        view = undefined;
      }
      if (s === 'online' && !wasOnline) {
        void connection!.call('panel:state').then((r) => r.ok && applyState(r.value));
      }
      render();
    },
    onState: (next) => applyState(next),
    onError: (error) => showError(error),
  });
  connection.start();
  // Sales that were not confirmed before the page closed go again (counted once by their key).
  for (const sale of loadOutbox()) sendSale(sale);
  render();
}

setInterval(() => view?.update(), 500);
const code = new URLSearchParams(location.hash.slice(1)).get('pair');
if (code !== null) {
  // Out of the address bar and history before anything else: the code is spent once used.
  history.replaceState(null, '', location.pathname);
  void pair(code);
} else start();
