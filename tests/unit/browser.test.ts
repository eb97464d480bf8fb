import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findChromium } from '../../clients/browser';

describe('finding Chromium', () => {
  const installed =
    (...paths: string[]) =>
    (path: string) =>
      paths.includes(path);

  it('prefers the headless shell when headless, the full browser when headed', () => {
    const both = installed('/usr/bin/chromium', '/usr/bin/chromium-headless-shell');
    assert.equal(findChromium(undefined, true, both), '/usr/bin/chromium-headless-shell');
    assert.equal(findChromium(undefined, false, both), '/usr/bin/chromium');
  });

  it('uses the full browser headless where no headless shell is installed', () => {
    assert.equal(findChromium(undefined, true, installed('/usr/bin/chromium')), '/usr/bin/chromium');
  });

  it('takes FSM_CHROMIUM_PATH over both, and says so when nothing is there', () => {
    const both = installed('/usr/bin/chromium', '/usr/bin/chromium-headless-shell', '/opt/chrome');
    assert.equal(findChromium('/opt/chrome', true, both), '/opt/chrome');
    assert.throws(() => findChromium('/opt/missing', true, both), /FSM_CHROMIUM_PATH is \/opt\/missing, and there is no browser there/);
  });
});
