import { describe, expect, it } from 'vitest';
import { ConsoleHost } from '../../src/cli/console-host.js';
import type { SignalSource } from '../../src/cli/interrupts.js';
import type { AskRequest } from '../../src/context.js';
import { streams, typeAnswers } from '../helpers/terminal.js';

/** The deploy approval: No unless someone says Yes; --yes says Yes; nobody to ask is a named refusal. */
const approval: AskRequest = {
  code: 'DEPLOY_APPROVE',
  kind: 'confirm',
  message: 'Deploy these access changes?',
  default: false,
  yes: true,
  refusal: { code: 'APPROVAL_REQUIRED', message: 'Deploy of stage dev needs approval.', hint: 'Run `spec3 deploy dev --yes`.' },
};

/** No signal arrives in these questions; the host needs a source all the same. */
const noSignals: SignalSource = { on: () => undefined, removeListener: () => undefined, exit: () => undefined };

const host = (tty: boolean, yes: boolean) => {
  const s = streams(tty);
  return { s, host: new ConsoleHost({ argv: [], cwd: '/', env: { NO_COLOR: '1' }, signals: noSignals, ...s }, { yes, json: false }) };
};

describe('ConsoleHost answers', () => {
  it('--yes takes the question\'s `yes` answer and prints it as automatic', async () => {
    const { s, host: h } = host(false, true);
    expect(await h.ask(approval)).toBe(true);
    expect(s.err()).toBe('› Deploy these access changes? Yes (auto-confirmed)\n');
  });

  it('without a terminal: the unattended answer is printed, and a question without one is refused with its own error', async () => {
    const { s, host: h } = host(false, false);
    await expect(h.ask(approval)).rejects.toMatchObject({ code: 'APPROVAL_REQUIRED', message: 'Deploy of stage dev needs approval.', hint: 'Run `spec3 deploy dev --yes`.' });
    expect(await h.ask({ code: 'X', kind: 'confirm', message: 'Go on?', default: true, unattended: false })).toBe(false);
    expect(s.err()).toBe('› Go on? No (auto-denied)\n');
  });

  it('in a terminal, Enter takes the default: No', async () => {
    const { s, host: h } = host(true, false);
    typeAnswers(s, [['Deploy these access changes?', '\r']]);
    expect(await h.ask(approval)).toBe(false);
    expect(s.err()).toContain('(y/N)');
    expect(s.err()).not.toContain('auto-');
  });
});
